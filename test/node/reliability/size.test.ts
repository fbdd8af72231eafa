// Size: a 50 MB result, 10,000 tasks on one server, a status message of 1 MB.
import * as assert from 'node:assert/strict';
import { HUGE_STATUS_PREFIX } from '../../fixtures/fault-server/wire';
import {
  assertResponsive,
  cleanupTempDirs,
  connected,
  guardUnhandledRejections,
  Harness,
  requestCounter,
  rit,
  sleep,
  stdioConfig,
  taskState,
  waitFor,
  within,
} from './harness';

const MB = 1024 * 1024;

describe('reliability: size', function () {
  this.timeout(60_000);
  guardUnhandledRejections();
  let h: Harness;
  afterEach(async () => {
    await h?.dispose();
    cleanupTempDirs();
  });

  rit('a 50 MB result arrives whole over stdio, once, and is then served from the cache', async () => {
    h = new Harness({ settings: { requestTimeoutMs: 20_000 } });
    const requests = requestCounter();
    const [srv, good] = h.start(stdioConfig('big', requests.args), stdioConfig('healthy'));
    await connected(srv!);
    await connected(good!);
    const task = await srv!.callToolAsTask('big-result', { sizeMb: 50 });
    const started = Date.now();
    const fetching = srv!.getTaskResult(task.taskId);
    // While 50 MB stream in, another server's round trip is not held up.
    await sleep(300);
    await assertResponsive(good!, 3_000);
    const outcome = await within(20_000, 'a 50 MB tasks/result', fetching);
    const took = Date.now() - started;
    // Reading a big message must cost time in proportion to its size, not to its size squared.
    assert.ok(took < 8_000, `a 50 MB result took ${took} ms`);
    assert.equal(outcome.kind, 'result');
    const text = outcome.kind === 'result' ? outcome.result.content?.[0]?.text : undefined;
    assert.equal(text?.length, 50 * MB);
    assert.ok(text?.startsWith('The quick brown fox'));
    // Asked again: the same object from the cache, no second transfer.
    const again = await within(200, 'the cached 50 MB result', srv!.getTaskResult(task.taskId));
    assert.equal(again, outcome);
    await taskState(srv!, task.taskId, (t) => t.status === 'completed', 'completed');
    assert.equal(requests.count(/^tasks\/result$/), 1, 'tasks/result was sent more than once');
    await assertResponsive(good!);
    console.log(`      (50 MB result in ${took} ms)`);
  });

  rit('10,000 tasks on one server: listed up to the cap, the rest on demand, polling stays reasonable', async () => {
    h = new Harness({ settings: { requestTimeoutMs: 10_000 } });
    const requests = requestCounter();
    const [srv, good] = h.start(
      stdioConfig('many', [...requests.args, '--page-size', '100', '--poll-interval', '1000', '--fault', 'preload=10000']),
      stdioConfig('healthy'),
    );
    await connected(srv!, 15_000);
    await connected(good!);
    await waitFor('the first sweep', () => srv!.store.size >= 1_000, 15_000);
    assert.equal(srv!.hasMore, true, 'more tasks than one sweep lists');
    await assertResponsive(good!);
    // The user asks for more, page by page, until the server has none left.
    const started = Date.now();
    let pages = 0;
    while (srv!.hasMore && pages < 200) {
      await within(5_000, 'loadMore()', srv!.loadMore());
      pages++;
    }
    assert.equal(srv!.hasMore, false);
    assert.equal(srv!.store.size, 10_000);
    console.log(`      (${pages} more pages in ${Date.now() - started} ms)`);
    // Now every one of the 10,000 running tasks is tracked. Polling them must not flood the server.
    const before = requests.count(/^tasks\/(get|list)$/);
    const gets0 = requests.count(/^tasks\/get$/);
    await sleep(3_000);
    const polls = requests.count(/^tasks\/(get|list)$/) - before;
    console.log(`      (${polls} tasks/get|list requests in 3 s while tracking 10,000 tasks, ${requests.count(/^tasks\/get$/) - gets0} of them gets)`);
    assert.ok(polls <= 600, `${polls} polls in 3 s for 10,000 tasks`);
    await assertResponsive(good!);
    const list = await within(2_000, 'store.list() of 10,000', Promise.resolve(srv!.store.list()));
    assert.equal(list.length, 10_000);
    // After a reconnect, the tasks past the sweep's cap are polled again too, by listing, not one by one.
    const newest = list[0]!; // listed last: past the cap
    const gets = requests.count(/^tasks\/get$/);
    await srv!.restart();
    await connected(srv!);
    const seenAt = Date.now();
    const again = await taskState(srv!, newest.taskId, (t) => t.fetchedAt > seenAt, 'polled again after the reconnect', 10_000);
    assert.equal(again.status, 'working', 'the restarted server still has it');
    const getsAfter = requests.count(/^tasks\/get$/) - gets;
    assert.ok(getsAfter <= 100, `${getsAfter} tasks/get after the reconnect`);
  });

  rit('a 1 MB status message is held cut to a readable size, and never pasted whole into the log', async () => {
    h = new Harness();
    const [srv] = h.start(stdioConfig('chatty', ['--fault', 'huge-status=1024', '--fault', 'lie-status', '--fault', 'no-notify']));
    await connected(srv!);
    const task = await srv!.callToolAsTask('job', { ms: 1_000 });
    const held = await taskState(srv!, task.taskId, (t) => t.statusMessage?.startsWith(HUGE_STATUS_PREFIX) === true, 'the huge status message');
    // What a tree item, a hover or a status bar can show: the start of it, not a megabyte.
    assert.ok(held.statusMessage!.length <= 64 * 1024, `a status message of ${held.statusMessage!.length} characters is held`);
    // The unknown status is logged (lie-status) — but the log line must not carry the 1 MB message.
    await taskState(srv!, task.taskId, (t) => t.status === 'completed', 'completed');
    const longest = h.log.lines.reduce((n, l) => Math.max(n, l.message.length), 0);
    assert.ok(longest <= 10_000, `a log line of ${longest} characters`);
  });
});
