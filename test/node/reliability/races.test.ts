// Races: cancel while a task completes, two cancels, a result asked for during a cancel, a server removed
// from the configuration while its tasks are polled.
import * as assert from 'node:assert/strict';
import type { TaskChange } from '../../../src/core';
import { isAlive } from '../../fixtures/fault-server/spawn';
import {
  assertResponsive,
  connected,
  guardUnhandledRejections,
  Harness,
  rejection,
  rit,
  sleep,
  stdioConfig,
  taskState,
  waitFor,
  within,
} from './harness';

describe('reliability: races', function () {
  this.timeout(30_000);
  guardUnhandledRejections();
  let h: Harness;
  afterEach(async () => {
    await h?.dispose();
  });

  rit('cancel while the task completes: the task ends completed (not expired, not cancelled) and says why', async () => {
    h = new Harness();
    // The server takes 600 ms to act on a cancel; the task completes 300 ms after it starts.
    const [srv] = h.start(stdioConfig('cancel-late', ['--fault', 'delay=tasks/cancel:600']));
    await connected(srv!);
    const task = await srv!.callToolAsTask('job', { ms: 300, text: 'finished first' });
    const settled = await within(5_000, 'cancelTask racing completion', srv!.cancelTask(task.taskId).then(
      (t) => ({ ok: true as const, t }),
      (e: Error) => ({ ok: false as const, e }),
    ));
    if (settled.ok) assert.equal(settled.t.status, 'completed');
    else assert.match(settled.e.message, /already completed/, settled.e.message);
    const held = await taskState(srv!, task.taskId, (t) => t.status === 'completed', 'completed');
    assert.equal(held.status, 'completed');
    const outcome = await srv!.getTaskResult(task.taskId);
    assert.equal(outcome.kind === 'result' && outcome.result.content?.[0]?.text, 'finished first');
  });

  rit('two cancels at once: one wins, the other says it is already cancelled, the task ends cancelled', async () => {
    h = new Harness();
    const [srv] = h.start(stdioConfig('double-cancel'));
    await connected(srv!);
    const task = await srv!.callToolAsTask('endless', {});
    const results = await within(5_000, 'two cancels', Promise.allSettled([srv!.cancelTask(task.taskId), srv!.cancelTask(task.taskId)]));
    const won = results.filter((r) => r.status === 'fulfilled');
    assert.ok(won.length >= 1, `no cancel succeeded: ${JSON.stringify(results.map((r) => r.status === 'rejected' ? String(r.reason) : 'ok'))}`);
    for (const r of results) {
      if (r.status === 'rejected') assert.match(String((r.reason as Error).message), /already cancelled/);
      else assert.equal(r.value.status, 'cancelled');
    }
    assert.equal(srv!.store.get(task.taskId)?.status, 'cancelled');
  });

  rit('a result asked for while the task is being cancelled settles as a plain "no result", the task cancelled', async () => {
    h = new Harness();
    const [srv] = h.start(stdioConfig('result-vs-cancel', ['--fault', 'delay=tasks/cancel:200']));
    await connected(srv!);
    const task = await srv!.callToolAsTask('endless', {});
    const result = srv!.getTaskResult(task.taskId); // blocks: the task runs until cancelled
    await sleep(100);
    const cancelled = await within(5_000, 'cancel while a result is awaited', srv!.cancelTask(task.taskId));
    assert.equal(cancelled.status, 'cancelled');
    const outcome = await within(5_000, 'the pending result after the cancel', result);
    assert.equal(outcome.kind, 'error');
    assert.match(outcome.kind === 'error' ? outcome.message : '', /no result/);
    assert.equal(srv!.store.get(task.taskId)?.status, 'cancelled');
    // Final: asking again answers from the cache, at once.
    assert.deepEqual(await within(500, 'cached outcome', srv!.getTaskResult(task.taskId)), outcome);
  });

  rit('a server removed from the configuration while its tasks are polled stops cleanly', async () => {
    h = new Harness();
    const slow = ['--poll-interval', '100', '--fault', 'delay=tasks/get:300', '--fault', 'delay=tasks/list:300', '--fault', 'no-notify'];
    const [srv, good] = h.start(stdioConfig('removed', slow), stdioConfig('healthy'));
    await connected(srv!);
    await connected(good!);
    const pid = srv!.processId!;
    const tasks = await Promise.all(Array.from({ length: 10 }, () => srv!.callToolAsTask('job', { ms: 60_000 })));
    const result = srv!.getTaskResult(tasks[0]!.taskId); // blocked on the server
    await sleep(450); // polls are in flight now
    let lateEvents = 0;
    srv!.store.onDidChange((_: TaskChange) => lateEvents++);

    h.registry.setConfigs([good!.config]);
    assert.equal(h.registry.get('removed'), undefined);
    const outcome = await within(5_000, 'the pending result of a removed server', result);
    assert.equal(outcome.kind, 'error');
    await waitFor('the removed server process to exit', () => !isAlive(pid), 5_000);
    // The in-flight polls land after removal: they must not resurrect events or throw.
    await sleep(700);
    assert.equal(lateEvents, 0, 'the removed server\'s store still fired events');
    for (const t of tasks) assert.ok(srv!.store.get(t.taskId), 'what was held stays readable');
    const err = await rejection(within(1_000, 'a call on the removed server', srv!.callToolAsTask('job', {})), 'calling a removed server');
    assert.match(err.message, /not connected|removed|stopped/);
    await assertResponsive(good!);
  });
});
