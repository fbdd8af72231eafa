// Never poll what the view cannot show and nothing waits for (issue 13, item 2), and refresh the tasks that
// are shown by re-reading only the listing pages that hold them, from remembered cursors. 1,000 tasks listed
// oldest first in pages of 100, the view shows the newest 100: an unchanged state costs about one page per
// interval, not the whole listing. Real fixture servers over HTTP (and stdio), pushes off.
import * as assert from 'node:assert/strict';
import { isTerminal } from '../../../src/core/model/TaskModel';
import type { TaskServer } from '../../../src/core/servers/TaskServer';
import { startHttpDemoServer, type HttpDemoServer } from '../../fixtures/demo-server/spawn';
import { startHttpFaultServer, type HttpFaultServer } from '../../fixtures/fault-server/spawn';
import { GEN2025, GEN2026, serverStats } from '../../support/generations';
import { httpConfig } from '../../support/serverConfigs';
import { makeTasksElsewhere } from '../../support/sideClient';
import { RegistryHarness } from '../../support/registryHarness';
import { sleep, waitFor } from '../../support/waiting';

const TASKS = 1_000;
const SHOWN = 100;
const WINDOW_MS = 5_000;

/** The view's first page: live tasks, newest first (src/views/taskPaging.ts). */
function newest(server: TaskServer, n: number): string[] {
  return server.store
    .list()
    .filter((t) => t.status === 'working')
    .slice(0, n)
    .map((t) => t.taskId);
}

describe('polling what is shown (2025-11-25, tasks/list from remembered cursors)', function () {
  this.timeout(90_000);
  let fixture: HttpDemoServer;
  let h: RegistryHarness;
  let busyId: string;
  before(async () => {
    fixture = await startHttpDemoServer(['--no-notifications', '--page-size', '100']);
    await makeTasksElsewhere(fixture.url, TASKS - 1, 2, 3_600_000);
    // The task that changes is the newest: the view shows it, and it is on the listing's last page.
    [busyId] = await makeTasksElsewhere(fixture.url, 1, 600, 1_000);
  });
  after(() => fixture.stop());
  afterEach(() => h.dispose());

    it('polls only the page of the shown tasks, sees a shown change within its interval, and the rest not at all', async () => {
      h = new RegistryHarness({ settings: { minPollIntervalMs: 50, maxPollIntervalMs: 30_000 } });
      const server = await h.connect(httpConfig('shown', fixture.url));
      await waitFor('every task held', () => server.store.size >= TASKS, 30_000);
      const shown = newest(server, SHOWN);
      assert.ok(shown.includes(busyId), 'the changing task is on the first page of the view');
      server.setShownTasks(shown);
      await sleep(1_500); // the first round after the view said what it shows
      const latencies: number[] = [];
      let last = server.store.get(busyId)?.lastUpdatedAt;
      const sub = server.store.onDidChange((c) => {
        for (const t of c.changed) {
          if (t.taskId !== busyId || !t.lastUpdatedAt || t.lastUpdatedAt === last) continue;
          last = t.lastUpdatedAt;
          latencies.push(Date.now() - Date.parse(t.lastUpdatedAt));
        }
      });
      const lists0 = h.log.requests('shown', 'tasks/list');
      const gets0 = h.log.requests('shown', 'tasks/get');
      const t0 = Date.now();
      await sleep(WINDOW_MS);
      sub.dispose();
      const lists = h.log.requests('shown', 'tasks/list') - lists0;
      const gets = h.log.requests('shown', 'tasks/get') - gets0;
      // A whole listing each interval would be 10 pages a second (50 in the window); one page each is ~5.
      assert.ok(lists <= 2 * (WINDOW_MS / 1_000) + 2, `${lists} tasks/list in ${WINDOW_MS} ms: only the page of the shown tasks`);
      assert.ok(gets <= 2 * (WINDOW_MS / 1_000) + 2, `${gets} tasks/get in the window`);
      const unshown = server.store.list().filter((t) => t.status === 'working' && !shown.includes(t.taskId));
      const refreshed = unshown.filter((t) => t.fetchedAt >= t0).length;
      assert.equal(refreshed, 0, `${refreshed} of ${unshown.length} tasks not shown were polled in the window`);
      const fresh = shown.filter((id) => Date.now() - server.store.get(id)!.fetchedAt < 2_000).length;
      assert.equal(fresh, shown.length, 'every shown task was refreshed within the last 2 s');
      assert.ok(latencies.length >= 3, `${latencies.length} changes of the shown task seen`);
      const worst = Math.max(...latencies);
      assert.ok(worst <= 1_100 * 1.3, `changes seen after ${latencies.join(', ')} ms (pollInterval 1,000 ms + 10 %, some slack for a loaded machine)`);

      // "Show more": the next hundred come into view and are refreshed at once.
      const more = newest(server, 2 * SHOWN);
      const t1 = Date.now();
      server.setShownTasks(more);
      await waitFor('the newly shown tasks refreshed', () => more.every((id) => server.store.get(id)!.fetchedAt >= t1), 3_000);
      assert.ok(Date.now() - t1 < 3_000);
    });

  it('polls a task nobody sees at its own rate while something holds it (an open result document), and no longer after', async () => {
    h = new RegistryHarness({ settings: { minPollIntervalMs: 50, maxPollIntervalMs: 30_000 } });
    const server = await h.connect(httpConfig('held', fixture.url));
    await waitFor('every task held', () => server.store.size >= TASKS, 30_000);
    server.setShownTasks(newest(server, SHOWN).filter((id) => id !== busyId));
    const gap = () => (server.nextPollAt(busyId) ?? Infinity) - Date.now();
    await waitFor('the unshown busy task left to the background cadence', () => gap() > 10_000, 5_000);
    const hold = server.holdTask(busyId);
    await waitFor('the held task polled at its own rate', () => gap() <= 1_500, 3_000);
    const t0 = Date.now();
    await waitFor('the held task refreshed', () => server.store.get(busyId)!.fetchedAt > t0, 3_000);
    hold.dispose();
    await waitFor('released: back to the background cadence', () => gap() > 10_000, 5_000);
  });

  it('re-reads only the page of the busy tasks over stdio too (quiet ones on earlier pages)', async () => {
    // A stdio server has its own tasks, made here (so all awaited: no view needed). 20 quiet tasks fill the
    // first two pages of 10; 10 that change at every poll are on the last. Once the first are quiet, each
    // round of the busy ones is one page, not the three of a listing from the start.
    h = new RegistryHarness({ settings: { minPollIntervalMs: 50, maxPollIntervalMs: 30_000 } });
    const server = await h.connect(GEN2025.stdioConfig('paged', ['--no-notifications', '--page-size', '10', '--poll-interval', '250']));
    for (let i = 0; i < 20; i++) await server.callToolAsTask('slow-job', { steps: 2, stepMs: 3_600_000 });
    for (let i = 0; i < 10; i++) await server.callToolAsTask('slow-job', { steps: 400, stepMs: 250 });
    await sleep(3_500); // the first 20 have been quiet for 8 intervals and more
    const gets0 = h.log.requests('paged', 'tasks/get');
    const lists0 = h.log.requests('paged', 'tasks/list');
    await sleep(2_000);
    const gets = h.log.requests('paged', 'tasks/get') - gets0;
    const lists = h.log.requests('paged', 'tasks/list') - lists0;
    assert.ok(lists >= 4, `${lists} tasks/list in 2 s: the busy tasks are polled`);
    assert.ok(lists <= 14, `${lists} tasks/list in 2 s for 8 rounds of the busy tasks: one page each (a listing from the start is 3)`);
    assert.ok(gets <= 4, `${gets} tasks/get in the window`);
  });
});

describe('remembered cursors the server no longer honours (fault server, offset cursors)', function () {
  this.timeout(60_000);
  let fixture: HttpFaultServer;
  let h: RegistryHarness;
  before(async () => {
    // Pushes off, as in the rest of this file: the client learns that the short tasks ended by polling them.
    // (With pushes on, this fixture announces a task's end from a timer that Node may fire a millisecond
    // before Date.now() reaches the end, so now and then it pushes "working" for a task that has ended;
    // the client then leaves that task to its push safety net until its ttl has run out, and two such
    // tasks on different pages make that round a listing from the start: a correct round, but one that
    // replaces the remembered pages before page 3 is re-read, so no remembered cursor is ever refused.)
    fixture = await startHttpFaultServer(['--page-size', '5', '--fault', 'no-notify']);
  });
  after(() => fixture.stop());
  afterEach(() => h.dispose());

  it('falls back to a listing from the start, and keeps polling the tasks that live on', async () => {
    h = new RegistryHarness({ settings: { minPollIntervalMs: 50, maxPollIntervalMs: 30_000 } });
    const server = await h.connect(httpConfig('moved', fixture.url));
    // Twelve short tasks first (gone from the server TTL_MS after they were made), then three that run on:
    // pages of 5 by offset, the live tasks on page 3.
    const TTL_MS = 2_500;
    const madeAt = Date.now();
    const short: string[] = [];
    for (let i = 0; i < 12; i++) short.push((await server.callToolAsTask('job', { ms: 100 }, TTL_MS)).taskId);
    const live: string[] = [];
    for (let i = 0; i < 3; i++) live.push((await server.callToolAsTask('endless', {})).taskId);
    await server.refresh();
    // The premise: the client has seen every short task end (a round one interval after the sweep) while the
    // server still lists them, so the remembered pages are those of 15 tasks when the short ones go.
    await waitFor('every short task seen ended', () => short.every((id) => isTerminal(server.store.get(id)!.status)), TTL_MS);
    assert.ok(Date.now() - madeAt < TTL_MS - 200, `the short tasks were seen ending ${Date.now() - madeAt} ms after they were made, too close to their ttl`);
    const listsBefore = h.log.requests('moved', 'tasks/list');
    // The live tasks' next rounds re-read page 3 from its remembered cursor; once the short tasks are gone that
    // cursor (offset 10 of 3 tasks) is refused.
    await waitFor('the remembered page 3 refused once the short tasks are gone', () => h.log.count('moved', /remembered cursors: .*listing from the start/) > 0, 15_000);
    const t0 = Date.now();
    await waitFor('the live tasks polled after the fallback', () => live.every((id) => server.store.get(id)!.fetchedAt > t0), 5_000);
    assert.ok(h.log.requests('moved', 'tasks/list') > listsBefore);
    assert.equal(h.log.problems, 0, h.log.text().split('\n').filter((l) => /^(warn|error)/.test(l)).join('\n'));
  });
});

describe('polling what is shown (2026-07-28: no tasks/list, interest decides which tasks get tasks/get)', function () {
  this.timeout(60_000);
  it('polls the shown task at its interval and leaves the others to the slow background cadence', async () => {
    const stats = serverStats();
    const fixture = await GEN2026.startHttp(['--no-notifications', '--poll-interval', '250', ...stats.args, ...GEN2026.ttlArgs(120_000)]);
    const first = new RegistryHarness({ settings: { minPollIntervalMs: 50, maxPollIntervalMs: 30_000 } });
    let second: RegistryHarness | undefined;
    try {
      // Made in an earlier session (a window reload): nothing here waits for them.
      const server1 = await first.connect(httpConfig('gen26', fixture.url));
      const ids: string[] = [];
      for (let i = 0; i < 10; i++) ids.push((await server1.callToolAsTask('slow-job', { steps: 2, stepMs: 3_600_000 })).taskId);
      await first.dispose();
      second = new RegistryHarness({ storage: first.storage, settings: { minPollIntervalMs: 50, maxPollIntervalMs: 30_000 } });
      const server = await second.connect(httpConfig('gen26', fixture.url));
      await waitFor('every remembered task asked about', () => ids.every((id) => server.store.get(id)!.fetchedAt > 0), 10_000);
      const shown = ids[ids.length - 1]!;
      server.setShownTasks([shown]);
      await sleep(500);
      const gets0 = stats.count('tasks/get');
      const t0 = Date.now();
      await sleep(2_500);
      const gets = stats.count('tasks/get') - gets0;
      // Ten tasks at 250 ms would be 100 gets (fewer once quiet); the shown one alone is at most 10.
      assert.ok(gets >= 2 && gets <= 12, `${gets} tasks/get in 2.5 s: the shown task only`);
      assert.ok(server.store.get(shown)!.fetchedAt >= t0, 'the shown task is polled');
      const polled = ids.filter((id) => id !== shown && server.store.get(id)!.fetchedAt >= t0);
      assert.deepEqual(polled, [], 'tasks not shown were not polled');
    } finally {
      await second?.dispose();
      await first.dispose();
      await fixture.stop();
    }
  });
});
