/**
 * The surface of the core that hosts use (the VS Code layer, the CLI, benchmarks). Views read
 * `TaskStoreView`s and their events; commands call `TaskServerApi` methods and let the store's events
 * update the views. Nothing here exposes the SDK.
 */
import type { ServerConfig } from './config/ServerConfig';
import type { TaskOutcome, ToolInfo, TrackedTask } from './tasks/TaskModel';
import type { Event } from './util/Emitter';

/** Which protocol generation a connected server speaks for tasks, and what it allows. */
export interface TaskCapabilities {
  readonly generation: '2025-11-25' | '2026-07-28' | 'none';
  /** `tasks/list` is declared: the server can enumerate tasks. */
  readonly list: boolean;
  /** `tasks/cancel` is declared. */
  readonly cancel: boolean;
  /** Task-augmented `tools/call` is declared. */
  readonly toolCall: boolean;
}

export type ConnectionState =
  | { readonly kind: 'connecting'; readonly attempt: number }
  | {
      readonly kind: 'connected';
      readonly serverName?: string;
      readonly serverVersion?: string;
      /** 'http' may have fallen back to 'sse'. */
      readonly transport: 'stdio' | 'http' | 'sse';
      readonly capabilities: TaskCapabilities;
    }
  | { readonly kind: 'failed'; readonly reason: string; readonly retryAt?: number }
  | { readonly kind: 'disconnected'; readonly reason?: string };

/** What changed in one server's store: the tasks whose state changed, and ids no longer held. */
export interface TaskChange {
  readonly serverId: string;
  readonly changed: readonly TrackedTask[];
  readonly removed: readonly string[];
}

/** Read side of one server's task store: the only source the UI reads. */
export interface TaskStoreView {
  readonly onDidChange: Event<TaskChange>;
  get(taskId: string): TrackedTask | undefined;
  /** Newest first (by createdAt, then first seen). */
  list(): TrackedTask[];
  readonly size: number;
}

export interface TaskPage {
  readonly tasks: readonly TrackedTask[];
  readonly nextCursor?: string;
}

export interface TaskServerApi {
  readonly id: string;
  readonly config: ServerConfig;
  readonly state: ConnectionState;
  readonly onDidChangeState: Event<ConnectionState>;
  readonly store: TaskStoreView;
  /** The server paginates and tasks beyond what the store holds exist: `loadMore()` fetches the next page. */
  readonly hasMore: boolean;
  loadMore(): Promise<void>;

  listTools(): Promise<ToolInfo[]>;
  /** `tasks/get`, store updated; -32602 turns the task `expired`. */
  getTaskStatus(taskId: string): Promise<TrackedTask>;
  /** `tasks/result`: blocks while the task runs; cached once terminal, never fetched twice. */
  getTaskResult(taskId: string): Promise<TaskOutcome>;
  cachedOutcome(taskId: string): TaskOutcome | undefined;
  /** One page of `tasks/list` (or known ids when the server cannot list). */
  listTasks(cursor?: string, limit?: number): Promise<TaskPage>;
  /** A full inventory sweep now (the poller does this on its own). */
  refresh(): Promise<void>;
  cancelTask(taskId: string): Promise<TrackedTask>;
  /** Task-augmented `tools/call`; the new task is in the store (and remembered) when this resolves. */
  callToolAsTask(tool: string, args: Record<string, unknown>, ttlMs?: number): Promise<TrackedTask>;
  /** Drop the connection and connect again (known tasks are polled again afterwards). */
  restart(): Promise<void>;
}

export interface ServerRegistryApi {
  /** Fired when servers are added or removed. */
  readonly onDidChangeServers: Event<void>;
  servers(): TaskServerApi[];
  get(serverId: string): TaskServerApi | undefined;
  /** Applies a new configuration: starts added servers, stops removed ones, restarts changed ones. */
  setConfigs(configs: readonly ServerConfig[]): void;
  /** Pauses polling while nobody looks (the view is hidden); resuming polls at once. */
  setPollingPaused(paused: boolean): void;
  dispose(): Promise<void>;
}
