/**
 * Issue 13 (2026-07-28): a task listen that fails or that the server (or the connection) ends is opened again
 * with a bounded backoff. Meanwhile its tasks are uncovered (polled at the normal rate); once the new listen is
 * acknowledged they are covered again (polled only at the slow safety net). The real fixture over HTTP cuts its
 * first task listen streams (`--fault drop-listens`), as a restart or a load-induced hang-up would.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startHttpDemoServer2026, type HttpDemoServer2026 } from '../../fixtures/demo-server-2026/spawn';
import { RegistryHarness } from '../../support/registryHarness';
import { httpConfig } from '../../support/serverConfigs';
import { waitFor } from '../../support/waiting';

const QUIET = { steps: 2, stepMs: 600_000 };
const TASKS = 6;
const MAX_POLL_MS = 1_000;

describe('gen2026: a task listen the server cuts is opened again, over http', function () {
  this.timeout(60_000);
  let h: RegistryHarness;
  let http: HttpDemoServer2026 | undefined;
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-tasks-reopen-'));
    h = new RegistryHarness({ settings: { minPollIntervalMs: 50, maxPollIntervalMs: MAX_POLL_MS } });
  });
  afterEach(async () => {
    await h.dispose();
    await http?.stop();
    http = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('covers its tasks again once a new listen is acknowledged', async () => {
    const statsFile = path.join(dir, 'stats.json');
    http = await startHttpDemoServer2026(['--stats-file', statsFile, '--poll-interval', '200', '--fault', 'drop-listens']);
    const server = await h.connect(httpConfig('s', http.url));
    const ids: string[] = [];
    for (let i = 0; i < TASKS; i++) ids.push((await server.callToolAsTask('slow-job', QUIET)).taskId);
    const stats = () => JSON.parse(fs.readFileSync(statsFile, 'utf8')) as { counts: Record<string, number>; listens: { open: number; idsWatched: number } };
    // The fixture cuts the first two listens; each cut listen is re-opened after a backoff (1 s, then 2 s).
    await waitFor('a third listen', () => (stats().counts['subscriptions/listen'] ?? 0) >= 3, 15_000).catch(() => {
      throw new Error(`listens received: ${stats().counts['subscriptions/listen'] ?? 0}`);
    });
    const gap = (id: string) => (server.nextPollAt(id) ?? Infinity) - Date.now();
    await waitFor('every task covered again (slow safety net)', () => ids.every((id) => gap(id) > MAX_POLL_MS * 2) && stats().listens.idsWatched >= TASKS, 15_000).catch(() => {
      throw new Error(`next polls in ${ids.map((id) => Math.round(gap(id))).join(', ')} ms; ids watched by the server: ${stats().listens.idsWatched}`);
    });
    assert.ok(stats().listens.open >= 1, 'a listen is open');
  });
});
