/**
 * What the host (the VS Code layer, the CLI, a test) supplies to the core. Each is an interface so the
 * core runs the same in the editor, in a terminal and in plain Node tests.
 */

/** Persistent key/value storage (workspace state in the editor, a JSON file for the CLI, memory in tests). */
export interface KeyValueStorage {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): Promise<void>;
}

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** Where server stderr and protocol errors go. Never given header or env values. */
export interface LogSink {
  log(level: LogLevel, serverId: string | undefined, message: string): void;
  /**
   * False when lines of this level would be dropped anyway: the core then skips building them (a trace
   * line per request is measurable on a fast stdio round trip). Absent means everything is kept.
   */
  isEnabled?(level: LogLevel): boolean;
}

/**
 * Resolves `${input:id}` variables (the editor prompts and keeps answers in SecretStorage).
 * Returns undefined when the user dismissed the prompt: the server is then not started, with a clear reason.
 */
export type InputResolver = (input: { id: string; description?: string; password?: boolean; type?: string; options?: string[]; default?: string }) => Promise<string | undefined>;

/**
 * Answers a server's elicitation (sent while a task is `input_required`). Returns the content to accept,
 * or undefined to decline. `signal` aborts when the server stops waiting (it cancelled the request, or the
 * connection closed): the host then withdraws the question; what it returns after that is ignored.
 */
export type ElicitationHandler = (request: {
  serverId: string;
  taskId?: string;
  message: string;
  requestedSchema: unknown;
  signal?: AbortSignal;
}) => Promise<{ action: 'accept'; content: Record<string, unknown> } | { action: 'decline' | 'cancel' }>;

/** Tunables the user can set; read again whenever they change. */
export interface CoreSettings {
  /** Lower bound for any poll, ms (servers may suggest less). */
  readonly minPollIntervalMs: number;
  /** Upper bound for the poll interval after backoff, ms. */
  readonly maxPollIntervalMs: number;
  /** TTL requested for tasks this client starts, ms. */
  readonly defaultTaskTtlMs: number;
  /** Timeout for one request to a server, ms. */
  readonly requestTimeoutMs: number;
}

export const DEFAULT_CORE_SETTINGS: CoreSettings = {
  minPollIntervalMs: 500,
  maxPollIntervalMs: 30_000,
  defaultTaskTtlMs: 10 * 60_000,
  requestTimeoutMs: 30_000,
};

/** A folder the host works in, as a server's `roots/list` is answered with it (a `file:` URI). */
export interface WorkspaceRoot {
  readonly uri: string;
  readonly name?: string;
}

/** The ports every server of the core is given by its host. */
export interface CorePorts {
  readonly storage: KeyValueStorage;
  readonly log: LogSink;
  readonly elicit: ElicitationHandler;
  readonly settings: () => CoreSettings;
  /**
   * The host's workspace roots (the editor's workspace folders, the CLI's working directory), read on every
   * `roots/list` a server sends that no VS Code session through the bridge answers. Absent: no roots.
   */
  readonly roots?: () => readonly WorkspaceRoot[];
}
