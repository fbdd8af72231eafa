/**
 * Servers that list are swept now and then, to find tasks started elsewhere (another client, the server
 * itself). One timer per server, unref'd, off while polling is paused and while the server cannot list.
 * A sweep is skipped while the poller's own listings go through every page anyway (quiet tasks are polled
 * with full listings at about the same rate): the second listing would find nothing the first did not.
 * Sweeps are also what refreshes the running tasks nobody sees or waits for (see TaskInterest).
 */
import type { CoreSettings } from '../model/ports';
import { errorMessage } from '../util/errors';
import { unrefTimeout, type TimerHandle } from '../util/timers';
import { BACKGROUND_FACTOR } from './pollIntervals';
import type { ProtocolSlot } from './ProtocolSlot';
import type { TaskInventory } from './TaskInventory';
import type { TaskTracker } from './TaskTracker';

export class SweepTimer {
  private timer?: TimerHandle;
  private paused = false;
  private disposed = false;

  constructor(
    private readonly tracker: TaskTracker,
    private readonly slot: ProtocolSlot,
    private readonly inventory: TaskInventory,
    private readonly settings: () => CoreSettings,
  ) {}

  /** Everything known is asked about again at once (the server may have restarted and forgotten it all). */
  async sweepNow(): Promise<void> {
    const protocol = this.slot.current;
    try {
      await this.inventory.sweep();
    } catch (err) {
      if (protocol && this.slot.isCurrent(protocol)) {
        this.tracker.log('warn', `task inventory failed: ${errorMessage(err)}`);
      }
    }
    this.tracker.pruneKnown();
    if (protocol && this.slot.isCurrent(protocol)) {
      this.arm();
    }
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    if (paused) this.stop();
    else this.arm();
  }

  stop(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  dispose(): void {
    this.disposed = true;
    this.stop();
  }

  private arm(): void {
    this.armIn(this.every());
  }

  /**
   * Sweeps refresh the tasks nobody sees or waits for (TaskInterest), so they come less often once a view
   * limits what is polled: a whole listing of 10,000 tasks every 30 s cost more than everything else.
   */
  private every(): number {
    return this.settings().maxPollIntervalMs * (this.tracker.interestLimited ? BACKGROUND_FACTOR : 1);
  }

  private armIn(delay: number): void {
    this.stop();
    const lists = this.slot.current?.capabilities.list === true;
    if (!lists) this.tracker.setBackgroundSwept(false);
    if (this.paused || this.disposed || !lists) {
      return;
    }
    const every = this.every();
    this.timer = unrefTimeout(() => {
      this.timer = undefined;
      const sinceListedAll = Date.now() - this.inventory.lastListedAll;
      if (sinceListedAll < every) {
        this.tracker.pruneKnown();
        this.armIn(every - sinceListedAll);
        return;
      }
      void this.sweepNow();
    }, delay);
  }
}
