/**
 * Which running tasks of one server someone can see or waits for: those are polled at their own rate; the
 * others only on the slow background cadence (every `maxPollIntervalMs`, one listing for all of them),
 * which keeps counts such as the status bar's roughly right without a poll per task (issue 13: ten
 * thousand unchanged tasks, a hundred on screen).
 *
 * Someone sees or waits for a task when: the view shows its row (`setShown`; until a view has said what it
 * shows, every task counts as shown — the CLI and tests that show nothing keep the full rate), something
 * holds it (`hold`: a result being fetched, an open document, a caller), this client started it in this
 * session (a completion notification waits for it), VS Code started it through the bridge and still
 * waits for it, or it has an open question.
 */
import type { TrackedTask } from '../model/TaskModel';

export interface ShownChange {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** Every task's rate may have changed (a view appeared or went). */
  readonly everyTask: boolean;
}

export class TaskInterest {
  /** The view's shown rows; undefined: no view has said, so everything counts as shown. */
  private shown?: Set<string>;
  private readonly holds = new Map<string, number>();
  private readonly startedHere = new Set<string>();

  /** A view has said what it shows: tasks it does not show may be left to the background cadence. */
  get limited(): boolean {
    return this.shown !== undefined;
  }

  /** Whether the task is polled at its own rate. O(1): asked for every task a listing page reports. */
  wants(task: TrackedTask): boolean {
    const id = task.taskId;
    return (
      this.shown === undefined ||
      this.shown.has(id) ||
      this.holds.has(id) ||
      this.startedHere.has(id) ||
      task.status === 'input_required' ||
      task.inputRequest !== undefined ||
      (task.startedBy === 'vscode' && task.abandoned !== true)
    );
  }

  /** The rows the view now shows (undefined: no view any more, everything counts). Returns what changed. */
  setShown(taskIds: readonly string[] | undefined): ShownChange {
    const before = this.shown;
    const now = taskIds === undefined ? undefined : new Set(taskIds);
    this.shown = now;
    if (before === undefined || now === undefined) {
      // From "everything" to a page or back: any task's rate may change.
      return { added: [], removed: [], everyTask: before !== now };
    }
    const added = taskIds!.filter((id) => !before.has(id));
    const removed: string[] = [];
    for (const id of before) if (!now.has(id)) removed.push(id);
    return { added, removed, everyTask: false };
  }

  /** Someone waits for the task until the returned function is called (counted: holds nest). */
  hold(taskId: string): () => void {
    this.holds.set(taskId, (this.holds.get(taskId) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (this.holds.get(taskId) ?? 1) - 1;
      if (n > 0) this.holds.set(taskId, n);
      else this.holds.delete(taskId);
    };
  }

  startedByUs(taskId: string): void {
    this.startedHere.add(taskId);
  }

  /** The task has ended: nothing waits for it any more. */
  ended(taskId: string): void {
    this.startedHere.delete(taskId);
  }
}
