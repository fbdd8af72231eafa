/**
 * `tasks/result` for one server: each task's outcome is fetched at most once and kept (by the tracker)
 * once final, and concurrent askers share one request. `tasks/result` blocks while the task runs; a
 * request timeout is not an answer, so while the task still runs we simply ask again. Only final answers
 * are kept: a result, -32602 (unknown task) and -32603 for a task that has ended; never a timeout or a
 * dropped connection.
 */
import { isTerminal, type TaskOutcome } from '../model/TaskModel';
import { codeOf, ERROR_INVALID_PARAMS, ERROR_NO_RESULT, ERROR_TIMEOUT } from '../protocol/requestErrors';
import type { Disposable } from '../util/Emitter';
import { errorMessage } from '../util/errors';
import type { ProtocolSlot } from './ProtocolSlot';
import type { TaskInventory } from './TaskInventory';
import type { TaskTracker } from './TaskTracker';

function errorOutcome(message: string, code?: number): TaskOutcome {
  return { kind: 'error', ...(code !== undefined ? { code } : {}), message, receivedAt: Date.now() };
}

export class TaskResults {
  private readonly pending = new Map<string, Promise<TaskOutcome>>();
  private readonly inputListener: Disposable;
  private disposed = false;

  constructor(
    private readonly tracker: TaskTracker,
    private readonly slot: ProtocolSlot,
    private readonly inventory: TaskInventory,
  ) {
    // 2025-11-25 delivers a task's elicitation on the stream of an open tasks/result call.
    this.inputListener = tracker.onDidNeedInput((taskId) => this.prefetch(taskId));
  }

  get(taskId: string): Promise<TaskOutcome> {
    const kept = this.tracker.outcome(taskId);
    if (kept) {
      return Promise.resolve(kept);
    }
    let pending = this.pending.get(taskId);
    if (!pending) {
      // Someone waits for this task: it is polled at its own rate meanwhile, seen or not (TaskInterest).
      const release = this.tracker.hold(taskId);
      pending = this.fetch(taskId).finally(() => {
        release();
        this.pending.delete(taskId);
      });
      this.pending.set(taskId, pending);
    }
    return pending;
  }

  dispose(): void {
    this.disposed = true;
    this.inputListener.dispose();
  }

  /** Starts fetching in the background (2025-11-25 only: 2026-07-28 puts the question inside the task). */
  private prefetch(taskId: string): void {
    if (this.slot.current?.capabilities.generation !== '2025-11-25') {
      return;
    }
    if (!this.tracker.outcome(taskId) && !this.pending.has(taskId)) {
      void this.get(taskId);
    }
  }

  /** Never rejects: every failure is an outcome, kept only when it is final. */
  private async fetch(taskId: string): Promise<TaskOutcome> {
    let timeoutsAfterEnd = 0;
    for (;;) {
      const protocol = this.slot.current;
      if (this.disposed || !protocol) {
        return errorOutcome(this.disposed ? 'the server was removed' : 'the server is not connected');
      }
      let err: unknown;
      try {
        const result = await protocol.getTaskResult(taskId);
        const outcome: TaskOutcome = { kind: 'result', result, receivedAt: Date.now() };
        this.tracker.keepOutcome(taskId, outcome);
        // A result means the task has ended: its final status is worth fetching now.
        if (this.slot.current) this.tracker.follow([taskId]);
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
        this.tracker.expire(taskId);
        return this.final(taskId, errorOutcome(message, code));
      }
      if (code === ERROR_NO_RESULT) {
        // Final for a terminal task ("has no result stored" after a cancel); maybe transient otherwise.
        const task = (await this.inventory.refresh(taskId).catch(() => undefined)) ?? this.tracker.store.get(taskId);
        const outcome = errorOutcome(message, code);
        return task && isTerminal(task.status) ? this.final(taskId, outcome) : outcome;
      }
      return errorOutcome(message, code);
    }
  }

  private stillRunning(taskId: string): boolean {
    const task = this.tracker.store.get(taskId);
    return task !== undefined && !isTerminal(task.status);
  }

  private final(taskId: string, outcome: TaskOutcome): TaskOutcome {
    this.tracker.keepOutcome(taskId, outcome);
    return this.tracker.outcome(taskId) ?? outcome;
  }
}
