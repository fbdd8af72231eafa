/**
 * The 2026-07-28 path against a misbehaving server: the 2026 fixture's `--fault` flags (test/fixtures/
 * demo-server-2026/README.md) make it report a status no client knows, push every state twice, or push
 * states out of order; and a restarted HTTP server forgets every task. Real processes, the real core.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TaskChange } from '../../../src/core';
import { GEN2026, serverStats, type HttpFixture } from '../../support/generations';
import { waitForStatus } from '../../support/waiting';
import { cleanupTempDirs, Harness, httpConfig, rit, sleep, tempDir, waitFor } from './harness';

const UNKNOWN = 'thinking-hard';

function pushLog(): { args: string[]; read: () => Array<{ taskId: string; status: string; statusMessage?: string }> } {
  const file = path.join(tempDir(), 'pushes.jsonl');
  return {
    args: ['--push-log', file],
    read: () => fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { taskId: string; status: string; statusMessage?: string }),
  };
}

describe('reliability: 2026-07-28 faults', function () {
  this.timeout(60_000);
  let h: Harness;
  const fixtures: HttpFixture[] = [];

  afterEach(async () => {
    await h?.dispose();
    await Promise.all(fixtures.splice(0).map((f) => f.stop()));
    cleanupTempDirs();
  });

  async function followUnknown(fault: string): Promise<void> {
    h = new Harness();
    const stats = serverStats();
    const server = await h.connect(GEN2026.stdioConfig('odd', ['--fault', fault, '--poll-interval', '150', '--no-notifications', ...stats.args]));
    const task = await server.callToolAsTask('slow-job', { steps: 6, stepMs: 200 });
    const odd = await waitForStatus(server, task.taskId, 'unknown', 5_000);
    assert.equal(odd.rawStatus, UNKNOWN, "the server's word is kept verbatim");
    const gets = stats.count('tasks/get');
    // Still polled: more tasks/get reach the server, and they bring the steps, while the status stays unknown.
    await waitFor(
      () => `polls and a step while unknown (tasks/get ${stats.count('tasks/get')} from ${gets}; task ${JSON.stringify(server.store.get(task.taskId))})`,
      () => {
        const now = server.store.get(task.taskId);
        return stats.count('tasks/get') >= gets + 2 && now?.status === 'unknown' && /^step \d\/6$/.test(now.statusMessage ?? '');
      },
      5_000,
    );
    const done = await waitForStatus(server, task.taskId, 'completed', 10_000);
    assert.equal(done.rawStatus, undefined, 'the known final status replaces it');
    assert.ok(h.log.lines.some((l) => l.level === 'warn' && l.message.includes(UNKNOWN)), 'the odd status was logged');
    const outcome = await server.getTaskResult(task.taskId);
    assert.equal(outcome.kind === 'result' && outcome.result.content?.[0]?.text, 'done: slow-job after 6 steps');
  }

  rit('an unknown status in tasks/get is shown verbatim as unknown and still polled, until the task ends', async () => {
    await followUnknown('unknown-status-later');
  });

  rit('an unknown status in pushes is shown verbatim as unknown, the pushes alone carry the steps', async () => {
    // Polls at most once a minute: only pushes can bring the steps in time.
    h = new Harness({ settings: { maxPollIntervalMs: 60_000 } });
    const stats = serverStats();
    const server = await h.connect(GEN2026.stdioConfig('odd', ['--fault', 'unknown-status-later', '--poll-interval', '60000', ...stats.args]));
    const unknownSteps = new Set<string>();
    server.store.onDidChange((c) => c.changed.forEach((t) => t.status === 'unknown' && t.rawStatus === UNKNOWN && t.statusMessage && unknownSteps.add(t.statusMessage)));
    const task = await server.callToolAsTask('slow-job', { steps: 4, stepMs: 200 });
    await waitForStatus(server, task.taskId, 'completed', 5_000);
    const gets = stats.count('tasks/get');
    assert.ok(unknownSteps.size >= 3, `the steps were shown, as unknown: ${[...unknownSteps].join(', ')}`);
    assert.ok(gets < unknownSteps.size, `more steps (${unknownSteps.size}) than polls (${gets}): pushes carried them`);
  });

  // A tools/call reply `resultType: "task"` whose status is not one of the five known ones once failed the
  // whole call on ext-tasks' strict schema, leaving the task running with nobody following it. The 2025
  // path and tasks/get on 2026 keep such a task as `unknown` (README: "shown verbatim, still polled").
  it('an unknown status already in the creation reply is shown verbatim as unknown', async () => {
    await followUnknown('unknown-status');
  });

  rit('duplicated pushes make one store event per state, and the pushes alone carry the task', async () => {
    h = new Harness();
    const stats = serverStats();
    const pushes = pushLog();
    const server = await h.connect(GEN2026.stdioConfig('dups', ['--fault', 'duplicate-pushes', '--poll-interval', '60000', ...stats.args, ...pushes.args]));
    const changes: TaskChange[] = [];
    server.store.onDidChange((c) => changes.push(c));
    const task = await server.callToolAsTask('slow-job', { steps: 3, stepMs: 150 });
    await waitForStatus(server, task.taskId, 'completed', 5_000);
    await sleep(200);
    const sent = pushes.read().filter((p) => p.taskId === task.taskId);
    assert.ok(sent.length >= 6 && sent.length % 2 === 0, `the server pushed every state twice (${sent.length})`);
    const mine = changes.flatMap((c) => c.changed).filter((t) => t.taskId === task.taskId);
    assert.equal(mine.filter((t) => t.status === 'completed').length, 1, 'one completion event');
    const states = mine.map((t) => JSON.stringify({ ...t, fetchedAt: 0 }));
    for (let i = 1; i < states.length; i++) assert.notEqual(states[i], states[i - 1], `event ${i} repeats the previous state`);
    assert.ok(stats.count('tasks/get') <= 1, `no polls: the pushes did it (${stats.count('tasks/get')} tasks/get)`);
  });

  for (const transport of ['stdio', 'http'] as const) {
    rit(`an older push arriving after a newer one does not overwrite it (${transport})`, async () => {
      h = new Harness();
      const pushes = pushLog();
      const args = ['--fault', 'reorder-pushes', '--poll-interval', '60000', ...pushes.args];
      let config;
      if (transport === 'http') {
        const fixture = await GEN2026.startHttp(args);
        fixtures.push(fixture);
        config = httpConfig('late', fixture.url);
      } else {
        config = GEN2026.stdioConfig('late', args);
      }
      const server = await h.connect(config);
      const seen: string[] = [];
      server.store.onDidChange((c) => c.changed.forEach((t) => seen.push(`${t.status} ${t.statusMessage ?? ''}`)));
      const task = await server.callToolAsTask('slow-job', { steps: 3, stepMs: 200, label: 'late' });
      await waitForStatus(server, task.taskId, 'completed', 5_000);
      // The server sends the completion, then the older 'step 3/3' right after it.
      await waitFor('the stale push to be sent', () => {
        const sent = pushes.read().filter((p) => p.taskId === task.taskId);
        const at = sent.findIndex((p) => p.status === 'completed');
        return at >= 0 && sent.length > at + 1;
      }, 3_000);
      const sent = pushes.read().filter((p) => p.taskId === task.taskId).map((p) => `${p.status} ${p.statusMessage ?? ''}`);
      assert.equal(sent.at(-1), 'working step 3/3', `the stale push came last: ${sent.join(' | ')}`);
      await sleep(300);
      assert.equal(server.store.get(task.taskId)?.status, 'completed', `still completed after the stale push; events: ${seen.join(' | ')}`);
      const end = seen.findIndex((s) => s.startsWith('completed'));
      assert.deepEqual(seen.slice(end + 1).filter((s) => s.startsWith('working')), [], `no event went back to working: ${seen.join(' | ')}`);
      // 'step 1/3' was pushed after 'step 2/3': once step 2 is shown, step 1 never is again.
      const step2 = seen.indexOf('working step 2/3');
      if (step2 >= 0) assert.ok(!seen.slice(step2).includes('working step 1/3'), `step 1 did not overwrite step 2: ${seen.join(' | ')}`);
      const outcome = await server.getTaskResult(task.taskId);
      assert.equal(outcome.kind === 'result' && outcome.result.content?.[0]?.text, 'done: late after 3 steps');
    });
  }

  rit('a task the server forgot (HTTP server restarted on the same port) shows expired; new tasks work', async () => {
    h = new Harness();
    const first = await GEN2026.startHttp(['--poll-interval', '100']);
    fixtures.push(first);
    const port = new URL(first.url).port;
    const server = await h.connect(httpConfig('forgetful', first.url));
    const task = await server.callToolAsTask('endless-job', { tickMs: 100 });
    await waitFor('a tick', () => /tick/.test(server.store.get(task.taskId)?.statusMessage ?? ''), 5_000);
    await first.stop();
    const second = await GEN2026.startHttp(['--poll-interval', '100', '--http', port]);
    fixtures.push(second);
    assert.equal(second.url, first.url, 'the same address');
    const expired = await waitForStatus(server, task.taskId, 'expired', 10_000);
    assert.equal(expired.startedByUs, true);
    assert.equal(expired.toolName, 'endless-job', 'what we knew about it is kept');
    const fresh = await server.callToolAsTask('slow-job', { steps: 1, stepMs: 50 });
    await waitForStatus(server, fresh.taskId, 'completed', 5_000);
  });
});
