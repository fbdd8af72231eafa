// A soak: thousands of tasks over a stretch of time while two servers misbehave at random (a stdio server
// that crashes every few seconds, an HTTP server with transient errors, slow answers, cut event streams
// and one restart). At the end every task created is terminal or expired in the store, none is lost, and
// the memory the run took is given back.
//
// SOAK_SECONDS sets how long tasks are created (default 20, the CI variant); e.g. SOAK_SECONDS=600 for a
// longer local run. SOAK_SEED fixes the servers' random faults.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import type { TaskServerApi } from '../../../src/core';
import { isTerminal, type TrackedStatus } from '../../../src/core/model/TaskModel';
import { startHttpFaultServer, type HttpFaultServer } from '../../fixtures/fault-server/spawn';
import { cleanupTempDirs, connected, guardUnhandledRejections, Harness, httpConfig, rit, sleep, stdioConfig, tempDir, waitFor } from './harness';

const SOAK_SECONDS = Number(process.env.SOAK_SECONDS ?? 20);
const SEED = Number(process.env.SOAK_SEED ?? Date.now() % 100_000);

v8.setFlagsFromString('--expose_gc');
const gc = vm.runInNewContext('gc') as () => void;

/**
 * MB of live data on the heap after full collections. Compiled code is left out: it grows as the JIT warms
 * up to new paths, whatever the run keeps.
 */
function heapMb(): number {
  for (let i = 0; i < 3; i++) gc();
  const data = v8.getHeapSpaceStatistics().filter((s) => !s.space_name.startsWith('code'));
  return data.reduce((n, s) => n + s.space_used_size, 0) / 1024 / 1024;
}

interface SoakResult {
  readonly created: number;
  readonly seconds: number;
  readonly lost: number;
  readonly byStatus: Partial<Record<TrackedStatus, number>>;
  readonly counts: { createFailed: number; cancels: number; results: number; statuses: number };
  readonly restarts: number;
  readonly heap: { connected: number; mid: number; end: number };
}

/**
 * The load itself. Every reference to a server lives in this function, so once it has returned nothing of
 * the test holds the servers and the memory given back after dispose can be measured.
 */
async function soak(h: Harness, stdioArgs: string[], http: { server: HttpFaultServer; restart: () => Promise<void> }): Promise<SoakResult> {
  const servers: TaskServerApi[] = h.start(stdioConfig('crashy', stdioArgs), httpConfig('flaky', http.server.url));
  const crashy = servers[0]!;
  const flaky = servers[1]!;
  await connected(crashy);
  await connected(flaky);
  const connectedHeap = heapMb();

  const created = new Map<string, TaskServerApi>();
  const counts = { createFailed: 0, cancels: 0, results: 0, statuses: 0 };
  const background: Promise<unknown>[] = [];
  const deadline = Date.now() + SOAK_SECONDS * 1000;
  let midHeap = 0;

  const worker = async (srv: TaskServerApi) => {
    while (Date.now() < deadline) {
      if (srv.state.kind !== 'connected') {
        await sleep(50);
        continue;
      }
      try {
        const task = await srv.callToolAsTask('job', {
          ms: Math.floor(Math.random() * 1_500),
          fail: Math.random() < 0.1,
          persist: Math.random() < 0.97,
          text: `soak ${created.size}`,
        });
        created.set(task.taskId, srv);
        const r = Math.random();
        // What a user does meanwhile, at random, without waiting for it.
        if (r < 0.05) {
          counts.cancels++;
          background.push(srv.cancelTask(task.taskId).catch(() => undefined));
        } else if (r < 0.08) {
          counts.results++;
          background.push(srv.getTaskResult(task.taskId));
        } else if (r < 0.1) {
          counts.statuses++;
          background.push(srv.getTaskStatus(task.taskId).catch(() => undefined));
        }
      } catch {
        counts.createFailed++; // the server went down under the call: nothing was created as far as we know
      }
      await sleep(30 + Math.random() * 40);
    }
  };

  const chores = (async () => {
    // Mid-run: the view is hidden for a second (polling paused), and the HTTP server is restarted.
    await sleep((SOAK_SECONDS * 1000) / 3);
    midHeap = heapMb();
    h.registry.setPollingPaused(true);
    await sleep(1_000);
    h.registry.setPollingPaused(false);
    await sleep((SOAK_SECONDS * 1000) / 6);
    await http.restart();
  })();

  const startedAt = Date.now();
  await Promise.all([...Array.from({ length: 4 }, () => worker(crashy)), ...Array.from({ length: 4 }, () => worker(flaky)), chores]);
  const seconds = (Date.now() - startedAt) / 1000;

  // Everything settles: the poller alone must bring every task to an end.
  const notDone = () => [...created].filter(([id, srv]) => !isTerminal(srv.store.get(id)?.status ?? 'unknown'));
  await waitFor(`every task to end (${notDone().length} still open, e.g. ${JSON.stringify(notDone().slice(0, 3).map(([id, s]) => s.store.get(id)))})`, () => notDone().length === 0, 60_000);
  await Promise.all(background);

  const byStatus: Partial<Record<TrackedStatus, number>> = {};
  let lost = 0;
  for (const [id, srv] of created) {
    const t = srv.store.get(id);
    if (!t) lost++;
    else byStatus[t.status] = (byStatus[t.status] ?? 0) + 1;
  }
  const restarts = (h.states.get('crashy') ?? []).filter((st) => st.kind === 'connecting').length - 1;
  return { created: created.size, seconds, lost, byStatus, counts, restarts, heap: { connected: connectedHeap, mid: midHeap, end: heapMb() } };
}

describe('reliability: soak', function () {
  this.timeout((SOAK_SECONDS + 120) * 1000);
  guardUnhandledRejections();
  let h: Harness | undefined;
  const http: HttpFaultServer[] = [];
  afterEach(async () => {
    await h?.dispose();
    await Promise.all(http.map((s) => s.stop()));
    cleanupTempDirs();
  });

  rit(`thousands of tasks over ${SOAK_SECONDS} s with random faults: all end terminal or expired, none lost, memory given back`, async () => {
    const dir = tempDir();
    const chaos = ['--poll-interval', '300', '--page-size', '200', '--fault', `chaos=${SEED}`];
    const httpArgs = [...chaos, '--state-file', path.join(dir, 'http.json'), '--fault', 'drop-sse=2000:3'];
    const httpRef = {
      server: await startHttpFaultServer(httpArgs),
      restart: async () => {
        await httpRef.server.kill();
        await sleep(300);
        httpRef.server = await startHttpFaultServer(httpArgs, { port: httpRef.server.port });
        http.push(httpRef.server);
      },
    };
    http.push(httpRef.server);

    // Warm-up: the first connection loads code (the HTTP client, schemas) that stays loaded for good; the
    // baseline is taken after it, so only what this run keeps is measured.
    await (async () => {
      const warm = new Harness();
      for (const s of warm.start(stdioConfig('warm-stdio'), httpConfig('warm-http', httpRef.server.url))) {
        await connected(s);
        await s.getTaskResult((await s.callToolAsTask('job', { ms: 10 })).taskId);
      }
      await warm.dispose();
    })();
    const baselineHeap = heapMb();

    h = new Harness({ settings: { minPollIntervalMs: 100, maxPollIntervalMs: 2_000, requestTimeoutMs: 3_000 } });
    const stdioArgs = [...chaos, '--state-file', path.join(dir, 'stdio.json'), '--fault', 'crash-after=3000-8000'];
    const r = await soak(h, stdioArgs, httpRef);
    console.log(
      `      (${r.created} tasks in ${r.seconds.toFixed(0)} s; ${JSON.stringify(r.byStatus)}; ${r.counts.createFailed} creations failed; ` +
        `${r.counts.cancels} cancels, ${r.counts.results} results, ${r.counts.statuses} status checks; stdio server restarted ${r.restarts}×; ` +
        `seed ${SEED}; heap MB: baseline ${baselineHeap.toFixed(1)}, connected ${r.heap.connected.toFixed(1)}, mid ${r.heap.mid.toFixed(1)}, ` +
        `end ${r.heap.end.toFixed(1)})`,
    );

    assert.equal(r.lost, 0, `${r.lost} created tasks are not in the store`);
    assert.ok(r.created >= SOAK_SECONDS * 40, `only ${r.created} tasks created in ${SOAK_SECONDS} s`);
    assert.ok(r.restarts >= 1, 'the stdio server never crashed: the soak injected no restarts');
    assert.ok((r.byStatus.completed ?? 0) > 0 && (r.byStatus.failed ?? 0) > 0, 'both outcomes occur');
    // What the run holds is the tasks themselves (a few KB each at most), nothing that grows with time.
    const perTaskKb = ((r.heap.end - r.heap.connected) * 1024) / r.created;
    assert.ok(perTaskKb < 8, `${perTaskKb.toFixed(1)} KB of heap per task kept`);

    // And when the servers go, the memory goes with them.
    await h.dispose();
    h = undefined;
    await sleep(200);
    const afterHeap = heapMb();
    console.log(`      (heap after dispose: ${afterHeap.toFixed(1)} MB)`);
    // Compiled-code metadata (feedback vectors and the like) stays behind; data kept per task would not.
    const allowedMb = 3 + r.created / 20_000;
    assert.ok(afterHeap - baselineHeap < allowedMb, `${(afterHeap - baselineHeap).toFixed(1)} MB still held after dispose`);
  });
});
