// Servers that lie: unknown statuses, wrong-typed or missing fields, unusable tasks, pollInterval 0 or
// huge, a negative ttl, a list cursor that loops, duplicate and out-of-order pushes, ids never created.
// Each lie is shown or logged plainly, and the store keeps going.
import * as assert from 'node:assert/strict';
import type { TaskChange } from '../../../src/core';
import { UNKNOWN_STATUS } from '../../fixtures/fault-server/wire';
import {
  cleanupTempDirs,
  connected,
  guardUnhandledRejections,
  Harness,
  rejection,
  requestCounter,
  rit,
  sleep,
  stdioConfig,
  taskState,
  waitFor,
  within,
} from './harness';

describe('reliability: protocol lies', function () {
  this.timeout(30_000);
  guardUnhandledRejections();
  let h: Harness;
  afterEach(async () => {
    await h?.dispose();
    cleanupTempDirs();
  });

  let requests: ReturnType<typeof requestCounter>;
  const start = async (id: string, ...faults: string[]) => {
    h = new Harness();
    requests = requestCounter();
    const [srv] = h.start(stdioConfig(id, [...requests.args, ...faults.flatMap((f) => ['--fault', f])]));
    await connected(srv!);
    return srv!;
  };
  const polls = () => requests.count(/^tasks\/(get|list)$/);
  const warnings = (id: string, pattern: RegExp) => h.log.of(id).filter((l) => l.level === 'warn' && pattern.test(l.message));

  rit('an unknown status is shown verbatim as unknown, still polled, and logged once', async () => {
    const srv = await start('unknown-status', 'lie-status', 'no-notify');
    const task = await srv.callToolAsTask('job', { ms: 1_200 });
    const odd = await taskState(srv, task.taskId, (t) => t.status === 'unknown', 'unknown');
    assert.equal(odd.rawStatus, UNKNOWN_STATUS);
    await taskState(srv, task.taskId, (t) => t.status === 'completed', 'completed once the server says so');
    const lines = warnings('unknown-status', new RegExp(UNKNOWN_STATUS));
    assert.ok(lines.length >= 1 && lines.length <= 2, `${lines.length} warnings about the status:\n${lines.map((l) => l.message).join('\n')}`);
  });

  rit('missing and wrong-typed fields are dropped and logged; the task is still tracked to the end', async () => {
    const srv = await start('bad-types', 'lie-types', 'no-notify');
    const task = await srv.callToolAsTask('job', { ms: 600, message: 'working on it' });
    const done = await taskState(srv, task.taskId, (t) => t.status === 'completed', 'completed');
    // The honest creation reply gave a createdAt; the lying polls must not replace it with a number.
    assert.equal(typeof done.createdAt, 'string');
    assert.notEqual(done.ttl as unknown, '1h');
    assert.notEqual(done.pollInterval as unknown, 'fast');
    assert.ok(done.statusMessage === undefined || typeof done.statusMessage === 'string', `statusMessage ${JSON.stringify(done.statusMessage)}`);
    for (const field of ['createdAt', 'ttl', 'pollInterval', 'statusMessage']) {
      assert.ok(warnings('bad-types', new RegExp(field)).length >= 1, `no warning about ${field}:\n${h.log.text()}`);
    }
  });

  rit('a tasks/get reply with no usable task is a plain error; the task keeps its state; junk list entries are skipped', async () => {
    const srv = await start('unusable', 'lie-task', 'no-notify');
    const task = await srv.callToolAsTask('job', { ms: 500 });
    const err = await rejection(srv.getTaskStatus(task.taskId), 'tasks/get with an unusable task');
    assert.match(err.message, /usable task/);
    const held = srv.store.get(task.taskId)!;
    assert.equal(held.status, 'working');
    assert.match(held.lastError ?? '', /usable task/);
    // tasks/list mixes null, 42, "a string", [], {} and bad ids in with the real tasks.
    await sleep(600);
    await within(5_000, 'refresh() with junk in tasks/list', srv.refresh());
    await taskState(srv, task.taskId, (t) => t.status === 'completed', 'completed through the list');
    assert.deepEqual(srv.store.list().map((t) => t.taskId), [task.taskId], 'junk became tasks');
    assert.ok(warnings('unusable', /taskId|not an object/).length >= 1, 'the junk is logged');
  });

  rit('pollInterval 0 does not make a busy loop', async () => {
    h = new Harness();
    requests = requestCounter();
    const [srv] = h.start(stdioConfig('poll-zero', [...requests.args, '--poll-interval', '200', '--fault', 'lie-poll=0', '--fault', 'no-notify']));
    await connected(srv!);
    const task = await srv!.callToolAsTask('job', { ms: 60_000 });
    const before = polls();
    await sleep(1_500);
    const made = polls() - before;
    // minPollIntervalMs is 100 in these tests: at most ~15 polls in 1.5 s, never hundreds.
    assert.ok(made >= 1 && made <= 25, `${made} polls in 1.5 s`);
    assert.notEqual(srv!.store.get(task.taskId)?.pollInterval, 0, 'the 0 is not kept');
    assert.ok(warnings('poll-zero', /pollInterval/).length >= 1);
  });

  rit('a huge pollInterval is capped: the task is still polled and its end seen', async () => {
    const srv = await start('poll-huge', 'lie-poll=huge', 'no-notify');
    const task = await srv.callToolAsTask('job', { ms: 800 });
    await taskState(srv, task.taskId, (t) => t.pollInterval === 1e12 || t.status === 'completed', 'polled once');
    const next = srv.nextPollAt(task.taskId);
    if (next !== undefined) assert.ok(next - Date.now() <= h.settings.maxPollIntervalMs + 100, `next poll in ${next - Date.now()} ms`);
    // maxPollIntervalMs is 2 s here.
    await taskState(srv, task.taskId, (t) => t.status === 'completed', 'completed', 5_000);
  });

  rit('a negative ttl is not taken (nor used to expire or forget the task)', async () => {
    const srv = await start('ttl-negative', 'lie-ttl=-1000', 'no-notify');
    const task = await srv.callToolAsTask('job', { ms: 500 });
    const done = await taskState(srv, task.taskId, (t) => t.status === 'completed', 'completed');
    assert.ok(done.ttl === undefined || done.ttl === null || done.ttl >= 0, `ttl ${done.ttl}`);
    assert.ok(warnings('ttl-negative', /ttl/).length >= 1);
  });

  for (const variant of ['loop-cursor', 'loop-cursor=fresh']) {
    const how = variant === 'loop-cursor' ? 'comes back (A, B, A, …)' : 'is new every time but the pages are not';
    rit(`a list cursor that ${how} ends the sweep; every task is still tracked`, async () => {
      h = new Harness();
      requests = requestCounter();
      const [srv] = h.start(stdioConfig('loop', [...requests.args, '--page-size', '2', '--fault', variant, '--fault', 'no-notify']));
      await connected(srv!);
      const tasks = [];
      for (let i = 0; i < 5; i++) tasks.push(await srv!.callToolAsTask('job', { ms: 60_000 }));
      const lists = () => requests.count(/^tasks\/list$/);
      const before = lists();
      await within(5_000, 'refresh() with a looping cursor', srv!.refresh());
      assert.ok(lists() - before <= 20, `${lists() - before} tasks/list requests for one sweep`);
      // "Load more" is not offered for ever either.
      for (let i = 0; i < 3 && srv!.hasMore; i++) await within(3_000, 'loadMore() with a looping cursor', srv!.loadMore());
      for (const t of tasks) assert.equal(srv!.store.get(t.taskId)?.status, 'working');
      // Polling (which may list) does not spin either.
      const before2 = lists();
      await sleep(1_000);
      assert.ok(lists() - before2 <= 40, `${lists() - before2} tasks/list requests in 1 s of polling`);
    });
  }

  rit('duplicate and out-of-order pushes: one update each, and a finished task never comes back', async () => {
    const srv = await start('reorder', 'dup-notify', 'reorder-notify');
    const changes: TaskChange[] = [];
    srv.store.onDidChange((c) => changes.push(c));
    const task = await srv.callToolAsTask('job', { ms: 300, text: 'final' });
    await taskState(srv, task.taskId, (t) => t.status === 'completed', 'completed');
    // The stale and the "resurrecting" pushes follow right behind the terminal one.
    await sleep(500);
    const held = srv.store.get(task.taskId)!;
    assert.equal(held.status, 'completed');
    assert.notEqual(held.statusMessage, 'resurrected');
    const completions = changes.flatMap((c) => c.changed).filter((t) => t.taskId === task.taskId && t.status === 'completed');
    assert.equal(completions.length, 1, `${completions.length} completion events`);
    const events = changes.flatMap((c) => c.changed).filter((t) => t.taskId === task.taskId);
    const firstDone = events.findIndex((t) => t.status === 'completed');
    const after = events.slice(firstDone + 1);
    assert.ok(after.every((t) => t.status === 'completed'), `published after completion: ${after.map((t) => t.status).join(', ')}`);
  });

  rit('pushes, list entries and results about ids the server never created do not pollute our tasks', async () => {
    const srv = await start('phantom', 'phantom');
    const task = await srv.callToolAsTask('job', { ms: 200, text: 'the real one' });
    const outcome = await srv.getTaskResult(task.taskId);
    assert.equal(outcome.kind === 'result' && outcome.result.content?.[0]?.text, 'the real one');
    await within(5_000, 'refresh() with phantom entries', srv.refresh());
    await waitFor('the phantom push to arrive', () => srv.store.list().some((t) => t.taskId.startsWith('phantom-')) || h.log.count('phantom', /phantom/) > 0, 3_000);
    for (const t of srv.store.list().filter((x) => x.taskId.startsWith('phantom-'))) {
      assert.equal(t.startedByUs, false, `${t.taskId} is not ours`);
      assert.equal(srv.cachedOutcome(t.taskId), undefined, `a result was filed under ${t.taskId}`);
    }
    const mine = srv.store.get(task.taskId)!;
    assert.equal(mine.status, 'completed');
    assert.equal(mine.startedByUs, true);
  });
});
