/**
 * Issue 13 item 2, the core's share: what 10,000 live tasks that do not change (10 servers × 1,000) cost
 * the core while it follows them, and how fresh one task that does change stays meanwhile. Both
 * generations, each over Streamable HTTP:
 *   - 2025-11-25: the tasks are made server-side (make-tasks, by a side client) and found by the core's
 *     listing; pushes off, so everything the core learns it learns by polling;
 *   - 2026-07-28: no tasks/list, so the core creates the tasks itself; the server pushes (the default).
 * The busy task (server 0) steps every BUSY_STEP_MS; its freshness is the time from the server's
 * lastUpdatedAt to the core's store event. After a warm-up (the tasks have been quiet for a while, as
 * idle tasks are), with the view's first page of each server shown (as the tree tells the core), the core's
 * CPU share is process.cpuUsage over MEASURE_MS of wall time: the fixture
 * servers are other processes, the side client is closed, so this process's CPU is the core's.
 */
import type { ServerConfig } from '../../src/core/config/ServerConfig';
import type { TaskServerApi } from '../../src/core';
import { startHttpDemoServer2026 } from '../../test/fixtures/demo-server-2026/spawn';
import { DEFAULT_CORE_SETTINGS } from '../../src/core/model/ports';
import { BACKGROUND_FACTOR } from '../../src/core/tasks/pollIntervals';
import { PAGE_SIZE, ServerOrder } from '../../src/views/taskPaging';
import { httpConfig } from '../../test/support/serverConfigs';
import { sleep, waitFor } from '../../test/support/waiting';
import { createCore, eachLimit, makeTasks, nowMs, rawHttp, startHttpDemoServer } from '../lib/harness';
import { fetchCounted, installFetchCounter } from '../lib/harness2026';
import { row, type BenchRow } from '../lib/rows';
import { percentile } from '../lib/stats';
import { CORE_LABEL, pollTotal, sentBy } from '../lib/wire';

const SERVERS = 10;
const PER_SERVER = 1000;
const POLL_INTERVAL_MS = 1000;
const BUSY_STEP_MS = 2000;
const WARMUP_MS = 40_000;
/**
 * A whole cycle of background sweeps (the tasks the view does not show are refreshed every
 * maxPollIntervalMs × BACKGROUND_FACTOR, 2 min by default): a shorter window measures its phase.
 */
const MEASURE_MS = DEFAULT_CORE_SETTINGS.maxPollIntervalMs * BACKGROUND_FACTOR;
/** Tasks that never change within the bench: two steps an hour apart. */
const QUIET = { steps: 2, stepMs: 3_600_000 };

interface Fixture {
  readonly url: string;
  stop(): Promise<void>;
}

interface Setup {
  readonly servers: TaskServerApi[];
  readonly busyTaskId: string;
  /** Poll requests (tasks/get + tasks/list) the core has sent so far. */
  polls(): number;
  /** Requests by method so far, for the note. */
  methods(): Record<string, number>;
}

type Generation = '2025' | '2026';

async function setup2025(core: ReturnType<typeof createCore>, fixtures: Fixture[]): Promise<Setup> {
  let busyTaskId = '';
  await Promise.all(
    fixtures.map(async (fixture, s) => {
      const raw = await rawHttp(`idle-seed-${s}`, fixture.url);
      await makeTasks(raw, PER_SERVER - (s === 0 ? 1 : 0), QUIET.stepMs, QUIET.steps);
      // The busy task last: the newest, on the view's first page (the one the user is looking at), and on
      // the last page of this fixture's listing (oldest first).
      if (s === 0) busyTaskId = (await makeTasks(raw, 1, BUSY_STEP_MS, 600))[0]!;
      await raw.close();
    }),
  );
  const servers = await Promise.all(fixtures.map((f, s) => core.connect(httpConfig(`idle-${s}`, f.url), 30_000)));
  await waitFor(
    'the core holds every task',
    () => servers.every((server) => server.store.size >= PER_SERVER),
    120_000,
  ).catch((err: unknown) => {
    throw new Error(`${String(err)}; held: ${servers.map((s) => `${s.store.size} (${s.state.kind})`).join(', ')}`);
  });
  return { servers, busyTaskId, polls: () => pollTotal(sentBy(CORE_LABEL)), methods: () => sentBy(CORE_LABEL) };
}

async function setup2026(core: ReturnType<typeof createCore>, fixtures: Fixture[], progress: (m: string) => void): Promise<Setup> {
  const servers = await Promise.all(
    fixtures.map((f, s) => core.connect({ ...httpConfig(`idle26-${s}`, f.url), protocol: '2026-07-28' } as ServerConfig, 30_000)),
  );
  const busy = await servers[0]!.callToolAsTask('slow-job', { steps: 600, stepMs: BUSY_STEP_MS });
  // Polling paused while the tasks are made: following the first thousands while the rest are created made
  // creation itself the slow part (minutes on a loaded machine); the warm-up follows with polling on.
  core.registry.setPollingPaused(true);
  // Server by server, 8 calls in flight (as the 2026 poll-load bench); a call that fails under load is tried again.
  const t0 = nowMs();
  for (const [s, server] of servers.entries()) {
    if (s > 0) progress(`idle cost 2026: ${s * PER_SERVER} tasks created in ${((nowMs() - t0) / 1000).toFixed(1)} s`);
    await eachLimit(
      Array.from({ length: PER_SERVER - (s === 0 ? 1 : 0) }, (_, i) => i),
      8,
      async () => {
        for (let attempt = 1; ; attempt++) {
          try {
            await server.callToolAsTask('slow-job', QUIET);
            return;
          } catch (err) {
            if (attempt >= 3) throw err;
          }
        }
      },
    );
  }
  core.registry.setPollingPaused(false);
  progress(`idle cost 2026: ${SERVERS * PER_SERVER} tasks created in ${((nowMs() - t0) / 1000).toFixed(1)} s`);
  const polls = () => {
    const counts = fetchCounted();
    return (counts['tasks/get'] ?? 0) + (counts['tasks/list'] ?? 0);
  };
  return { servers, busyTaskId: busy.taskId, polls, methods: fetchCounted };
}

async function measure(gen: Generation, progress: (m: string) => void): Promise<BenchRow[]> {
  // One at a time: ten fixture processes loading at once on a busy 2-core machine miss their start timeout.
  const fixtures: Fixture[] = [];
  for (let s = 0; s < SERVERS; s++) fixtures.push(await (gen === '2025' ? startHttpDemoServer(['--no-notifications'], 60_000) : startHttpDemoServer2026([], 60_000)));
  const uninstall = gen === '2026' ? installFetchCounter() : undefined;
  const core = createCore();
  try {
    progress(`idle cost ${gen}: ${SERVERS * PER_SERVER} tasks on ${SERVERS} servers`);
    const { servers, busyTaskId, polls, methods } = await (gen === '2025' ? setup2025(core, fixtures) : setup2026(core, fixtures, progress));
    const latencies: number[] = [];
    let last = servers[0]!.store.get(busyTaskId)?.lastUpdatedAt;
    servers[0]!.store.onDidChange((change) => {
      const at = nowMs();
      for (const t of change.changed) {
        if (t.taskId !== busyTaskId || t.lastUpdatedAt === undefined || t.lastUpdatedAt === last) continue;
        last = t.lastUpdatedAt;
        latencies.push(at - Date.parse(t.lastUpdatedAt));
      }
    });
    // The view is visible with every server expanded: it shows each server's first page of rows and tells
    // the core so (src/views/TaskTreeProvider.ts), as it does in the editor.
    for (const server of servers) server.setShownTasks(new ServerOrder(() => server.store.list(), () => true).page(PAGE_SIZE).tasks.map((t) => t.taskId));
    if (!servers[0]!.store.get(busyTaskId) || !new ServerOrder(() => servers[0]!.store.list(), () => true).page(PAGE_SIZE).tasks.some((t) => t.taskId === busyTaskId)) {
      throw new Error('the busy task is not on the first page of the view');
    }
    progress(`idle cost ${gen}: warm-up ${WARMUP_MS / 1000} s`);
    await sleep(WARMUP_MS);
    const polls0 = polls();
    const methods0 = methods();
    const cpu0 = process.cpuUsage();
    const t0 = nowMs();
    await sleep(MEASURE_MS);
    const cpu = process.cpuUsage(cpu0);
    const wall = nowMs() - t0;
    const share = ((cpu.user + cpu.system) / 1000 / wall) * 100;
    const pollsPerMin = ((polls() - polls0) * 60_000) / wall;
    const byMethod = Object.entries(methods())
      .map(([m, n]) => [m, n - (methods0[m] ?? 0)] as const)
      .filter(([, n]) => n > 0)
      .map(([m, n]) => `${m} ${n}`)
      .join(', ');
    const p95 = percentile(latencies, 95);
    const live = servers.reduce((n, s) => n + s.store.list().filter((t) => t.status === 'working').length, 0);
    const note = `${live} working tasks held; ${Math.round(pollsPerMin)} polls/min in the window (naive: ${SERVERS * PER_SERVER * 60} /min; sent: ${byMethod}); busy task stepping every ${BUSY_STEP_MS} ms, ${latencies.length} changes seen (warm-up and window)`;
    return [
      row({
        id: `2.idle.${gen}.cpu`,
        item: 2,
        figure: `Idle: the core's CPU share, ${SERVERS * PER_SERVER} unchanged live tasks on ${SERVERS} servers (${gen === '2025' ? '2025-11-25, polling only' : '2026-07-28, pushes on'})`,
        ours: share,
        unit: '%',
        target: '< 5 % (the whole host\'s budget)',
        check: (o) => o < 5,
        note: `process.cpuUsage over ${Math.round(wall)} ms after ${WARMUP_MS / 1000} s of warm-up; ${note}.`,
      }),
      row({
        id: `2.idle.${gen}.fresh`,
        item: 2,
        figure: `Idle: freshness p95 of the one task that changes (${gen})`,
        ours: p95,
        unit: 'ms',
        target: `≤ ${POLL_INTERVAL_MS * 1.1} ms (pollInterval + 10 %)`,
        check: (o) => o <= POLL_INTERVAL_MS * 1.1,
        note: `server lastUpdatedAt → the core's store event; p50 ${percentile(latencies, 50).toFixed(0)} ms over ${latencies.length} changes.`,
      }),
    ];
  } finally {
    await core.dispose();
    uninstall?.();
    await Promise.all(fixtures.map((f) => f.stop()));
  }
}

export async function idleCostBench(progress: (m: string) => void = () => {}, generations: readonly Generation[] = ['2025', '2026']): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const gen of generations) rows.push(...(await measure(gen, progress)));
  return rows;
}
