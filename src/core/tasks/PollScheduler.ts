/**
 * When to poll which task of one server. Each task's next poll is its interval after the last answer:
 * the server's `pollInterval` (re-read from every reply), never below `minPollIntervalMs`, doubled per
 * consecutive error, and never above `maxPollIntervalMs`. A task that has not changed for a while is
 * polled less often (about a quarter of the time it has been quiet, see `quietInterval`) and snaps back to
 * its interval as soon as it changes: a task stepping every few intervals keeps its rate, ten thousand
 * that sit still cost next to nothing. Due tasks are handed over together, so the caller can answer them
 * with one `tasks/list` instead of N `tasks/get`. One timer per server, unref'd.
 */
import type { CoreSettings } from '../model/ports';
import { unrefTimeout, type TimerHandle } from '../util/timers';

/** When the server suggests nothing. */
export const DEFAULT_POLL_INTERVAL_MS = 1_000;
/** Tasks due within this much of each other are polled together. */
const GROUPING_SLACK_MS = 20;
/** Unchanged for this many intervals, a task counts as quiet and its polls spread out. */
export const QUIET_AFTER_INTERVALS = 8;
/** A server whose pushes have proven reliable: its push-fed tasks' safety net is this many times longer. */
export const PROVEN_PUSH_SAFETY_FACTOR = 10;

/** How a task's changes reach us: by polling only, by pushes (polls are a safety net), by proven pushes. */
export type PushFeed = boolean | 'proven';

interface Slot {
  dueAt: number;
  pollInterval?: number;
  errors: number;
  inFlight: boolean;
  /** When the task last changed (ms since epoch, our clock; the server's last update at first sight). */
  changedAt: number;
  /** The wait before the due time last set (a quiet task may be polled up to a quarter of it early). */
  wait: number;
  /** Polled less than its interval says because it has not changed for a while. */
  quiet: boolean;
  /** Polled only as a safety net: the server pushes its changes. */
  pushFed: boolean;
  /** Nobody can see it or waits for it: polled only on the slow background cadence (see TaskInterest). */
  background: boolean;
}

export interface PollSchedulerDeps {
  readonly settings: () => CoreSettings;
  /**
   * Polls the due tasks and reports each back (`track`, `failed` or `untrack`). Ids not reported by the
   * time it settles are rescheduled after their interval.
   */
  readonly poll: (taskIds: string[]) => Promise<void>;
  readonly onError: (message: string) => void;
}

export function pollIntervalFor(settings: CoreSettings, pollInterval: number | undefined, errors = 0): number {
  const min = Math.max(1, settings.minPollIntervalMs);
  const max = Math.max(min, settings.maxPollIntervalMs);
  const base = Math.max(pollInterval ?? DEFAULT_POLL_INTERVAL_MS, min);
  return Math.min(base * 2 ** Math.min(errors, 16), max);
}

/**
 * The interval for a task unchanged for `quietMs`: its own interval until it has been quiet for
 * QUIET_AFTER_INTERVALS of them, then doubling in steps (2×, 4×, … — tasks seen together stay in step, so a
 * listing still answers them together) so that a change is seen within about a quarter of the quiet time,
 * never beyond `max`.
 */
export function quietInterval(interval: number, quietMs: number, max: number): number {
  const quietSteps = quietMs / (QUIET_AFTER_INTERVALS * interval);
  if (!(quietSteps >= 1)) return interval;
  return Math.max(interval, Math.min(interval * 2 ** (Math.floor(Math.log2(quietSteps)) + 1), max));
}

export class PollScheduler {
  private readonly slots = new Map<string, Slot>();
  private timer?: TimerHandle;
  /** When the timer fires (Infinity: not armed). */
  private timerAt = Infinity;
  private paused = false;
  private disposed = false;

  constructor(private readonly deps: PollSchedulerDeps) {}

  has(taskId: string): boolean {
    return this.slots.has(taskId);
  }

  /** When the task is next polled (ms since epoch), for tests and diagnostics. */
  nextPollAt(taskId: string): number | undefined {
    return this.slots.get(taskId)?.dueAt;
  }

  get trackedIds(): string[] {
    return [...this.slots.keys()];
  }

  /** Tracked tasks polled at their own interval (not quiet, not push-fed): all come due within one interval. */
  get busyIds(): string[] {
    const ids: string[] = [];
    for (const [id, slot] of this.slots) if (!slot.quiet && !slot.pushFed && !slot.background) ids.push(id);
    return ids;
  }

  /**
   * Fresh news about a running task (a reply or a notification): next poll one interval from now (longer
   * while it stays quiet), or the slow safety interval when the server pushes this task's changes. Starts
   * tracking the task if needed. `changedAt`: the task changed then (the reply showed a new state).
   * `background`: nobody can see the task or waits for it: polled every `maxPollIntervalMs` at most, on a
   * grid shared by all such tasks, so that one listing answers them all.
   */
  track(taskId: string, pollInterval?: number, pushFed: PushFeed = false, changedAt?: number, background = false): void {
    const now = Date.now();
    const slot = this.slots.get(taskId) ?? this.newSlot(taskId, now);
    slot.inFlight = false;
    slot.errors = 0;
    if (pollInterval !== undefined) {
      slot.pollInterval = pollInterval;
    }
    if (changedAt !== undefined) {
      slot.changedAt = Math.min(changedAt, now);
    }
    const settings = this.deps.settings();
    const interval = pollIntervalFor(settings, slot.pollInterval);
    const max = Math.max(interval, settings.maxPollIntervalMs);
    // A task the server keeps us informed about needs only a safety-net poll (see PushTrust).
    const safetyNet = pushFed === 'proven' ? max * PROVEN_PUSH_SAFETY_FACTOR : max;
    slot.wait = pushFed ? safetyNet : quietInterval(interval, now - slot.changedAt, max);
    if (background) slot.wait = Math.max(slot.wait, max);
    slot.quiet = slot.wait > interval;
    slot.pushFed = pushFed !== false;
    slot.background = background;
    // Quiet tasks come due on a shared grid (a quarter of their wait, on the clock): those seen at different
    // moments, over the many pages of a slow listing, are due together again and make one listing.
    const grid = background ? max : slot.quiet && !pushFed ? slot.wait / 4 : 0;
    slot.dueAt = grid > 0 ? Math.ceil((now + slot.wait) / grid) * grid : now + slot.wait;
    this.armBy(slot.dueAt);
  }

  /**
   * Someone can now see the task or waits for it (false: it is polled at once), or nobody any more (true:
   * it waits for the shared slow grid). The next report re-tracks it as usual.
   */
  setBackground(taskId: string, background: boolean): void {
    const slot = this.slots.get(taskId);
    if (!slot || slot.background === background) return;
    slot.background = background;
    const now = Date.now();
    if (!background) {
      if (!slot.inFlight) {
        slot.dueAt = now;
        this.armBy(now);
      }
      return;
    }
    const settings = this.deps.settings();
    const max = Math.max(pollIntervalFor(settings, slot.pollInterval), settings.maxPollIntervalMs);
    slot.wait = Math.max(slot.wait, max);
    slot.quiet = true;
    if (!slot.inFlight) slot.dueAt = Math.ceil((now + slot.wait) / max) * max;
  }

  /** Asking about the task failed: back off (and keep trying: it may be a running task). */
  failed(taskId: string): void {
    const slot = this.slots.get(taskId) ?? this.newSlot(taskId);
    slot.inFlight = false;
    slot.errors++;
    slot.wait = pollIntervalFor(this.deps.settings(), slot.pollInterval, slot.errors);
    slot.dueAt = Date.now() + slot.wait;
    this.armBy(slot.dueAt);
  }

  /** Polls a tracked task within `ms`, unless it is due sooner anyway. */
  pollWithin(taskId: string, ms: number): void {
    const slot = this.slots.get(taskId);
    if (slot && !slot.inFlight) {
      slot.dueAt = Math.min(slot.dueAt, Date.now() + ms);
      this.armBy(slot.dueAt);
    }
  }

  /** Polls these tasks (or all tracked) as soon as possible. */
  pollSoon(taskIds?: readonly string[]): void {
    const now = Date.now();
    if (taskIds) {
      for (const id of taskIds) (this.slots.get(id) ?? this.newSlot(id)).dueAt = now;
    } else {
      for (const slot of this.slots.values()) slot.dueAt = now;
    }
    this.armBy(now);
  }

  /** Terminal (or forgotten): no more polls. */
  untrack(taskId: string): void {
    // The timer stays: firing with nothing due, it finds the next due time then (once, not per task).
    this.slots.delete(taskId);
  }

  clear(): void {
    this.slots.clear();
    this.disarm();
  }

  /** Paused: no polls at all. Resumed: everything tracked is polled at once. */
  setPaused(paused: boolean): void {
    if (paused === this.paused) {
      return;
    }
    this.paused = paused;
    if (paused) {
      this.disarm();
    } else {
      this.pollSoon();
    }
  }

  dispose(): void {
    this.disposed = true;
    this.clear();
  }

  private newSlot(taskId: string, now = Date.now()): Slot {
    const slot: Slot = { dueAt: now, errors: 0, inFlight: false, changedAt: now, wait: 0, quiet: false, pushFed: false, background: false };
    this.slots.set(taskId, slot);
    return slot;
  }

  /**
   * The timer fires by `dueAt` at the latest. O(1): a listing page reports a hundred tasks, and scanning
   * every slot after each (10,000 per server) was a tenth of the host's time while the view opened. Only a
   * firing timer looks for the next due time (`arm`).
   */
  private armBy(dueAt: number): void {
    if (dueAt < this.timerAt && !this.paused && !this.disposed) this.setTimer(dueAt);
  }

  private arm(): void {
    this.disarm();
    if (this.paused || this.disposed) {
      return;
    }
    let next = Infinity;
    for (const slot of this.slots.values()) {
      if (!slot.inFlight && slot.dueAt < next) {
        next = slot.dueAt;
      }
    }
    if (next !== Infinity) {
      this.setTimer(next);
    }
  }

  private setTimer(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = unrefTimeout(() => this.tick(), at - Date.now());
  }

  private disarm(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.timerAt = Infinity;
  }

  private tick(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    if (this.paused || this.disposed) {
      return;
    }
    const now = Date.now();
    const due: string[] = [];
    let quietDue = false;
    for (const [id, slot] of this.slots) {
      if (!slot.inFlight && slot.dueAt <= now + GROUPING_SLACK_MS) {
        slot.inFlight = true;
        quietDue ||= slot.quiet;
        due.push(id);
      }
    }
    if (quietDue) {
      // Quiet tasks seen across the pages of one listing come due a little apart: taken along when due
      // within a quarter of their wait, they stay one listing instead of a tasks/get each. (Busy tasks
      // are not pulled in: their own polls stay single tasks/get, never waiting behind a listing.)
      for (const [id, slot] of this.slots) {
        if (!slot.inFlight && slot.quiet && !slot.background && slot.dueAt <= now + slot.wait / 4) {
          slot.inFlight = true;
          due.push(id);
        }
      }
    }
    if (due.length > 0) {
      void this.run(due);
    }
    this.arm();
  }

  private async run(due: string[]): Promise<void> {
    try {
      await this.deps.poll(due);
    } catch (err) {
      this.deps.onError(`polling failed: ${err instanceof Error ? err.message : String(err)}`);
      for (const id of due) {
        if (this.slots.get(id)?.inFlight) {
          this.failed(id);
        }
      }
    }
    for (const id of due) {
      if (this.slots.get(id)?.inFlight) {
        this.track(id);
      }
    }
  }
}
