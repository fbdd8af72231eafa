/**
 * Issue 13 item 2 (2026-07-28): a server whose tasks sit still has nothing to push, so it can never prove its
 * pushes by pushing. Its acknowledgement of a listen naming the tasks is what says their changes will be
 * pushed: such tasks are polled only at the slow safety net, on every server, busy or not (at 10 servers ×
 * 1,000 quiet tasks, the nine servers with no change were polled at the quiet rate, ~300 tasks/get a second).
 * A server that does not honour the task filter (acknowledges an empty one) keeps the normal rate. Requests
 * are counted by the real fixture server (`--stats-file`), over stdio and HTTP.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TaskServer } from '../../../src/core/servers/TaskServer';
import { startHttpDemoServer2026, type HttpDemoServer2026 } from '../../fixtures/demo-server-2026/spawn';
import { GEN2026 } from '../../support/generations';
import { RegistryHarness } from '../../support/registryHarness';
import { httpConfig } from '../../support/serverConfigs';
import { sleep, waitFor } from '../../support/waiting';

const QUIET = { steps: 2, stepMs: 600_000 };
const TASKS = 20;
/** The user's upper bound on a poll interval: the safety net of pushes not yet known to arrive. */
const MAX_POLL_MS = 1_000;

for (const transport of ['stdio', 'http'] as const) {
  describe(`gen2026: quiet tasks whose listen the server acknowledged, over ${transport}`, function () {
    this.timeout(60_000);
    let h: RegistryHarness;
    let http: HttpDemoServer2026 | undefined;
    let dir: string;
    let statsFile: string;

    const gets = (): number => {
      try {
        return (JSON.parse(fs.readFileSync(statsFile, 'utf8')) as { counts: Record<string, number> }).counts['tasks/get'] ?? 0;
      } catch {
        return 0;
      }
    };

    async function connect(extra: string[] = []): Promise<TaskServer> {
      const args = ['--stats-file', statsFile, '--poll-interval', '200', ...extra];
      if (transport === 'stdio') return h.connect(GEN2026.stdioConfig('s', args));
      http = await startHttpDemoServer2026(args);
      return h.connect(httpConfig('s', http.url));
    }

    async function quietTasks(server: TaskServer): Promise<string[]> {
      const ids: string[] = [];
      for (let i = 0; i < TASKS; i++) ids.push((await server.callToolAsTask('slow-job', QUIET)).taskId);
      return ids;
    }

    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-tasks-coverage-'));
      statsFile = path.join(dir, 'stats.json');
      h = new RegistryHarness({ settings: { minPollIntervalMs: 50, maxPollIntervalMs: MAX_POLL_MS } });
    });
    afterEach(async () => {
      await h.dispose();
      await http?.stop();
      http = undefined;
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('polls them only at the slow safety net, though nothing was ever pushed', async () => {
      const server = await connect();
      const ids = await quietTasks(server);
      const gap = (id: string) => (server.nextPollAt(id) ?? Infinity) - Date.now();
      await waitFor('every quiet task at the slow safety net', () => ids.every((id) => gap(id) > MAX_POLL_MS * 2), 8_000).catch(() => {
        throw new Error(`next polls in ${ids.map((id) => Math.round(gap(id))).join(', ')} ms; expected beyond ${MAX_POLL_MS * 2} ms`);
      });
      const before = gets();
      await sleep(3_000);
      // Without trust the quiet rate (≤ 1 s here) would poll each of them about three times.
      assert.ok(gets() - before <= 2, `tasks/get in 3 s: ${gets() - before} for ${TASKS} quiet tasks`);
    });

    it('keeps polling them at the normal rate when the server does not honour the task filter', async () => {
      const server = await connect(['--no-notifications']);
      const ids = await quietTasks(server);
      await sleep(1_500);
      const before = gets();
      await sleep(3_000);
      assert.ok(gets() - before >= TASKS, `tasks/get in 3 s: ${gets() - before} for ${TASKS} tasks that nothing pushes`);
      assert.ok(ids.every((id) => (server.nextPollAt(id) ?? Infinity) - Date.now() <= MAX_POLL_MS), 'each polled within the user\'s maximum interval');
    });
  });
}
