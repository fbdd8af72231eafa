/**
 * The task model the whole product shares: what the core knows about one task of one server.
 * Protocol generations (2025-11-25, 2026-07-28) map their wire shapes onto this, so the store and the
 * views never see a wire type.
 */

/** Statuses the MCP spec defines. */
export type TaskStatus = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';

/**
 * What we show. Beyond the spec: `expired` — the server no longer knows the id (-32602 after its TTL, or
 * it restarted); shown, never silently dropped. `unknown` — the server sent a status we do not know
 * (kept verbatim in `rawStatus`), treated as still running so it keeps being polled.
 */
export type TrackedStatus = TaskStatus | 'expired' | 'unknown';

export const TASK_STATUSES: readonly TaskStatus[] = ['working', 'input_required', 'completed', 'failed', 'cancelled'];

/** A server-initiated request for input tied to a task (elicitation during `input_required`). */
export interface InputRequest {
  /**
   * 2026-07-28: the key of the request in the task's `inputRequests` (unique for the task's lifetime); the
   * answer goes back under it with `tasks/update`. Absent for 2025-11-25, where the question is a request.
   */
  readonly key?: string;
  readonly message: string;
  /** The JSON schema the server asks the answer to follow (elicitation `requestedSchema`), if any. */
  readonly requestedSchema?: unknown;
  readonly receivedAt: number;
}

export interface TrackedTask {
  /** The configured server's id (unique among configured servers). */
  readonly serverId: string;
  readonly taskId: string;
  readonly status: TrackedStatus;
  /** The status string exactly as the server sent it, when it is not one we know. */
  readonly rawStatus?: string;
  readonly statusMessage?: string;
  /** ISO 8601 as sent by the server. */
  readonly createdAt?: string;
  readonly lastUpdatedAt?: string;
  /** Milliseconds the server keeps the task after creation; null = unlimited; undefined = not said. */
  readonly ttl?: number | null;
  /** Milliseconds the server suggests between polls. */
  readonly pollInterval?: number;
  /** The tool that started it, when this client started it (the protocol does not report it). */
  readonly toolName?: string;
  /** The arguments this client started it with (the protocol does not report them either). */
  readonly toolArgs?: Readonly<Record<string, unknown>>;
  /** True when this client created the task (so it is remembered across restarts). */
  readonly startedByUs: boolean;
  /** 'vscode': VS Code's own MCP client started it through the bridge (a tool call from chat or an extension). */
  readonly startedBy?: 'vscode';
  /** VS Code stopped waiting for this task while it runs on (it cancelled the call, or stopped polling). */
  readonly abandoned?: boolean;
  /**
   * When the server last confirmed this state (ms since epoch, our clock). The one field that moves in
   * place: a reply repeating the held state updates it on the held object (no copy, no change event).
   */
  fetchedAt: number;
  /** Set while the server waits for input for this task. */
  readonly inputRequest?: InputRequest;
  /** The last error met while talking to the server about this task (shown, not thrown away). */
  readonly lastError?: string;
}

/** One task among all servers' tasks: the key of maps that span servers. */
export function taskKey(serverId: string, taskId: string): string {
  return `${serverId}\u0000${taskId}`;
}

/** Terminal: nothing more will happen; stop polling. (Compares, not a Set: a status read off the wire is a fresh string, and a Set would hash it.) */
export function isTerminal(status: TrackedStatus): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled' || status === 'expired';
}

/** Only running tasks can be cancelled (the server answers -32602 for terminal ones). */
export function isCancellable(status: TrackedStatus): boolean {
  return status === 'working' || status === 'input_required';
}

/**
 * One of the five statuses the spec defines, as this module's own constant (undefined: not a status). Every reply
 * carries a fresh copy of the string; the constant makes the comparisons on each later reply about the task pointer checks.
 */
export function taskStatusOf(raw: string): TaskStatus | undefined {
  switch (raw) {
    case 'working':
      return 'working';
    case 'input_required':
      return 'input_required';
    case 'completed':
      return 'completed';
    case 'failed':
      return 'failed';
    case 'cancelled':
      return 'cancelled';
    default:
      return undefined;
  }
}

/** Maps a wire status string onto our model without trusting it. */
export function toTrackedStatus(raw: unknown): { status: TrackedStatus; rawStatus?: string } {
  const status = typeof raw === 'string' ? taskStatusOf(raw) : undefined;
  if (status !== undefined) {
    return { status };
  }
  return { status: 'unknown', rawStatus: typeof raw === 'string' ? raw : JSON.stringify(raw) };
}

/** The outcome of `tasks/result` (or the inline result of the 2026 generation), cached once terminal. */
export type TaskOutcome =
  | { readonly kind: 'result'; readonly result: ToolCallResult; readonly receivedAt: number }
  | { readonly kind: 'error'; readonly code?: number; readonly message: string; readonly receivedAt: number };

/** A CallToolResult as far as we rely on it; the rest is kept verbatim for the raw view. */
export interface ToolCallResult {
  readonly content?: ReadonlyArray<{ readonly type: string; readonly text?: string; readonly [k: string]: unknown }>;
  readonly structuredContent?: unknown;
  readonly isError?: boolean;
  readonly [k: string]: unknown;
}

/** A tool as the task UI needs it. */
export type TaskSupport = 'forbidden' | 'optional' | 'required';
export interface ToolInfo {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly inputSchema?: unknown;
  readonly taskSupport: TaskSupport;
}
