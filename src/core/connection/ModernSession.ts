/**
 * A connection to a 2026-07-28 server, as the core sees it. Types only: the implementation
 * (`modern/index.ts`, over `@modelcontextprotocol/client` 2.x and `@modelcontextprotocol/ext-tasks`) is
 * ESM-only and large, so it is loaded on demand (`loadModern.ts`) and never imported from here.
 *
 * Wire objects come back as they were sent (JSON records): the protocol layer reads them leniently, as it
 * does for 2025-11-25. Every failure is an Error with a numeric `code` when there is a JSON-RPC code
 * (-32602 for an unknown task, -32001 for a request timeout). Not a `TaskRequestError`: in the bundle the
 * implementation is a separate file with its own copies of classes, so callers read `code` structurally.
 */
import type { ServerConfig } from '../config/ServerConfig';
import type { Disposable } from '../util/Emitter';

export type WireRecord = Record<string, unknown>;

/** What a `tools/call` came back as: the server alone decides whether it became a task. */
export type ModernToolCall =
  | { readonly kind: 'task'; readonly task: WireRecord }
  | { readonly kind: 'immediate'; readonly result: WireRecord };

export interface ModernRequestOptions {
  readonly timeoutMs: number;
}

/** A request the bridge passes on from VS Code (any method), framed for 2026-07-28 by the session. */
export interface ForwardOptions extends ModernRequestOptions {
  /** Aborting sends `notifications/cancelled` for it. */
  readonly signal?: AbortSignal;
  /** The `io.modelcontextprotocol/logLevel` opt-in (2026-07-28 has no `logging/setLevel`). */
  readonly logLevel?: string;
  /** Capabilities declared for this request besides ours (what VS Code can answer in-band: sampling, roots). */
  readonly clientCapabilities?: WireRecord;
}

/** The server's reply as sent: its result (any `resultType`, `input_required` included) or its JSON-RPC error. */
export type ForwardReply = { readonly kind: 'result'; readonly result: WireRecord } | { readonly kind: 'error'; readonly error: { code: number; message: string; data?: unknown } };

/**
 * The server's notifications meant for the clients VS Code runs through the bridge (log lines, progress,
 * resource and list changes): the session keeps them from the SDK Client (it would report unknown progress
 * tokens), and the bridge passes them on.
 */
export const CLIENT_NOTIFICATIONS: ReadonlySet<string> = new Set([
  'notifications/message',
  'notifications/progress',
  'notifications/resources/updated',
  'notifications/resources/list_changed',
  'notifications/tools/list_changed',
  'notifications/prompts/list_changed',
]);

/** A notification the server sent (log lines, progress, resource and list changes, …), as sent. */
export interface ServerNotification {
  readonly method: string;
  readonly params?: WireRecord;
}

/** A `subscriptions/listen` stream; closing it ends the subscription on the server. */
export interface ModernListen {
  close(): Promise<void>;
}

export interface ModernSession {
  readonly protocolVersion: '2026-07-28';
  readonly transport: 'stdio' | 'http';
  readonly serverName?: string;
  readonly serverVersion?: string;
  /** The stdio server's process id. */
  readonly pid?: number;
  /** The server declared the `io.modelcontextprotocol/tasks` extension. */
  readonly tasksExtension: boolean;
  /** From `server/discover` (the bridge shows them to VS Code as a 2025 `initialize` would). */
  readonly instructions?: string;
  readonly toolsListChanged: boolean;
  /** The capabilities `server/discover` declared, as sent (extensions included). */
  readonly serverCapabilities: WireRecord;

  callTool(name: string, args: Record<string, unknown>, options: ModernRequestOptions): Promise<ModernToolCall>;
  /** `tasks/get`: the DetailedTask as sent (`inputRequests`, `result`, `error` inline). */
  getTask(taskId: string, options: ModernRequestOptions): Promise<WireRecord>;
  /** `tasks/update`: answers to input requests, keyed as the server keyed them (partial answers allowed). */
  updateTask(taskId: string, inputResponses: Record<string, unknown>, options: ModernRequestOptions): Promise<void>;
  /** `tasks/cancel`: acknowledged also for a finished task. */
  cancelTask(taskId: string, options: ModernRequestOptions): Promise<void>;
  /** One page of `tools/list`. */
  listTools(cursor: string | undefined, options: ModernRequestOptions): Promise<WireRecord>;

  /** Any request, passed on as it is apart from the 2026-07-28 framing; the server's reply or error as sent. */
  forward(method: string, params: WireRecord, options: ForwardOptions): Promise<ForwardReply>;
  /** Every notification the server sends, `notifications/tasks` included. */
  onNotification(listener: (notification: ServerNotification) => void): Disposable;
  /**
   * `subscriptions/listen` with a filter of the core notification types (list changes, resource
   * subscriptions); resolves once acknowledged. Its notifications reach `onNotification`.
   */
  listen(filter: WireRecord, options: ModernRequestOptions): Promise<ModernListen>;

  /**
   * Pushes for this task (`subscriptions/listen` naming its id, batched with other new ids; idempotent).
   * Servers may acknowledge and never push: polling stays the truth.
   */
  watchTask(taskId: string): void;
  /** No pushes needed for this task any more (it ended or was forgotten); idempotent. */
  unwatchTask(taskId: string): void;
  /** `notifications/tasks` payloads (a DetailedTask each). */
  onTaskPush(listener: (task: WireRecord) => void): Disposable;
  /**
   * Which watched tasks the server has said it pushes: the ids a listen's acknowledgement honours (covered),
   * and those whose listen failed or was ended by the server (no longer covered).
   */
  onTaskCoverage(listener: (taskIds: readonly string[], covered: boolean) => void): Disposable;
  /** The connection ended (process exit, transport closed); not fired by `close()`. */
  onClose(listener: (reason: string) => void): Disposable;
  close(): Promise<void>;
}

/**
 * A message transport the caller already built (the process-group stdio transport): the modern opener
 * wraps it instead of spawning through the SDK, so process trees are stopped the same way for both
 * generations. Structurally the SDK's `Transport`.
 */
export interface WireTransport {
  start(): Promise<void>;
  send(message: never, options?: unknown): Promise<void>;
  close(): Promise<void>;
  onmessage?: ((message: never, extra?: never) => void) | undefined;
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  readonly pid?: number | null;
}

export interface ModernOpenOptions {
  readonly clientInfo: { readonly name: string; readonly version: string };
  /** For the connect handshake (`server/discover`). */
  readonly connectTimeoutMs: number;
  /** Required for stdio servers: the process transport to speak over. */
  readonly wire?: WireTransport;
  readonly log: (level: 'info' | 'warn', message: string) => void;
}

export type OpenModernSession = (config: ServerConfig, options: ModernOpenOptions) => Promise<ModernSession>;
