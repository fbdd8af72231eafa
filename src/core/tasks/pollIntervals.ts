/**
 * How long to wait before polling a task again: the server's interval within the user's bounds, backed
 * off while the task stays quiet, and the factors for tasks that push or that nobody sees.
 */
import type { CoreSettings } from '../model/ports';

/** When the server suggests nothing. */
const DEFAULT_POLL_INTERVAL_MS = 1_000;
/** Unchanged for this many intervals, a task counts as quiet and its polls spread out. */
export const QUIET_AFTER_INTERVALS = 8;
/** A server whose pushes have proven reliable: its push-fed tasks' safety net is this many times longer. */
export const PROVEN_PUSH_SAFETY_FACTOR = 10;

/**
 * Tasks nobody sees or waits for are refreshed this many times `maxPollIntervalMs` apart: by the server's
 * sweep when it lists (SweepTimer), else by polls on a shared grid.
 */
export const BACKGROUND_FACTOR = 4;

/**
 * Per task a server's listen acknowledged, the spacing of its safety-net polls: a server with N such tasks
 * gets about one safety-net poll per this many ms on average, however many tasks it holds (ten thousand
 * tasks checked every 5 min were 33 tasks/get a second).
 */
export const COVERED_SAFETY_SPACING_MS = 1_000;

/**
 * How a task's changes reach us: by polling only, by pushes (polls are a safety net), by proven pushes, or
 * (a number) by pushes a listen acknowledged, with the safety net that many ms apart (see coveredSafetyNet).
 */
export type PushFeed = boolean | 'proven' | number;

/**
 * The safety net of a task a listen acknowledged, when the server holds `covered` of them: the proven one,
 * or longer so that the server sees about one such poll per COVERED_SAFETY_SPACING_MS; spread by ±25 % so
 * tasks confirmed together do not come due together.
 */
export function coveredSafetyNet(settings: CoreSettings, covered: number): number {
  const proven = Math.max(settings.maxPollIntervalMs, 1) * PROVEN_PUSH_SAFETY_FACTOR;
  return Math.round(Math.max(proven, covered * COVERED_SAFETY_SPACING_MS) * (0.75 + Math.random() / 2));
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
