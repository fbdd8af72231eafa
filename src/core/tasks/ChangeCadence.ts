/**
 * When a task is expected to change next, from the server's own timestamps (`lastUpdatedAt`) of its past
 * changes. Many tasks report progress on a steady beat (a step every few seconds): polled every interval,
 * such a task is mostly re-read unchanged between two steps. Once the gap between two states of it that we
 * saw one after the other is known, the task has a beat: it is looked at just after its next change is
 * due, and in between only every few intervals (OFF_BEAT_INTERVALS), so that a change off the beat, such
 * as its end, is still seen within those few intervals. A change that comes later than the beat says costs
 * nothing: once it is due, the task is polled at its interval again until it changes. One that comes
 * earlier breaks the beat: from then on the task needs two gaps in a row that agree before it has a beat
 * again, so a task that changes at random is misjudged once, not at every change. A beat below
 * OFF_BEAT_INTERVALS intervals saves a poll a beat at most, and a look that comes before a late change then
 * costs a whole interval (the idle bench's task stepping every 2 intervals was seen later, not cheaper); one
 * of QUIET_AFTER_INTERVALS intervals or more is left to the quiet backoff (`quietInterval`), as before.
 *
 * Tasks listed on one page are read together, but their beats need not be in step: the look just after a
 * change may come a little later (LOOK_SLACK_SHARE of an interval), and any task whose change is due by
 * then is taken along, so that one page read answers the changes of several tasks.
 *
 * The server's clock may differ from ours. Its timestamps are placed on our clock by the smallest delay
 * seen between a change (its clock) and our holding it (ours): the clock difference plus the quickest
 * answer. That estimate creeps up by a millisecond a second, so a clock that moved is followed.
 */
import { QUIET_AFTER_INTERVALS } from './pollIntervals';

/** What is known about one task's beat (kept on its poll slot). */
export interface Beat {
  /** The server's time of the task's last change seen (ms since epoch, its clock). */
  updatedAt?: number;
  /** The gap before that change. */
  gap?: number;
  /** The beat: the last gap, when it may be trusted (see above). */
  period?: number;
  /** A gap has disagreed with the one before: a beat needs two gaps that agree. */
  broken?: boolean;
}

/** Between the beats, a task is still looked at every this many intervals (a change off the beat). */
export const OFF_BEAT_INTERVALS = 3;
/** When to look, and from when a look is worth it (its change is due; undefined for a look between beats). */
export interface Look {
  readonly at: number;
  readonly from?: number;
}
/** Looked at from this share of an interval after the change is due: the server's own timer may run a little late. */
const LOOK_AFTER_SHARE = 0.1;
/** ... and by this share more at the latest: others whose change is due by then are answered by the same read. */
const LOOK_SLACK_SHARE = 0.2;
/** Two gaps agree when they differ by less than this share of an interval. */
const AGREE_SHARE = 0.5;

export class ChangeCadence {
  /** Our clock minus the server's, plus the quickest answer seen (ms). */
  private offset = Infinity;
  private offsetAt = 0;

  /**
   * A report of the task, holding a state it had not shown before (`updatedAt`: its lastUpdatedAt, server
   * clock). At first sight there is no gap yet: the state before may have been missed.
   */
  changed(beat: Beat, updatedAt: number, interval: number, now: number): void {
    const before = beat.updatedAt;
    if (before !== undefined && updatedAt <= before) return;
    beat.updatedAt = updatedAt;
    this.observeDelay(now - updatedAt, now);
    if (before === undefined) return;
    const gap = updatedAt - before;
    const agrees = beat.gap !== undefined && Math.abs(gap - beat.gap) < AGREE_SHARE * interval;
    if (beat.gap !== undefined && !agrees) beat.broken = true;
    beat.period = (agrees || !beat.broken) && gap >= OFF_BEAT_INTERVALS * interval && gap < QUIET_AFTER_INTERVALS * interval ? gap : undefined;
    beat.gap = gap;
  }

  /**
   * When to look at a task with a beat next (ms since epoch, our clock): just after its next change is due,
   * or, when that is further than `offBeat` away, at even steps of at most `offBeat` until then. Undefined
   * when it has no beat, or its change is due already (it is late: polled at its interval as usual).
   */
  nextLook(beat: Beat, interval: number, offBeat: number, now: number): Look | undefined {
    if (beat.period === undefined || beat.updatedAt === undefined || this.offset === Infinity) return undefined;
    const from = beat.updatedAt + beat.period + this.currentOffset(now) + LOOK_AFTER_SHARE * interval;
    if (from <= now) return undefined;
    const steps = Math.ceil((from - now) / Math.max(interval, offBeat));
    return steps === 1 ? { at: from + LOOK_SLACK_SHARE * interval, from } : { at: now + (from - now) / steps };
  }

  private observeDelay(delay: number, now: number): void {
    if (delay < this.currentOffset(now)) this.offset = delay;
    else this.offset = this.currentOffset(now);
    this.offsetAt = now;
  }

  private currentOffset(now: number): number {
    return this.offset + Math.max(0, now - this.offsetAt) / 1_000;
  }
}
