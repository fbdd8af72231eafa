import * as assert from 'node:assert/strict';
import { PollScheduler } from '../../../src/core/tasks/PollScheduler';
import { pollIntervalFor } from '../../../src/core/tasks/pollIntervals';
import { testSettings } from '../../support/registryHarness';
import { sleep, waitFor } from '../../support/waiting';

describe('PollScheduler', () => {
  const settings = testSettings({ minPollIntervalMs: 100, maxPollIntervalMs: 1_000 });

  it('uses the server interval, never below the minimum, backing off after errors up to the maximum', () => {
    assert.equal(pollIntervalFor(settings, 300), 300);
    assert.equal(pollIntervalFor(settings, 10), 100);
    assert.equal(pollIntervalFor(settings, 10_000_000), 1_000, 'a huge interval is capped');
    assert.equal(pollIntervalFor(settings, undefined), 1_000, 'the 1 s default, capped');
    assert.equal(pollIntervalFor(settings, 200, 1), 400);
    assert.equal(pollIntervalFor(settings, 200, 10), 1_000);
  });

  it('hands over tasks that are due together in one call, and re-reads the interval from each report', async () => {
    const calls: string[][] = [];
    let reportedAt = 0;
    const scheduler: PollScheduler = new PollScheduler({
      settings: () => settings,
      poll: async (ids) => {
        calls.push([...ids].sort());
        reportedAt = Date.now();
        ids.forEach((id) => scheduler.track(id, { pollInterval: 150 }));
      },
      onError: assert.fail,
    });
    scheduler.track('a', { pollInterval: 100 });
    scheduler.track('b', { pollInterval: 100 });
    await waitFor('a first poll', () => calls.length >= 1);
    assert.deepEqual(calls[0], ['a', 'b']);
    // Measured from the report, not from when waitFor looked (a busy machine may look 50 ms late).
    const wait = scheduler.nextPollAt('a')! - reportedAt;
    assert.ok(wait >= 150 && wait <= 155, `the interval from the reply is used: next poll ${wait} ms after it`);
    scheduler.dispose();
  });

  it('stops polling untracked tasks, and backs off a failing one', async () => {
    let polls = 0;
    let failedAt = 0;
    const scheduler: PollScheduler = new PollScheduler({
      settings: () => settings,
      poll: async (ids) => {
        polls++;
        failedAt = Date.now();
        ids.forEach((id) => scheduler.failed(id));
      },
      onError: assert.fail,
    });
    scheduler.track('x', { pollInterval: 100 });
    await waitFor('a poll', () => polls === 1);
    const gap = scheduler.nextPollAt('x')! - failedAt;
    assert.ok(gap >= 200 && gap <= 205, `backed off to 200 ms after the failure, got ${gap}`);
    scheduler.untrack('x');
    const before = polls;
    await sleep(400);
    assert.equal(polls, before);
    scheduler.dispose();
  });

  it('polls nothing while paused, and everything at once on resume', async () => {
    const polled: string[] = [];
    const scheduler: PollScheduler = new PollScheduler({
      settings: () => settings,
      poll: async (ids) => {
        polled.push(...ids);
        ids.forEach((id) => scheduler.track(id, { pollInterval: 5_000 }));
      },
      onError: assert.fail,
    });
    scheduler.setPaused(true);
    scheduler.track('a', { pollInterval: 100 });
    scheduler.track('b', { pollInterval: 800 });
    await sleep(250);
    assert.deepEqual(polled, []);
    const resumedAt = Date.now();
    scheduler.setPaused(false);
    await waitFor('both polled', () => polled.length === 2);
    assert.ok(Date.now() - resumedAt < 100, 'resuming polls at once, not after the intervals');
    scheduler.dispose();
  });
});
