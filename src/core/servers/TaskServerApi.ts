/**
 * The contracts hosts (the VS Code layer, the CLI, benchmarks) hold servers by: commands call
 * `TaskServerApi` methods and let the store's events update the views. Nothing here exposes the SDK.
 */
import type { ServerConfig } from '../config/ServerConfig';
import type { ConnectionState } from '../model/ConnectionState';
import type { TaskChange, TaskPage, TaskStoreView } from '../model/TaskChange';
import type { TaskOutcome, ToolInfo, TrackedTask } from '../model/TaskModel';
import type { Disposable, Event } from '../util/Emitter';

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
  /**
   * The tasks whose rows the view shows (undefined: no view; until a view says, every task counts as shown).
   * Running tasks that are neither shown nor held are polled only on a slow background cadence, about every
   * `maxPollIntervalMs`, with one listing for all of them; a task that comes into view is refreshed at once.
   */
  setShownTasks(taskIds: readonly string[] | undefined): void;
  /** Keeps the task polled at its own rate (an open document, a caller waiting for it) until disposed. */
  holdTask(taskId: string): Disposable;
  /** Drop the connection and connect again (known tasks are polled again afterwards). */
  restart(): Promise<void>;
}

export interface ServerRegistryApi {
  /** Fired when servers are added or removed. */
  readonly onDidChangeServers: Event<void>;
  /** Every server's task changes, in one stream: what views subscribe to. */
  readonly onDidChangeTasks: Event<TaskChange>;
  /** A server's connection state changed. */
  readonly onDidChangeServerState: Event<TaskServerApi>;
  servers(): TaskServerApi[];
  get(serverId: string): TaskServerApi | undefined;
  /** Applies a new configuration: starts added servers, stops removed ones, restarts changed ones. */
  setConfigs(configs: readonly ServerConfig[]): void;
  /** Pauses polling while nobody looks (the view is hidden); resuming polls every server within about a second, one after another. */
  setPollingPaused(paused: boolean): void;
  /** False: connect only servers that remember a running task of ours; true (the default): connect all. */
  setConnectAll(all: boolean): void;
  dispose(): Promise<void>;
}
