/** Errors from the SDK mapped onto `TaskRequestError`, keeping the JSON-RPC code callers branch on. */
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { TaskRequestError, errorMessage } from '../util/errors';

// JSON-RPC codes the tasks flows depend on (see the shared notes).

/** -32602: for tasks/* an unknown or expired id, a cancel of a terminal task, or a bad cursor. */
export const ERROR_INVALID_PARAMS = ErrorCode.InvalidParams;
/** -32603: e.g. "has no result stored" from tasks/result of a cancelled task. */
export const ERROR_NO_RESULT = ErrorCode.InternalError;
/** -32001, raised by the SDK itself when a request times out. */
export const ERROR_TIMEOUT = ErrorCode.RequestTimeout;

/** `redact` hides configured secrets a server may echo back in its error texts. */
export function toTaskRequestError(err: unknown, what: string, redact: (text: string) => string = (t) => t): TaskRequestError {
  if (err instanceof TaskRequestError) {
    return err;
  }
  // Only McpError codes are JSON-RPC codes; transport errors carry HTTP statuses in `code`.
  const code = err instanceof McpError ? err.code : undefined;
  return new TaskRequestError(redact(`${what}: ${errorMessage(err)}`), code);
}

export function codeOf(err: unknown): number | undefined {
  return err instanceof TaskRequestError || err instanceof McpError ? err.code : undefined;
}
