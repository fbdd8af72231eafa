// Poll what can change, as often as it changes (issue 13, item 3): a task that reports a step on a steady
// beat is looked at just after each step is due, and between steps only every few intervals, instead of
// at every interval. Each step is still seen within the interval; a change off the beat (a cancel from
// another client) within OFF_BEAT_INTERVALS intervals. Real fixture servers, pushes off, both generations.
import * as assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { OFF_BEAT_INTERVALS } from '../../../src/core/tasks/ChangeCadence';
import type { TaskServer } from '../../../src/core/servers/TaskServer';
import { startHttpDemoServer } from '../../fixtures/demo-server/spawn';
import { GENERATIONS } from '../../support/generations';
import { httpConfig } from '../../support/serverConfigs';
import { makeTasksElsewhere } from '../../support/sideClient';
import { RegistryHarness } from '../../support/registryHarness';
import { sleep, waitFor } from '../../support/waiting';

const INTERVAL = 250;
/** Six intervals between steps: polled at the interval, five of six looks would find nothing new. */
const STEP_MS = 6 * INTERVAL;
const TASKS = 4;
const WINDOW_MS = 3 * STEP_MS;

/** Every change of these tasks, as the time from the server's lastUpdatedAt to the store holding it. */
function latencies(server: TaskServer, ids: readonly string[]): { samples: number[]; dispose(): void } {
  const last = new Map(ids.map((id) => [id, server.store.get(id)?.lastUpdatedAt]));
  const samples: number[] = [];
  const sub = server.store.onDidChange((change) => {
    for (const t of change.changed) {
      if (!last.has(t.taskId) || !t.lastUpdatedAt || t.lastUpdatedAt === last.get(t.taskId)) continue;
      last.set(t.taskId, t.lastUpdatedAt);
      samples.push(Date.now() - Date.parse(t.lastUpdatedAt));
    }
  });
  return { samples, dispose: () => sub.dispose() };
}

describe('tasks that change on a beat are looked at just after each change', function () {
  this.timeout(60_000);

  for (const gen of GENERATIONS) {
    it(`polls a task stepping every ${STEP_MS} ms about twice per step, not at every ${INTERVAL} ms interval, and sees each step within the interval (${gen.name})`, async () => {
      const h = new RegistryHarness({ settings: { minPollIntervalMs: 50, maxPollIntervalMs: 30_000 } });
      const counter = gen.counter(h.log, 'beat');
      try {
        const server = await h.connect(gen.stdioConfig('beat', ['--poll-interval', String(INTERVAL), '--no-notifications', ...counter.args, ...gen.ttlArgs(600_000)]));
        const ids: string[] = [];
        for (let i = 0; i < TASKS; i++) ids.push((await server.callToolAsTask('slow-job', { steps: 100, stepMs: STEP_MS }, 600_000)).taskId);
        // Two gaps that agree (creation → step 1 → step 2) make a beat.
        await sleep(2 * STEP_MS + 2 * INTERVAL);
        const seen = latencies(server, ids);
        const polls = () => counter.count('tasks/get') + counter.count('tasks/list');
        const before = polls();
        await sleep(WINDOW_MS);
        const polled = polls() - before;
        seen.dispose();
        // At the interval: a page of all four a round (2025, one tasks/list) or a tasks/get each (2026).
        const perRound = gen.lists ? 1 : TASKS;
        const atInterval = (WINDOW_MS / INTERVAL) * perRound;
        assert.ok(polled <= atInterval / 2, `${polled} polls in ${WINDOW_MS} ms; at every interval it would be about ${atInterval}`);
        assert.ok(polled >= 2 * 3 * perRound - perRound, `${polled} polls in ${WINDOW_MS} ms: still looked at after every step`);
        const sorted = [...seen.samples].sort((a, b) => a - b);
        assert.ok(sorted.length >= (WINDOW_MS / STEP_MS - 1) * TASKS, `steps seen: ${sorted.join(', ')}`);
        const median = sorted[Math.floor(sorted.length / 2)]!;
        const slowest = sorted[sorted.length - 1]!;
        assert.ok(median <= 1.1 * INTERVAL + 30, `median ${median} ms (all: ${sorted.join(', ')})`);
        assert.ok(slowest < 2 * INTERVAL + 100, `slowest ${slowest} ms (all: ${sorted.join(', ')})`);
        assert.equal(h.log.problems, 0, h.log.text());
      } finally {
        await h.dispose();
      }
    });
  }

  it('sees a change off the beat (another client cancels the task) within a few intervals (2025-11-25, HTTP)', async () => {
    const fixture = await startHttpDemoServer(['--poll-interval', String(INTERVAL), '--no-notifications']);
    const h = new RegistryHarness({ settings: { minPollIntervalMs: 50, maxPollIntervalMs: 30_000 } });
    const other = new Client({ name: 'other-client', version: '0.0.0' });
    try {
      const ids = await makeTasksElsewhere(fixture.url, TASKS, 100, STEP_MS);
      const server = await h.connect(httpConfig('offbeat', fixture.url));
      await waitFor('the tasks held', () => ids.every((id) => server.store.get(id) !== undefined));
      await sleep(2 * STEP_MS + 2 * INTERVAL);
      // Half a step after the last one seen: the furthest from the beat.
      const target = ids[0]!;
      const step = () => server.store.get(target)?.lastUpdatedAt;
      const at = step();
      await waitFor('the next step', () => step() !== at, 2 * STEP_MS);
      await sleep(STEP_MS / 2);
      await other.connect(new StreamableHTTPClientTransport(new URL(fixture.url)));
      const cancelledAt = Date.now();
      await other.request({ method: 'tasks/cancel', params: { taskId: target } }, ResultSchema);
      await waitFor('the cancel seen', () => server.store.get(target)?.status === 'cancelled', 5_000);
      const seenAfter = Date.now() - cancelledAt;
      assert.ok(seenAfter <= OFF_BEAT_INTERVALS * INTERVAL + 150, `cancel seen after ${seenAfter} ms (at most ${OFF_BEAT_INTERVALS} intervals between looks)`);
    } finally {
      await other.close();
      await h.dispose();
      await fixture.stop();
    }
  });
});
