/**
 * `tasks/result` for one server: each task's outcome is fetched at most once and cached once final, and
 * concurrent askers share one request. `tasks/result` blocks while the task runs; a request timeout is
 * not an answer, so while the task still runs we simply ask again. Only final answers are cached: a
 * result, -32602 (unknown task) and -32603 for a task that has ended; never a timeout or a dropped
 * connection.
 */
import { codeOf, ERROR_NO_RESULT, ERROR_TIMEOUT, ERROR_INVALID_PARAMS } from '../protocol/requestErrors';
import type { TaskProtocol } from '../protocol/TaskProtocol';
import { errorMessage } from '../util/errors';
import { isTerminal, type TaskOutcome, type TrackedTask } from './TaskModel';

export interface TaskResultsDeps {
  /** The connected protocol, or undefined while disconnected. */
  readonly protocol: () => TaskProtocol | undefined;
  readonly task: (taskId: string) => TrackedTask | undefined;
  /** tasks/get and store; resolves undefined when that failed too. */
  readonly refreshStatus: (taskId: string) => Promise<TrackedTask | undefined>;
  /** The server does not know the id (-32602). */
  readonly onUnknownTask: (taskId: string) => void;
  /** A result arrived: the task is terminal, its status is worth fetching now. */
  readonly onResult: (taskId: string) => void;
}

function errorOutcome(message: string, code?: number): TaskOutcome {
  return { kind: 'error', ...(code !== undefined ? { code } : {}), message, receivedAt: Date.now() };
}

export class TaskResults {
  private readonly outcomes = new Map<string, TaskOutcome>();
  private readonly pending = new Map<string, Promise<TaskOutcome>>();
  private disposed = false;

  constructor(private readonly deps: TaskResultsDeps) {}

  cached(taskId: string): TaskOutcome | undefined {
    return this.outcomes.get(taskId);
  }

  isFetching(taskId: string): boolean {
    return this.pending.has(taskId);
  }

  get(taskId: string): Promise<TaskOutcome> {
    const cached = this.outcomes.get(taskId);
    if (cached) {
      return Promise.resolve(cached);
    }
    let pending = this.pending.get(taskId);
    if (!pending) {
      pending = this.fetch(taskId).finally(() => this.pending.delete(taskId));
      this.pending.set(taskId, pending);
    }
    return pending;
  }

  /** Starts fetching in the background (the input_required flow needs a `tasks/result` open). */
  prefetch(taskId: string): void {
    if (!this.outcomes.has(taskId) && !this.pending.has(taskId)) {
      void this.get(taskId);
    }
  }

  /** For generations that deliver the outcome with the status. */
  seed(taskId: string, outcome: TaskOutcome): void {
    if (!this.outcomes.has(taskId)) {
      this.outcomes.set(taskId, outcome);
    }
  }

  forget(taskIds: readonly string[]): void {
    for (const id of taskIds) {
      this.outcomes.delete(id);
    }
  }

  dispose(): void {
    this.disposed = true;
  }

  /** Never rejects: every failure is an outcome, cached only when it is final. */
  private async fetch(taskId: string): Promise<TaskOutcome> {
    let timeoutsAfterEnd = 0;
    for (;;) {
      const protocol = this.deps.protocol();
      if (this.disposed || !protocol) {
        return errorOutcome(this.disposed ? 'the server was removed' : 'the server is not connected');
      }
      let err: unknown;
      try {
        const result = await protocol.getTaskResult(taskId);
        const outcome: TaskOutcome = { kind: 'result', result, receivedAt: Date.now() };
        this.outcomes.set(taskId, outcome);
        this.deps.onResult(taskId);
        return outcome;
      } catch (e) {
        err = e;
      }
      const code = codeOf(err);
      const message = errorMessage(err);
      // While the task runs, a timeout just means "not yet". Once it has ended the result should come
      // promptly (the SDK's server may still take one poll interval to notice): one more try, then give up
      // rather than wait for ever on a server that never sends it.
      if (code === ERROR_TIMEOUT && !this.disposed && (this.stillRunning(taskId) || timeoutsAfterEnd++ < 1)) {
        continue;
      }
      if (code === ERROR_INVALID_PARAMS) {
        this.deps.onUnknownTask(taskId);
        return this.final(taskId, errorOutcome(message, code));
      }
      if (code === ERROR_NO_RESULT) {
        // Final for a terminal task ("has no result stored" after a cancel); maybe transient otherwise.
        const task = (await this.deps.refreshStatus(taskId)) ?? this.deps.task(taskId);
        const outcome = errorOutcome(message, code);
        return task && isTerminal(task.status) ? this.final(taskId, outcome) : outcome;
      }
      return errorOutcome(message, code);
    }
  }

  private stillRunning(taskId: string): boolean {
    const task = this.deps.task(taskId);
    return task !== undefined && !isTerminal(task.status);
  }

  private final(taskId: string, outcome: TaskOutcome): TaskOutcome {
    this.outcomes.set(taskId, outcome);
    return outcome;
  }
}
