/**
 * Failures of the v2 stack as errors with the JSON-RPC `code` callers branch on (-32602 unknown task,
 * -32001 timeout). Deliberately not the core's `TaskRequestError`: in the bundle this module lives in
 * dist/modern.js, where a class of the main bundle would be a different class (and util/errors.ts would
 * drag the 1.x SDK's HTTP transports in). The protocol layer reads the code structurally and rewraps.
 * The v2 classes are duck-typed too (ext-tasks' `JsonRpcResponseError`, the client's `ProtocolError` and
 * `SdkError`): they belong to ESM packages this file does not import at load time.
 */

export class ModernRequestError extends Error {
  constructor(
    message: string,
    readonly code?: number,
  ) {
    super(message);
    this.name = 'ModernRequestError';
  }
}

/** A request timed out on our side; -32001 as the SDKs use for it. */
export const REQUEST_TIMEOUT_CODE = -32001;
const MAX_MESSAGE = 300;

export function messageOf(err: unknown): string {
  let text = err instanceof Error ? err.message || err.name : typeof err === 'string' ? err : JSON.stringify(err) ?? String(err);
  // ext-tasks wraps what our raw dispatch threw ("MCP client request failed"): the cause says what happened.
  const cause = err instanceof Error ? err.cause : undefined;
  if (cause instanceof Error && cause.message && !text.includes(cause.message)) text = `${text}: ${messageOf(cause)}`;
  const line = text.replace(/^(?:MCP error -?\d+: )+/, '').replace(/\s+/g, ' ').trim();
  return line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE)}…` : line;
}

export function toRequestError(err: unknown, what: string): ModernRequestError {
  const own = (err as { code?: unknown } | null)?.code;
  // A timeout of our raw dispatch reaches us wrapped by ext-tasks, its code on the cause.
  const code = own ?? (err instanceof Error ? (err.cause as { code?: unknown } | null | undefined)?.code : undefined);
  // SdkError codes are strings; only its timeout matters to the callers (a "not yet" for a running task).
  const numeric = typeof code === 'number' ? code : code === 'REQUEST_TIMEOUT' ? REQUEST_TIMEOUT_CODE : undefined;
  const message = messageOf(err);
  return new ModernRequestError(message.startsWith(`${what}:`) ? message : `${what}: ${message}`, numeric);
}

/** Runs a request and maps whatever it throws. */
export async function mapped<T>(what: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (err) {
    throw toRequestError(err, what);
  }
}
