/**
 * One server's tasks: the latest `TrackedTask` per id, and change events that say only what changed.
 * Changes are collected and fired once per microtask, so a `tasks/list` page of N tasks makes one event;
 * an update that changes nothing visible fires nothing.
 */
import type { TaskChange, TaskStoreView } from '../model/TaskChange';
import type { TaskSnapshot } from '../protocol/TaskProtocol';
import { Emitter, type Event } from '../util/Emitter';
import { mergeAttribution, mergeTask, repeatsHeld, sameVisibleState, type TaskAttribution } from './mergeTask';
import type { InputRequest, TrackedTask } from '../model/TaskModel';

interface Entry {
  task: TrackedTask;
  /** Order of first sight, for a stable newest-first order among tasks without `createdAt`. */
  readonly seq: number;
  readonly firstSeenAt: number;
}

/**
 * What we remember of a task we created (from KnownTaskIds) before the server confirms it: without its
 * creation time a remembered task would sort as the newest and show no age.
 */
export interface RememberedTimes {
  readonly createdAt?: string;
  readonly ttl?: number | null;
}

export class TaskStore implements TaskStoreView {
  private readonly entries = new Map<string, Entry>();
  private readonly changeEmitter = new Emitter<TaskChange>();
  readonly onDidChange: Event<TaskChange> = this.changeEmitter.event;
  private pendingChanged = new Set<string>();
  private flushQueued = false;
  private nextSeq = 0;
  private disposed = false;
  /**
   * Entries newest first, kept until the order can change (a task added or removed, a creation time
   * learnt): views list on every change, and re-sorting thousands of tasks per status push stalls them.
   */
  private sorted: Entry[] | undefined;

  constructor(readonly serverId: string) {}

  get size(): number {
    return this.entries.size;
  }

  get(taskId: string): TrackedTask | undefined {
    return this.entries.get(taskId)?.task;
  }

  list(): TrackedTask[] {
    if (!this.sorted) {
      const keyed = [...this.entries.values()].map((e) => {
        const created = e.task.createdAt !== undefined ? Date.parse(e.task.createdAt) : NaN;
        return { e, key: Number.isNaN(created) ? e.firstSeenAt : created };
      });
      this.sorted = keyed.sort((a, b) => b.key - a.key || b.e.seq - a.e.seq).map((k) => k.e);
    }
    return this.sorted.map((e) => e.task);
  }

  /** Applies what the server said; returns the task as now held. */
  apply(snapshot: TaskSnapshot, attribution: TaskAttribution = {}, fetchedAt = Date.now()): TrackedTask {
    const entry = this.entries.get(snapshot.taskId);
    if (entry !== undefined && repeatsHeld(entry.task, snapshot, attribution)) {
      // Most replies (polls of a task that has not moved, listings of finished tasks) say again what is
      // held: only the time of the confirmation changes, in place, and that is no change event.
      entry.task.fetchedAt = fetchedAt;
      return entry.task;
    }
    return this.put(mergeTask(this.serverId, entry?.task, snapshot, attribution, fetchedAt));
  }

  /** The server no longer knows the task (-32602): shown as expired, never dropped. */
  markExpired(taskId: string, attribution: TaskAttribution = {}, reason?: string, remembered: RememberedTimes = {}): TrackedTask {
    const held = this.get(taskId);
    const who = mergeAttribution(held, attribution);
    const base: TrackedTask = held ?? { serverId: this.serverId, taskId, status: 'expired', fetchedAt: Date.now(), ...remembered, ...who };
    const { rawStatus, inputRequest, lastError, ...rest } = base;
    return this.put({
      ...rest,
      status: 'expired',
      ...who,
      ...(reason !== undefined ? { lastError: reason } : {}),
      fetchedAt: Date.now(),
    });
  }

  /**
   * A task we know of but could not ask about (e.g. remembered from an earlier session while the server
   * is unreachable): held as `unknown`, which keeps it polled.
   */
  ensure(taskId: string, attribution: TaskAttribution = {}, remembered: RememberedTimes = {}): TrackedTask {
    const held = this.get(taskId);
    if (held) {
      return held;
    }
    return this.put({
      serverId: this.serverId,
      taskId,
      ...remembered,
      status: 'unknown',
      ...mergeAttribution(undefined, attribution),
      fetchedAt: 0,
    });
  }

  setLastError(taskId: string, message: string | undefined): void {
    this.setNote(taskId, 'lastError', message);
  }

  setInputRequest(taskId: string, request: InputRequest | undefined): void {
    this.setNote(taskId, 'inputRequest', request);
  }

  /** Sets or clears what the client notes about a held task beside the server's report. */
  private setNote<K extends 'lastError' | 'inputRequest'>(taskId: string, key: K, value: TrackedTask[K] | undefined): void {
    const held = this.get(taskId);
    if (!held) {
      return;
    }
    const rest: TrackedTask = { ...held };
    delete (rest as { [k in K]?: unknown })[key];
    this.put(value !== undefined ? { ...rest, [key]: value } : rest);
  }

  /** No more events (the server was removed); what is held stays readable. */
  dispose(): void {
    this.disposed = true;
    this.changeEmitter.dispose();
  }

  private put(next: TrackedTask): TrackedTask {
    const entry = this.entries.get(next.taskId);
    if (entry) {
      const changed = !sameVisibleState(entry.task, next);
      if (entry.task.createdAt !== next.createdAt) this.sorted = undefined;
      entry.task = next;
      if (changed) {
        this.markChanged(next.taskId);
      }
    } else {
      this.entries.set(next.taskId, { task: next, seq: this.nextSeq++, firstSeenAt: Date.now() });
      this.sorted = undefined;
      this.markChanged(next.taskId);
    }
    return next;
  }

  private markChanged(taskId: string): void {
    this.pendingChanged.add(taskId);
    this.queueFlush();
  }

  private queueFlush(): void {
    if (this.flushQueued) {
      return;
    }
    this.flushQueued = true;
    queueMicrotask(() => this.flush());
  }

  private flush(): void {
    this.flushQueued = false;
    if (this.disposed) {
      return;
    }
    const changed = [...this.pendingChanged].map((id) => this.get(id)).filter((t): t is TrackedTask => t !== undefined);
    this.pendingChanged = new Set();
    if (changed.length > 0) {
      this.changeEmitter.fire({ serverId: this.serverId, changed });
    }
  }
}
