/**
 * When to poll which task of one server. Each task's next poll is its interval after the last answer:
 * the server's `pollInterval` (re-read from every reply), never below `minPollIntervalMs`, doubled per
 * consecutive error, and never above `maxPollIntervalMs`. Due tasks are handed over together, so the
 * caller can answer them with one `tasks/list` instead of N `tasks/get`. One timer per server, unref'd.
 */
import type { CoreSettings } from '../model/ports';
import { unrefTimeout, type TimerHandle } from '../util/timers';

/** When the server suggests nothing. */
export const DEFAULT_POLL_INTERVAL_MS = 1_000;
/** Tasks due within this much of each other are polled together. */
const GROUPING_SLACK_MS = 20;

interface Slot {
  dueAt: number;
  pollInterval?: number;
  errors: number;
  inFlight: boolean;
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

export class PollScheduler {
  private readonly slots = new Map<string, Slot>();
  private timer?: TimerHandle;
  private armQueued = false;
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

  /**
   * Fresh news about a running task (a reply or a notification): next poll one interval from now, or the
   * slow safety interval when the server pushes this task's changes. Starts tracking the task if needed.
   */
  track(taskId: string, pollInterval?: number, pushFed = false): void {
    const slot = this.slots.get(taskId) ?? this.newSlot(taskId);
    slot.inFlight = false;
    slot.errors = 0;
    if (pollInterval !== undefined) {
      slot.pollInterval = pollInterval;
    }
    const settings = this.deps.settings();
    const interval = pollIntervalFor(settings, slot.pollInterval);
    // A task the server keeps us informed about needs only a safety-net poll (see PushTrust).
    slot.dueAt = Date.now() + (pushFed ? Math.max(interval, settings.maxPollIntervalMs) : interval);
    this.queueArm();
  }

  /** Asking about the task failed: back off (and keep trying: it may be a running task). */
  failed(taskId: string): void {
    const slot = this.slots.get(taskId) ?? this.newSlot(taskId);
    slot.inFlight = false;
    slot.errors++;
    slot.dueAt = Date.now() + pollIntervalFor(this.deps.settings(), slot.pollInterval, slot.errors);
    this.queueArm();
  }

  /** Polls a tracked task within `ms`, unless it is due sooner anyway. */
  pollWithin(taskId: string, ms: number): void {
    const slot = this.slots.get(taskId);
    if (slot && !slot.inFlight) {
      slot.dueAt = Math.min(slot.dueAt, Date.now() + ms);
      this.queueArm();
    }
  }

  /** Polls these tasks (or all tracked) as soon as possible. */
  pollSoon(taskIds: readonly string[] = this.trackedIds): void {
    const now = Date.now();
    for (const id of taskIds) {
      (this.slots.get(id) ?? this.newSlot(id)).dueAt = now;
    }
    this.queueArm();
  }

  /** Terminal (or forgotten): no more polls. */
  untrack(taskId: string): void {
    // Listings report every finished task again: re-arming the timer for ids not followed is wasted work.
    if (this.slots.delete(taskId)) {
      this.queueArm();
    }
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

  private newSlot(taskId: string): Slot {
    const slot: Slot = { dueAt: Date.now(), errors: 0, inFlight: false };
    this.slots.set(taskId, slot);
    return slot;
  }

  /** Many slots change in one go (a list sweep): find the next due time once, afterwards. */
  private queueArm(): void {
    if (this.armQueued) {
      return;
    }
    this.armQueued = true;
    queueMicrotask(() => {
      this.armQueued = false;
      this.arm();
    });
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
      this.timer = unrefTimeout(() => this.tick(), next - Date.now());
    }
  }

  private disarm(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private tick(): void {
    this.timer = undefined;
    if (this.paused || this.disposed) {
      return;
    }
    const horizon = Date.now() + GROUPING_SLACK_MS;
    const due: string[] = [];
    for (const [id, slot] of this.slots) {
      if (!slot.inFlight && slot.dueAt <= horizon) {
        slot.inFlight = true;
        due.push(id);
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
