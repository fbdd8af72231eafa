/**
 * One timer that fires by the earliest due time it was given. Moving it earlier is O(1) (`by`): a listing
 * page reports a hundred tasks, and scanning every slot after each (10,000 per server) was a tenth of the
 * host's time while the view opened. Only the owner, when the timer fires, looks for the next due time.
 * Unref'd: polling never keeps the process alive.
 */
import { unrefTimeout, type TimerHandle } from '../util/timers';

export class DueTimer {
  private timer?: TimerHandle;
  /** When the timer fires (Infinity: not armed). */
  private at = Infinity;

  constructor(private readonly fire: () => void) {}

  /** Fires by `dueAt` at the latest. */
  by(dueAt: number): void {
    if (dueAt >= this.at) return;
    if (this.timer) clearTimeout(this.timer);
    this.at = dueAt;
    this.timer = unrefTimeout(() => {
      this.timer = undefined;
      this.at = Infinity;
      this.fire();
    }, dueAt - Date.now());
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.at = Infinity;
  }
}
