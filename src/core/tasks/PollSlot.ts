/**
 * One task's poll state, and when its next poll is due after a report about it: its interval after the
 * answer, longer while it stays quiet (`quietInterval`, on a shared grid), just after its next change when
 * it changes on a beat (ChangeCadence), or the slow safety net when the server pushes its changes. The
 * scheduler (PollScheduler) keeps the slots of one server, its timer and the background cadence.
 */
import type { CoreSettings } from '../model/ports';
import { OFF_BEAT_INTERVALS, type Beat, type ChangeCadence } from './ChangeCadence';
import { PROVEN_PUSH_SAFETY_FACTOR, pollIntervalFor, quietInterval, type PushFeed } from './pollIntervals';

export interface PollSlot extends Beat {
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
  /** Waits for its next change on its beat (ChangeCadence): not due within one interval. */
  onBeat: boolean;
  /** On its beat, its change is due from then: worth taking along from then on (Infinity: not yet known). */
  lookFrom: number;
}

/** What a report about a running task says (see `PollScheduler.track`). */
export interface TrackReport {
  /** The server's interval for it. */
  readonly pollInterval?: number;
  readonly pushFed?: PushFeed;
  /** The task changed then (the reply showed a new state; ms since epoch, our clock). */
  readonly changedAt?: number;
  /** Nobody can see it or waits for it (the scheduler's background cadence decides when it is due). */
  readonly background?: boolean;
  /** The task's own timestamp (server clock, ISO 8601): its beat is learnt from it. */
  readonly lastUpdatedAt?: string;
  /** When its ttl runs out (creation + ttl, ms since epoch): the server may then drop it without a word. */
  readonly expiresAt?: number;
}

/** A push-fed task is looked at this long after its ttl has run out (a server drops it at that moment). */
const EXPIRY_GRACE_MS = 200;

export function newSlot(now: number): PollSlot {
  return { dueAt: now, errors: 0, inFlight: false, changedAt: now, wait: 0, quiet: false, pushFed: false, background: false, onBeat: false, lookFrom: Infinity };
}

/**
 * Takes in a report (the slot answered, so it is no longer in flight and its errors are forgiven) and sets
 * when the task is next due, except for a background task: that is the scheduler's to say.
 */
export function reported(slot: PollSlot, report: TrackReport, settings: CoreSettings, cadence: ChangeCadence, now: number): void {
  const { background = false, expiresAt } = report;
  // A server that pushes a task's changes need not push its expiry (the task is just gone): once its ttl has
  // run out it is polled like one that is not pushed, and before that it is looked at when it runs out.
  const pastTtl = expiresAt !== undefined && now >= expiresAt;
  const pushFed = pastTtl ? false : (report.pushFed ?? false);
  slot.inFlight = false;
  slot.errors = 0;
  if (report.pollInterval !== undefined) slot.pollInterval = report.pollInterval;
  const interval = pollIntervalFor(settings, slot.pollInterval);
  if (report.changedAt !== undefined) {
    slot.changedAt = Math.min(report.changedAt, now);
    const updatedAt = Date.parse(report.lastUpdatedAt ?? '');
    if (Number.isFinite(updatedAt)) cadence.changed(slot, updatedAt, interval, now);
  }
  const max = Math.max(interval, settings.maxPollIntervalMs);
  // A task the server keeps us informed about needs only a safety-net poll (see PushTrust).
  // A number: the spread-out safety net of a task the server promised to push (see coveredSafetyNet).
  const safetyNet = typeof pushFed === 'number' ? Math.max(pushFed, max) : pushFed === 'proven' ? max * PROVEN_PUSH_SAFETY_FACTOR : max;
  slot.wait = pushFed ? safetyNet : quietInterval(interval, now - slot.changedAt, max);
  const onBeat = pushFed || background ? undefined : cadence.nextLook(slot, interval, Math.max(OFF_BEAT_INTERVALS * interval, slot.wait), now);
  slot.onBeat = onBeat !== undefined;
  slot.lookFrom = onBeat?.from ?? Infinity;
  slot.quiet = (slot.wait > interval && !slot.onBeat) || background;
  slot.pushFed = pushFed !== false;
  slot.background = background;
  if (onBeat !== undefined) {
    slot.dueAt = Math.max(onBeat.at, now + settings.minPollIntervalMs);
    return;
  }
  // Quiet tasks come due on a shared grid (a quarter of their wait, on the clock): those seen at different
  // moments, over the many pages of a slow listing, are due together again and make one listing.
  const grid = slot.quiet && !pushFed ? slot.wait / 4 : 0;
  slot.dueAt = grid > 0 ? Math.ceil((now + slot.wait) / grid) * grid : now + slot.wait;
  if (pushFed && expiresAt !== undefined) slot.dueAt = Math.min(slot.dueAt, expiresAt + EXPIRY_GRACE_MS);
}
