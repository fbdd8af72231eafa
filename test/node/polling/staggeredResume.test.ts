// Opening the view resumes polling. Every server polling all it holds at the same moment kept the editor
// from drawing the rows (issue 13: rows after 1.1 s on 10,000 tasks, 58 ms with the resume held back). So
// the first server resumes only after the view had a moment to draw from what is held, the others one
// after another over about one poll interval: fresh figures within about a second, never all at once.
// Real HTTP fixture server (one process, a session per configured server), pushes off.
import * as assert from 'node:assert/strict';
import { RESUME_FIRST_MS, RESUME_SPREAD_MS } from '../../../src/core/servers/ServerRegistry';
import type { TaskServer } from '../../../src/core/servers/TaskServer';
import { startHttpDemoServer, type HttpDemoServer } from '../../fixtures/demo-server/spawn';
import { httpConfig } from '../../support/serverConfigs';
import { makeTasksElsewhere } from '../../support/sideClient';
import { RegistryHarness } from '../../support/registryHarness';
import { sleep, waitFor } from '../../support/waiting';

const SERVERS = 5;

describe('resuming polling (the view is shown again)', () => {
  let fixture: HttpDemoServer;
  let h: RegistryHarness;
  before(async () => {
    fixture = await startHttpDemoServer(['--no-notifications']);
    await makeTasksElsewhere(fixture.url, 20);
  });
  after(() => fixture.stop());
  afterEach(() => h.dispose());

  /** When each server first polled (any held task fetched) after `since`, ms after it; undefined: not yet. */
  function firstPolls(servers: readonly TaskServer[], since: number): (number | undefined)[] {
    return servers.map((s) => {
      const at = Math.min(...s.store.list().map((t) => (t.fetchedAt > since ? t.fetchedAt : Infinity)));
      return Number.isFinite(at) ? at - since : undefined;
    });
  }

  it('resumes the servers one after another over about one poll interval, the first after the view could draw', async () => {
    h = new RegistryHarness({ settings: { minPollIntervalMs: 50, maxPollIntervalMs: 30_000 } });
    h.registry.setPollingPaused(true);
    const servers: TaskServer[] = [];
    for (let i = 0; i < SERVERS; i++) servers.push(await h.connect(httpConfig(`resume-${i}`, fixture.url)));
    await waitFor('every server holds the tasks', () => servers.every((s) => s.store.size >= 20), 10_000);
    await sleep(300);
    const resumedAt = Date.now();
    h.registry.setPollingPaused(false);
    await waitFor('every server polled', () => firstPolls(servers, resumedAt).every((t) => t !== undefined), RESUME_FIRST_MS + RESUME_SPREAD_MS + 1_000);
    const polls = firstPolls(servers, resumedAt) as number[];
    const first = Math.min(...polls);
    const last = Math.max(...polls);
    assert.ok(first >= RESUME_FIRST_MS - 10, `the first server polled ${first} ms after the resume: the view draws from what is held first`);
    assert.ok(last - first >= (RESUME_SPREAD_MS * (SERVERS - 1)) / SERVERS / 2, `servers polled at ${polls.join(', ')} ms: spread out, not all at once`);
    assert.ok(last <= RESUME_FIRST_MS + RESUME_SPREAD_MS + 300, `every server fresh within about a second of the resume (${last} ms)`);
  });

  it('pausing again before a server had its turn keeps it paused', async () => {
    h = new RegistryHarness({ settings: { minPollIntervalMs: 50, maxPollIntervalMs: 30_000 } });
    h.registry.setPollingPaused(true);
    const servers: TaskServer[] = [];
    for (let i = 0; i < 2; i++) servers.push(await h.connect(httpConfig(`repause-${i}`, fixture.url)));
    await waitFor('every server holds the tasks', () => servers.every((s) => s.store.size >= 20), 10_000);
    await sleep(300);
    const resumedAt = Date.now();
    h.registry.setPollingPaused(false);
    h.registry.setPollingPaused(true);
    await sleep(RESUME_FIRST_MS + RESUME_SPREAD_MS + 300);
    assert.deepEqual(firstPolls(servers, resumedAt), [undefined, undefined], 'nothing polled');
  });
});
