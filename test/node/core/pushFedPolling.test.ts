// Tasks whose changes the server pushes are polled only as a safety net; a server that leaves changes
// unpushed goes back to normal polling.
import * as assert from 'node:assert/strict';
import { PROOF_PUSHES, PUSH_GRACE_MS, PushTrust } from '../../../src/core/tasks/PushTrust';
import { coveredSafetyNet } from '../../../src/core/tasks/pollIntervals';
import { DEFAULT_CORE_SETTINGS } from '../../../src/core/model/ports';
import type { TaskServer } from '../../../src/core/servers/TaskServer';
import { demoStdioConfig } from '../../support/serverConfigs';
import { RegistryHarness } from '../../support/registryHarness';
import { GENERATIONS } from '../../support/generations';
import { sleep, waitFor } from '../../support/waiting';

describe('PushTrust', () => {
  const iso = (t: number) => new Date(t).toISOString();

  it('treats a task as push-fed once the server pushed about it, slowly once pushes are proven', () => {
    const trust = new PushTrust();
    assert.equal(trust.feed('a'), false);
    trust.pushed('a', iso(Date.now()));
    assert.equal(trust.feed('a'), true);
    assert.equal(trust.feed('b'), false);
    for (let i = 1; i < PROOF_PUSHES; i++) trust.pushed('a', iso(Date.now()));
    assert.equal(trust.feed('a'), 'proven');
    assert.equal(trust.feed('b'), false, 'a task never pushed about (2025: pushes are unsolicited, maybe for some tasks only)');
  });

  it('stops trusting pushes when a poll shows a change that was never pushed', () => {
    const trust = new PushTrust();
    const now = Date.now();
    trust.pushed('a', iso(now - 10_000));
    assert.equal(trust.polled('a', iso(now - 10_000), now), false, 'the pushed state itself');
    assert.equal(trust.polled('a', iso(now - 500), now), false, 'a change younger than the grace: its push may be on its way');
    assert.equal(trust.polled('a', iso(now - PUSH_GRACE_MS - 1), now), true, 'an old unpushed change');
    assert.equal(trust.feed('a'), false);
    trust.reset();
    trust.pushed('a', iso(now));
    assert.equal(trust.feed('a'), true, 'a new connection starts trusted');
  });

  it('takes a task a listen acknowledged as push-fed once reported after the acknowledgement', () => {
    // A 2026 listen for a new task is acknowledged a moment after its creation: a change before that is
    // never pushed. The task's first report after the acknowledgement closes that gap.
    const trust = new PushTrust();
    const now = Date.now();
    trust.setCovered(['new'], true);
    assert.equal(trust.feed('new'), false, 'not reported since the acknowledgement: polled at its interval once');
    trust.reportedAgain('new', iso(now - 10_000));
    assert.equal(trust.feed('new'), 'covered', 'the server said it pushes it: the slow safety net, without any push so far');
    assert.equal(trust.polled('new', iso(now - PUSH_GRACE_MS - 1), now), true, 'a later change no push told of');
    assert.equal(trust.feed('new'), false);
  });

  it('spreads the safety net of acknowledged tasks over their number: about one poll a second per server', () => {
    const settings = { ...DEFAULT_CORE_SETTINGS, maxPollIntervalMs: 30_000 };
    for (let i = 0; i < 20; i++) {
      const few = coveredSafetyNet(settings, 10);
      assert.ok(few >= 225_000 && few <= 375_000, `10 tasks: ${few} ms (the proven net, 5 min ±25 %)`);
      const many = coveredSafetyNet(settings, 1_000);
      assert.ok(many >= 750_000 && many <= 1_250_000, `1,000 tasks: ${many} ms (1,000 s ±25 %)`);
    }
  });

  it('uncovers the tasks of a listen that ended', () => {
    const trust = new PushTrust();
    trust.setCovered(['a'], true);
    trust.reportedAgain('a', undefined);
    trust.pushed('a', undefined);
    trust.setCovered(['a'], false);
    assert.equal(trust.feed('a'), false, 'no listen names it: nothing will be pushed');
  });
});

describe('polling of tasks that push', () => {
  let h: RegistryHarness;
  afterEach(async () => h?.dispose());

  async function runningTask(args: string[]): Promise<{ server: TaskServer; taskId: string }> {
    h = new RegistryHarness({ settings: { maxPollIntervalMs: 20_000 } });
    const server = await h.connect(demoStdioConfig('demo', ['--poll-interval', '200', ...args]));
    const task = await server.callToolAsTask('slow-job', { steps: 100, stepMs: 300 });
    await waitFor('a few progress reports', () => Number(/step (\d+)/.exec(server.store.get(task.taskId)?.statusMessage ?? '')?.[1]) >= 3);
    return { server, taskId: task.taskId };
  }

  it('polls a push-fed task only at the safety interval', async () => {
    const { server, taskId } = await runningTask([]);
    const gap = server.nextPollAt(taskId)! - Date.now();
    assert.ok(gap > 15_000, `next poll in ${gap} ms; the server pushes, so the safety interval (20 s) applies`);
    const gets = h.log.requests('demo', 'tasks/get') + h.log.requests('demo', 'tasks/list');
    await new Promise((r) => setTimeout(r, 1500));
    assert.ok(h.log.requests('demo', 'tasks/get') + h.log.requests('demo', 'tasks/list') - gets <= 2, 'almost no polls while pushes arrive');
  });

  it('polls at the server interval when it does not push', async () => {
    const { server, taskId } = await runningTask(['--no-notifications']);
    const gap = server.nextPollAt(taskId)! - Date.now();
    assert.ok(gap <= 400, `next poll in ${gap} ms; without pushes the server's 200 ms interval applies`);
  });
});

describe('a server whose pushes proved reliable', () => {
  for (const gen of GENERATIONS) {
    it(`is not polled for pushing tasks, only at a rare safety net (${gen.name})`, async () => {
      const h = new RegistryHarness({ settings: { minPollIntervalMs: 50, maxPollIntervalMs: 1_000 } });
      try {
        const server = await h.connect(gen.stdioConfig('proven', ['--poll-interval', '200']));
        const busy = await server.callToolAsTask('slow-job', { steps: 100, stepMs: 100 });
        const quiet = await server.callToolAsTask('slow-job', { steps: 2, stepMs: 3_600_000 });
        await waitFor('proven by its pushes', () => h.log.lines.some((l) => /pushed every change so far/.test(l.message)), 10_000);
        await sleep(2_500); // every task reported at least once since
        const gap = (id: string) => server.nextPollAt(id)! - Date.now();
        assert.ok(gap(busy.taskId) > 1_000, `busy task: next poll in ${gap(busy.taskId)} ms, beyond the 1 s safety net of unproven pushes`);
        if (gen.name === '2026-07-28') {
          // The listen names every running task: one that never changed is covered by the pushes too.
          assert.ok(gap(quiet.taskId) > 1_000, `quiet task: next poll in ${gap(quiet.taskId)} ms`);
        } else {
          // 2025-11-25 servers push for some tasks only: one that never pushed is still polled.
          assert.ok(gap(quiet.taskId) <= 1_000, `quiet task: next poll in ${gap(quiet.taskId)} ms`);
        }
      } finally {
        await h.dispose();
      }
    });
  }
});
