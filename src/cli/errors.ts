/** Failures that end a CLI run (cli.ts maps them onto exit codes) and the error codes it branches on. */

/** The server could not be used (exit 3): bad definition, cannot connect, protocol or request error. */
export class ServerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServerError';
  }
}

/** Ctrl-C (or SIGTERM, or a closed stdout) while a command was under way. */
export class Interrupted extends Error {
  constructor(readonly signal: string) {
    super(`interrupted (${signal})`);
    this.name = 'Interrupted';
  }
}

/** The JSON-RPC code an error from the core carries (TaskRequestError, McpError), if any. */
export function errorCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** -32602: for tasks/* the server does not know the id (expired), or the task is already terminal. */
export const INVALID_PARAMS = -32602;
