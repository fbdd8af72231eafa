/**
 * The 2026-07-28 input flow: a task that is `input_required` carries its questions (`inputRequests`, keyed)
 * in every `tasks/get`. Each new key is put to the host's elicitation port once — the same port a
 * 2025-11-25 elicitation request goes to, so the editor's form and the CLI's prompt work unchanged — and
 * the answer goes back with `tasks/update` under that key. Keys are unique for a task's lifetime, so a key
 * seen again on a later poll (or push) is the same question, not a new one.
 */
import type { ElicitationHandler } from '../model/ports';
import { isTerminal, type TrackedTask } from '../model/TaskModel';
import type { Disposable } from '../util/Emitter';
import { errorMessage } from '../util/errors';
import type { ProtocolSlot } from './ProtocolSlot';
import type { TaskTracker } from './TaskTracker';

export class TaskInputs {
  /** Keys asked (or being asked) per task; dropped once the task has ended. */
  private readonly asked = new Map<string, Set<string>>();
  private readonly subscription: Disposable;
  private disposed = false;

  constructor(
    private readonly serverId: string,
    private readonly tracker: TaskTracker,
    private readonly slot: ProtocolSlot,
    private readonly elicit: ElicitationHandler,
  ) {
    this.subscription = tracker.store.onDidChange((change) => {
      for (const task of change.changed) this.look(task);
    });
  }

  dispose(): void {
    this.disposed = true;
    this.subscription.dispose();
    this.asked.clear();
  }

  private look(task: TrackedTask): void {
    if (isTerminal(task.status)) {
      this.asked.delete(task.taskId);
      return;
    }
    const key = task.inputRequest?.key;
    if (task.status !== 'input_required' || key === undefined || this.disposed) return;
    const keys = this.asked.get(task.taskId) ?? new Set<string>();
    if (keys.has(key)) return;
    keys.add(key);
    this.asked.set(task.taskId, keys);
    void this.ask(task, key);
  }

  /** Never rejects: a failure is shown on the task, and the key may be asked again on a later poll. */
  private async ask(task: TrackedTask, key: string): Promise<void> {
    const request = task.inputRequest!;
    let answer: Awaited<ReturnType<ElicitationHandler>>;
    try {
      answer = await this.elicit({ serverId: this.serverId, taskId: task.taskId, message: request.message, requestedSchema: request.requestedSchema });
    } catch (err) {
      this.tracker.log('warn', `asking for the input of task ${task.taskId} failed: ${errorMessage(err)}`);
      answer = { action: 'cancel' };
    }
    // The answer goes to whichever connection is current: the server keeps the task across reconnects.
    const protocol = this.slot.current;
    if (this.disposed || !protocol) {
      this.asked.get(task.taskId)?.delete(key);
      return;
    }
    try {
      await protocol.answerInput(task.taskId, key, answer);
      // Worth a look at once: the task moves on (working, the next question, or its end).
      this.tracker.follow([task.taskId]);
    } catch (err) {
      this.asked.get(task.taskId)?.delete(key);
      this.tracker.failed(task.taskId, `answering input failed: ${errorMessage(err)}`);
    }
  }
}
