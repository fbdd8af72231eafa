/**
 * One protocol generation for tasks, as the rest of the core sees it. Everything above this interface (the
 * store, the poller, the views) works on `TaskSnapshot`s and `TaskOutcome`s and never sees a wire shape, so
 * a second generation (the 2026-07-28 `io.modelcontextprotocol/tasks` extension) plugs in by implementing
 * this interface and being chosen in `createTaskProtocol`.
 */
import type { TaskCapabilities } from '../model/ConnectionState';
import type { InputRequest, TaskOutcome, ToolCallResult, TrackedTask } from '../model/TaskModel';
import type { Disposable } from '../util/Emitter';

/** The part of a tracked task that comes from the server (the rest is what this client knows). */
type ServerReportedFields = 'taskId' | 'status' | 'rawStatus' | 'statusMessage' | 'createdAt' | 'lastUpdatedAt' | 'ttl' | 'pollInterval';

/** What the server said about one task at one moment, already validated and mapped onto our model. */
export interface TaskSnapshot extends Pick<TrackedTask, ServerReportedFields> {
  /**
   * Set by generations that return the result with the status (2026-07-28 `tasks/get`); the server then
   * caches it like a `tasks/result` answer. 2025-11-25 never sets it.
   */
  readonly outcome?: TaskOutcome;
  /**
   * 2026-07-28: the first input request of an `input_required` task (questions come inside `tasks/get`);
   * answered with `answerInput`. 2025-11-25 asks with a server request instead and never sets it.
   */
  readonly inputRequest?: InputRequest;
}

/** An answer to an elicitation, as the host's elicitation port gives it. */
export type InputResponse = { readonly action: 'accept'; readonly content: Record<string, unknown> } | { readonly action: 'decline' | 'cancel' };

export interface TaskListPage {
  readonly tasks: readonly TaskSnapshot[];
  readonly nextCursor?: string;
}

export interface CreatedTask {
  readonly task: TaskSnapshot;
  /** `_meta["io.modelcontextprotocol/model-immediate-response"]`, when the server sent one. */
  readonly immediateResponse?: string;
  /**
   * The server answered the call at once instead of creating a task (2026-07-28 lets it): the entry is
   * ours alone, with its outcome already in hand, and there is no server task to ask about or resume.
   */
  readonly answeredAtOnce?: boolean;
}

export interface TaskProtocol {
  readonly capabilities: TaskCapabilities;
  /** Throws a `TaskRequestError` (code -32602 when the server does not know the id). */
  getTask(taskId: string): Promise<TaskSnapshot>;
  /**
   * The raw result of a terminal task. Blocks while the task runs (up to one request timeout per call);
   * may carry server requests (elicitation) for the task while it blocks.
   */
  getTaskResult(taskId: string): Promise<ToolCallResult>;
  /** Throws `TaskCapabilityError` when the server cannot list. */
  listTasks(cursor?: string): Promise<TaskListPage>;
  /** Throws `TaskCapabilityError` when the server cannot cancel. */
  cancelTask(taskId: string): Promise<TaskSnapshot>;
  /** Throws `TaskCapabilityError` when the server cannot run tools as tasks. */
  callToolAsTask(name: string, args: Record<string, unknown>, ttlMs: number): Promise<CreatedTask>;
  /**
   * Answers one input request of a task (2026-07-28 `tasks/update`, keyed as `TaskSnapshot.inputRequest`).
   * Throws `TaskCapabilityError` for generations that ask with server requests instead.
   */
  answerInput(taskId: string, key: string, response: InputResponse): Promise<void>;
  /** Status pushes; may repeat, may be missing altogether. */
  onTaskStatus(listener: (task: TaskSnapshot) => void): Disposable;
  /**
   * Tasks whose changes the server has said it pushes (2026-07-28: named in an acknowledged listen), and
   * tasks it no longer does (the listen failed or ended). Absent where pushes are unsolicited (2025-11-25).
   */
  onPushCoverage?(listener: (taskIds: readonly string[], covered: boolean) => void): Disposable;
  dispose(): void;
}
