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
import { BACKGROUND_FACTOR, PROVEN_PUSH_SAFETY_FACTOR, pollIntervalFor, quietInterval, type PushFeed } from './pollIntervals';


/** Tasks due within this much of each other are polled together. */
const GROUPING_SLACK_MS = 20;

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

export class PollScheduler {
  private readonly slots = new Map<string, Slot>();
  private timer?: TimerHandle;
  /** When the timer fires (Infinity: not armed). */
  private timerAt = Infinity;
  private paused = false;
  private disposed = false;
  private backgroundSwept = false;

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
   * `background`: nobody can see the task or waits for it (see `backgroundDue`).
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
    const safetyNet = typeof pushFed === 'number' ? Math.max(pushFed, max) : pushFed === 'proven' ? max * PROVEN_PUSH_SAFETY_FACTOR : max;
    slot.wait = pushFed ? safetyNet : quietInterval(interval, now - slot.changedAt, max);
    slot.quiet = slot.wait > interval || background;
    slot.pushFed = pushFed !== false;
    slot.background = background;
    if (background) {
      slot.dueAt = this.backgroundDue(slot, now, max);
      this.armBy(slot.dueAt);
      return;
    }
    // Quiet tasks come due on a shared grid (a quarter of their wait, on the clock): those seen at different
    // moments, over the many pages of a slow listing, are due together again and make one listing.
    const grid = slot.quiet && !pushFed ? slot.wait / 4 : 0;
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
    slot.quiet = true;
    if (!slot.inFlight) slot.dueAt = this.backgroundDue(slot, now, Math.max(pollIntervalFor(settings, slot.pollInterval), settings.maxPollIntervalMs));
  }

  /** The server's sweeps refresh background tasks (it lists): they are then never polled one by one. */
  setBackgroundSwept(swept: boolean): void {
    if (swept === this.backgroundSwept) return;
    this.backgroundSwept = swept;
    if (swept) return;
    // Sweeps no longer reach them all (a capped listing, a server that stopped listing): the grid does.
    const now = Date.now();
    const max = this.deps.settings().maxPollIntervalMs;
    for (const slot of this.slots.values()) if (slot.background && slot.dueAt === Infinity) this.armBy((slot.dueAt = this.backgroundDue(slot, now, max)));
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

  /** A background task's next poll: never when sweeps refresh it, else on a slow grid shared by all such tasks. */
  private backgroundDue(slot: Slot, now: number, max: number): number {
    if (this.backgroundSwept) return Infinity;
    const every = max * BACKGROUND_FACTOR;
    slot.wait = Math.max(slot.wait, every);
    return Math.ceil((now + slot.wait) / every) * every;
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
