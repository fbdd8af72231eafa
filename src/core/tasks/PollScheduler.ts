/**
 * When to poll which task of one server. Each task's next poll is its interval after the last answer:
 * the server's `pollInterval` (re-read from every reply), never below `minPollIntervalMs`, doubled per
 * consecutive error, and never above `maxPollIntervalMs`. A task that has not changed for a while is
 * polled less often (about a quarter of the time it has been quiet, see `quietInterval`) and snaps back to
 * its interval as soon as it changes: a task stepping every few intervals keeps its rate, ten thousand
 * that sit still cost next to nothing. A task that changes on a steady beat is looked at just after each
 * change is due, and only every few intervals in between (ChangeCadence). Due tasks are handed over
 * together, so the caller can answer them with one `tasks/list` instead of N `tasks/get`. One timer per
 * server, unref'd.
 */
import type { CoreSettings } from '../model/ports';
import { ChangeCadence } from './ChangeCadence';
import { DueTimer } from './DueTimer';
import { BACKGROUND_FACTOR, pollIntervalFor } from './pollIntervals';
import { newSlot, reported, type PollSlot, type TrackReport } from './PollSlot';

export type { TrackReport } from './PollSlot';

/** Tasks due within this much of each other are polled together. */
const GROUPING_SLACK_MS = 20;

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
  private readonly slots = new Map<string, PollSlot>();
  private readonly timer = new DueTimer(() => this.tick());
  private readonly cadence = new ChangeCadence();
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

  /** Tracked tasks polled at their own interval (not quiet, not push-fed, not on a beat): all come due within one interval. */
  get busyIds(): string[] {
    const ids: string[] = [];
    for (const [id, slot] of this.slots) if (!slot.quiet && !slot.pushFed && !slot.background && !slot.onBeat) ids.push(id);
    return ids;
  }

  /**
   * Fresh news about a running task (a reply or a notification): next poll one interval from now (longer
   * while it stays quiet, or until just after its next change on a beat), or the slow safety interval when
   * the server pushes this task's changes. Starts tracking the task if needed.
   */
  track(taskId: string, report: TrackReport = {}): void {
    const now = Date.now();
    const slot = this.slots.get(taskId) ?? this.newSlot(taskId, now);
    const settings = this.deps.settings();
    reported(slot, report, settings, this.cadence, now);
    if (slot.background) slot.dueAt = this.backgroundDue(slot, now, Math.max(pollIntervalFor(settings, slot.pollInterval), settings.maxPollIntervalMs));
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
    slot.lookFrom = Infinity;
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

  private newSlot(taskId: string, now = Date.now()): PollSlot {
    const slot = newSlot(now);
    this.slots.set(taskId, slot);
    return slot;
  }

  /** A background task's next poll: never when sweeps refresh it, else on a slow grid shared by all such tasks. */
  private backgroundDue(slot: PollSlot, now: number, max: number): number {
    if (this.backgroundSwept) return Infinity;
    const every = max * BACKGROUND_FACTOR;
    slot.wait = Math.max(slot.wait, every);
    return Math.ceil((now + slot.wait) / every) * every;
  }

  private armBy(dueAt: number): void {
    if (!this.paused && !this.disposed) this.timer.by(dueAt);
  }

  /** Only a firing timer looks for the next due time (see DueTimer). */
  private arm(): void {
    this.timer.stop();
    let next = Infinity;
    for (const slot of this.slots.values()) {
      if (!slot.inFlight && slot.dueAt < next) {
        next = slot.dueAt;
      }
    }
    if (next !== Infinity) this.armBy(next);
  }

  private disarm(): void {
    this.timer.stop();
  }

  private tick(): void {
    if (this.paused || this.disposed) {
      return;
    }
    const now = Date.now();
    const due: string[] = [];
    let quietDue = false;
    for (const [id, slot] of this.slots) {
      // A task on its beat whose change is due by now is taken along (a page read answers it too, see ChangeCadence).
      if (!slot.inFlight && (slot.dueAt <= now + GROUPING_SLACK_MS || slot.lookFrom <= now)) {
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
