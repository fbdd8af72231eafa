/**
 * 2026-07-28 pushes need a `subscriptions/listen` naming the task ids. Following tasks as they are created must
 * cost the same per task whether the client follows ten or ten thousand: each new id is named once (batched),
 * never the whole followed set again per new task, and a task that ends leaves the watch. Counted by the real
 * fixture server (`--stats-file`: ids named by all listens, listens open now), over stdio and HTTP.
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
import { waitFor } from '../../support/waiting';

interface ListenStats {
  readonly counts: Record<string, number>;
  readonly listens: { idsNamed: number; open: number; idsWatched: number };
}

const BURSTS = 12;
const PER_BURST = 25;
const N = BURSTS * PER_BURST;
/** Tasks that stay working for the whole test. */
const LONG = { steps: 2, stepMs: 600_000 };

/** Ten at a time (the order they end in does not matter here). */
async function cancelAll(server: TaskServer, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 10) await Promise.all(ids.slice(i, i + 10).map((id) => server.cancelTask(id)));
}

for (const transport of ['stdio', 'http'] as const) {
  describe(`gen2026: listening to many tasks over ${transport}`, function () {
    this.timeout(240_000);
    let h: RegistryHarness;
    let http: HttpDemoServer2026 | undefined;
    let dir: string;
    let statsFile: string;

    const stats = (): ListenStats => {
      try {
        return JSON.parse(fs.readFileSync(statsFile, 'utf8')) as ListenStats;
      } catch {
        return { counts: {}, listens: { idsNamed: 0, open: 0, idsWatched: 0 } };
      }
    };
    const describeStats = (): string => JSON.stringify(stats());

    async function connect(): Promise<TaskServer> {
      const args = ['--stats-file', statsFile, '--poll-interval', '60000'];
      if (transport === 'stdio') return h.connect(GEN2026.stdioConfig('s', args));
      http = await startHttpDemoServer2026(args);
      return h.connect(httpConfig('s', http.url));
    }

    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-tasks-listen-'));
      statsFile = path.join(dir, 'stats.json');
      h = new RegistryHarness();
    });
    afterEach(async () => {
      await h.dispose();
      await http?.stop();
      http = undefined;
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it(`names each of ${N} tasks created one by one a bounded number of times, and stops watching ended ones`, async () => {
      const server = await connect();
      const ids: string[] = [];
      for (let burst = 0; burst < BURSTS; burst++) {
        for (let i = 0; i < PER_BURST; i++) ids.push((await server.callToolAsTask('slow-job', LONG)).taskId);
        // Each burst is watched before the next starts (what a quadratic re-listen pays most for).
        await waitFor(`burst ${burst + 1} watched`, () => stats().listens.idsWatched >= ids.length, 10_000).catch((err: unknown) => {
          throw new Error(`${String(err)}: ${describeStats()}`);
        });
      }
      const afterCreate = stats();
      // Each id once when new, plus at most three times when small listens are folded together (what batches
      // form depends on how fast the calls come back); never the whole set again per task (that was 6.5 N here).
      assert.ok(afterCreate.listens.idsNamed <= 4 * N, `ids named by listens: ${afterCreate.listens.idsNamed} for ${N} tasks (${describeStats()})`);
      // Streams stay few: up to 3 small listens per size class (3 classes), one per 64 tasks, one being replaced.
      assert.ok(afterCreate.listens.open <= 9 + Math.ceil(N / 64) + 1, `listens open: ${describeStats()}`);

      // Three quarters end: the watch shrinks with them (within a factor of two of what is still live).
      const ended = ids.slice(0, (3 * N) / 4);
      await cancelAll(server, ended);
      const live = N - ended.length;
      await waitFor('the watch shrinks', () => stats().listens.idsWatched <= 2 * live, 10_000).catch((err: unknown) => {
        throw new Error(`${String(err)}: ${describeStats()}`);
      });
      // What is re-named is paid for by the ends (the rest of a half-ended listen, folded at most once more).
      assert.ok(stats().listens.idsNamed - afterCreate.listens.idsNamed <= 2 * ended.length, `re-named after ends: ${describeStats()}`);

      // All end: no listen stays open.
      await cancelAll(server, ids.slice(ended.length));
      await waitFor('no listen open', () => stats().listens.open === 0 && stats().listens.idsWatched === 0, 10_000).catch((err: unknown) => {
        throw new Error(`${String(err)}: ${describeStats()}`);
      });
    });

    it('still pushes a new task\'s changes after many others were created and ended', async () => {
      const server = await connect();
      for (let i = 0; i < 30; i++) await server.cancelTask((await server.callToolAsTask('slow-job', LONG)).taskId);
      const seen = new Set<string>();
      server.store.onDidChange((c) => c.changed.forEach((t) => t.statusMessage && seen.add(t.statusMessage)));
      const task = await server.callToolAsTask('slow-job', { steps: 4, stepMs: 300 });
      // The poll interval is a minute: only pushes can show the steps.
      await waitFor('pushed steps', () => seen.has('step 2/4') && seen.has('step 3/4'), 10_000).catch((err: unknown) => {
        throw new Error(`${String(err)}: saw ${[...seen].join(', ')}; ${describeStats()}`);
      });
      assert.equal(server.store.get(task.taskId)?.taskId, task.taskId);
    });
  });
}
