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

/**
 * What we remember of a task we created (from KnownTaskIds) before the server confirms it: without its
 * creation time a remembered task would sort as the newest and show no age.
 */
export interface RememberedTimes {
  readonly createdAt?: string;
  readonly ttl?: number | null;
}

export class TaskStore implements TaskStoreView {
  /** The tasks held, by id, in order of first sight (a Map keeps insertion order; nothing is ever removed). */
  private readonly tasks = new Map<string, TrackedTask>();
  /** When tasks without a usable `createdAt` were first seen: their place in the newest-first order. */
  private readonly firstSeenAt = new Map<string, number>();
  private readonly changeEmitter = new Emitter<TaskChange>();
  readonly onDidChange: Event<TaskChange> = this.changeEmitter.event;
  private pendingChanged = new Set<string>();
  private flushQueued = false;
  private disposed = false;
  /**
   * Entries newest first, kept until the order can change (a task added or removed, a creation time
   * learnt): views list on every change, and re-sorting thousands of tasks per status push stalls them.
   */
  private sorted: string[] | undefined;

  constructor(readonly serverId: string) {}

  get size(): number {
    return this.tasks.size;
  }

  get(taskId: string): TrackedTask | undefined {
    return this.tasks.get(taskId);
  }

  list(): TrackedTask[] {
    if (!this.sorted) {
      let seq = 0;
      const keyed: { id: string; key: number; seq: number }[] = [];
      for (const task of this.tasks.values()) {
        const created = task.createdAt !== undefined ? Date.parse(task.createdAt) : NaN;
        keyed.push({ id: task.taskId, key: Number.isNaN(created) ? (this.firstSeenAt.get(task.taskId) ?? 0) : created, seq: seq++ });
      }
      // Newest first; among equal times, the later seen first.
      this.sorted = keyed.sort((a, b) => b.key - a.key || b.seq - a.seq).map((k) => k.id);
    }
    return this.sorted.map((id) => this.tasks.get(id)!);
  }

  /** Applies what the server said; returns the task as now held. */
  apply(snapshot: TaskSnapshot, attribution: TaskAttribution = {}, fetchedAt = Date.now()): TrackedTask {
    const held = this.tasks.get(snapshot.taskId);
    if (held !== undefined && repeatsHeld(held, snapshot, attribution)) {
      // Most replies (polls of a task that has not moved, listings of finished tasks) say again what is
      // held: only the time of the confirmation changes, in place, and that is no change event.
      held.fetchedAt = fetchedAt;
      return held;
    }
    return this.put(mergeTask(this.serverId, held, snapshot, attribution, fetchedAt));
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
    const held = this.tasks.get(next.taskId);
    this.tasks.set(next.taskId, next);
    if (next.createdAt === undefined && !this.firstSeenAt.has(next.taskId)) {
      this.firstSeenAt.set(next.taskId, Date.now());
    }
    if (!held || held.createdAt !== next.createdAt) {
      this.sorted = undefined;
    }
    if (!held || !sameVisibleState(held, next)) {
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
