// The poll timer is re-armed in O(1) per report (a listing page reports a hundred tasks; scanning 10,000
// slots after each was a tenth of the extension host's time while the view opened). What must still hold:
// a task due sooner than the armed time is polled at its time, and a timer left for a task that is gone
// finds the next due task when it fires.
import * as assert from 'node:assert/strict';
import { PollScheduler } from '../../../src/core/tasks/PollScheduler';
import { testSettings } from '../../support/registryHarness';
import { waitFor } from '../../support/waiting';

describe('the poll timer', () => {
  const settings = testSettings({ minPollIntervalMs: 50, maxPollIntervalMs: 5_000 });

  function recorder(): { scheduler: PollScheduler; polls: Map<string, number> } {
    const polls = new Map<string, number>();
    const scheduler: PollScheduler = new PollScheduler({
      settings: () => settings,
      poll: async (ids) => {
        for (const id of ids) polls.set(id, Date.now());
        ids.forEach((id) => scheduler.untrack(id));
      },
      onError: assert.fail,
    });
    return { scheduler, polls };
  }

  it('polls a task due sooner than the armed time at its own time', async () => {
    const { scheduler, polls } = recorder();
    const t0 = Date.now();
    scheduler.track('late', { pollInterval: 2_000 });
    scheduler.track('soon', { pollInterval: 100 });
    await waitFor('the soon task polled', () => polls.has('soon'), 1_000);
    assert.ok(polls.get('soon')! - t0 < 400, `polled after ${polls.get('soon')! - t0} ms, at its 100 ms interval`);
    assert.equal(polls.has('late'), false);
    scheduler.dispose();
  });

  it('still polls the next task when the one the timer was armed for is gone', async () => {
    const { scheduler, polls } = recorder();
    const t0 = Date.now();
    scheduler.track('gone', { pollInterval: 100 });
    scheduler.track('next', { pollInterval: 300 });
    scheduler.untrack('gone');
    await waitFor('the next task polled', () => polls.has('next'), 2_000);
    assert.ok(polls.get('next')! - t0 < 700, `polled after ${polls.get('next')! - t0} ms (interval 300 ms)`);
    assert.equal(polls.has('gone'), false);
    scheduler.dispose();
  });
});
