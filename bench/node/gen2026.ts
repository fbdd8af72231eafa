/**
 * The second protocol generation (2026-07-28: test/fixtures/demo-server-2026, the core's modern session over
 * the official v2 client + ext-tasks, loaded from dist/modern.js in the bundle). The same rows as for
 * 2025-11-25 where they apply:
 *   - 2.f/2.g push freshness over stdio (baseline: the raw official client listening to the same pushes);
 *   - 1.d polls for tasks that push (1,000 tasks over HTTP; baseline: (a) naive tasks/get per task at pollInterval
 *     through the raw official client);
 *   - 3.2026.* tasks/get round trip through the core vs the raw official client (session.task(id).snapshot()),
 *     both over the core's transport; over stdio a new pair of server processes per repeat (see overhead.ts for both);
 *   - 5.connect.2026.* first connect to a 2026 stdio server: generation detected (a 2025 handshake refused
 *     first) and remembered, vs the raw official client's own connect; 5.modern.load: loading dist/modern.js
 *     (production), the one-time cost of the first 2026 connect, in fresh processes.
 * 2026-07-28 has no tasks/list: the core knows only tasks it created, so it creates them here.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { ServerConfig, StdioServerConfig } from '../../src/core/config/ServerConfig';
import { loopbackFetch } from '../../src/core/connection/loopbackFetch';
import { createStdioTransport } from '../../src/core/connection/stdioTransport';
import { GENERATION_KEY_PREFIX } from '../../src/core/connection/generation';
import { isTerminal } from '../../src/core/model/TaskModel';
import type { TaskServerApi } from '../../src/core';
import { demoServer2026StdioCommand, startHttpDemoServer2026 } from '../../test/fixtures/demo-server-2026/spawn';
import { MemoryStorage } from '../../test/support/memoryStorage';
import { RecordingLog } from '../../test/support/recordingLog';
import { RegistryHarness } from '../../test/support/registryHarness';
import { demoStdioConfig, httpConfig } from '../../test/support/serverConfigs';
import { sleep, waitFor } from '../../test/support/waiting';
import { DEFAULT_CORE_SETTINGS } from '../../src/core/model/ports';
import { createCore, eachLimit, nowMs } from '../lib/harness';
import { fetchCounted, installFetchCounter, rawClient2026, rawConnectMs, type RawClient2026 } from '../lib/harness2026';
import { row, spread, type BenchRow } from '../lib/rows';
import { alternatingLatencyRuns, median } from '../lib/stats';
import { alternate, freshStdioPairs, onServerCpu, pairedRatios, freshPairsMethod, onePairMethod, type OpenSide, type PairedRuns } from '../lib/pairedCalls';
import { productionBuild } from './bundle';

type Json = Record<string, unknown>;

function stdio2026(id: string, args: string[] = [], protocol?: '2026-07-28'): ServerConfig {
  const { command, args: argv } = demoServer2026StdioCommand(args);
  return { id, name: id, source: 'test', fromWorkspace: false, type: 'stdio', command, args: argv, env: {}, ...(protocol ? { protocol } : {}) } as ServerConfig;
}

class Latency {
  private readonly prev = new Map<string, string>();
  readonly samples: number[] = [];
  observe(taskId: string, lastUpdatedAt: unknown, at: number): void {
    if (typeof lastUpdatedAt !== 'string') return;
    const p = this.prev.get(taskId);
    if (p === lastUpdatedAt) return;
    this.prev.set(taskId, lastUpdatedAt);
    if (p !== undefined) this.samples.push(at - Date.parse(lastUpdatedAt));
  }
}

// ------------------------------------------------------------------------------------------------------
// 2.f / 2.g push freshness over stdio

const F_REPEATS = 5;
const F_TASKS = 10;
const F_STEPS = 10;
const F_STEP_MS = 150;

async function pushFreshness(progress: (m: string) => void): Promise<BenchRow[]> {
  const core = createCore();
  const raw = await rawClient2026({ stdioArgs: [] });
  try {
    const server = await core.connect(stdio2026('fresh-2026', [], '2026-07-28'), 30_000);
    let current: Latency | undefined;
    server.store.onDidChange((change) => {
      const at = nowMs();
      for (const t of change.changed) current?.observe(t.taskId, t.lastUpdatedAt, at);
    });
    const rawStatus = new Map<string, string>();
    raw.channel.onTask = (task, at) => {
      rawStatus.set(String(task.taskId), String(task.status));
      current?.observe(String(task.taskId), task.lastUpdatedAt, at);
    };
    const args = { steps: F_STEPS, stepMs: F_STEP_MS, label: 'fresh' };
    const runOurs = async (): Promise<number[]> => {
      const lat = (current = new Latency());
      const created = await Promise.all(Array.from({ length: F_TASKS }, () => server.callToolAsTask('slow-job', args)));
      await waitFor('core tasks done', () => created.every((t) => isTerminal(server.store.get(t.taskId)?.status ?? 'working')), 30_000);
      current = undefined;
      return lat.samples;
    };
    const runRaw = async (): Promise<number[]> => {
      const lat = (current = new Latency());
      const created = await Promise.all(Array.from({ length: F_TASKS }, () => raw.createTask('slow-job', args)));
      const sub = await raw.client.listen({ taskIds: created.map((t) => t.taskId) });
      try {
        await waitFor('raw tasks done (pushed)', () => created.every((t) => rawStatus.get(t.taskId) === 'completed'), 30_000);
      } finally {
        await sub?.close?.().catch(() => undefined);
      }
      current = undefined;
      return lat.samples;
    };
    const { ours, base } = await alternatingLatencyRuns(F_REPEATS, runOurs, runRaw, (r) => progress(`2026 push freshness (stdio) repeat ${r + 1}/${F_REPEATS}`));
    return [
      row({
        id: '2.f',
        item: 2,
        figure: 'Freshness, 2026 pushes (stdio): p50',
        ours: median(ours.map((x) => x.p50)),
        baseline: median(base.map((x) => x.p50)),
        baselineLabel: 'raw official v2 client + listen, same push',
        unit: 'ms',
        target: '< 20 ms',
        check: (o) => o < 20,
        note:
          `Server lastUpdatedAt → store change event (notifications/tasks of a subscriptions/listen naming the tasks); ${F_TASKS} slow-jobs × ${F_STEPS} steps of ${F_STEP_MS} ms, ` +
          `${median(ours.map((x) => x.n))} changes per run (raw: ${median(base.map((x) => x.n))}); ${spread(ours.map((x) => x.p50))}.` +
          (core.log.problems ? ` Core logged ${core.log.problems} warnings/errors.` : ''),
      }),
      row({
        id: '2.g',
        item: 2,
        figure: 'Freshness, 2026 pushes (stdio): p95',
        ours: median(ours.map((x) => x.p95)),
        baseline: median(base.map((x) => x.p95)),
        baselineLabel: 'raw official v2 client + listen, same push',
        unit: 'ms',
        target: 'info (issue sets p50)',
        note: spread(ours.map((x) => x.p95)) + '.',
      }),
    ];
  } finally {
    await raw.close();
    await core.dispose();
  }
}

// ------------------------------------------------------------------------------------------------------
// 1.d polls for tasks that push (HTTP, 1,000 tasks)

const P_TASKS = 1000;
const P_STEP_MS = 5000;
/** Longer than the 2025 bench's 2.5 s: every task has pushed once (one step, 5 s) before counting starts. */
const P_WARMUP_MS = 7500;
const P_WINDOW_MS = 2500;
const P_WINDOWS = 5;
const POLL_INTERVAL_MS = 1000;

async function countWindows(): Promise<{ perMin: number[]; methods: Record<string, number> }> {
  await sleep(P_WARMUP_MS);
  const perMin: number[] = [];
  const methods: Record<string, number> = {};
  for (let w = 0; w < P_WINDOWS; w++) {
    const before = fetchCounted();
    const t0 = nowMs();
    await sleep(P_WINDOW_MS);
    const after = fetchCounted();
    const elapsed = nowMs() - t0;
    let polls = 0;
    for (const [k, v] of Object.entries(after)) {
      const d = v - (before[k] ?? 0);
      if (d) methods[k] = (methods[k] ?? 0) + d;
      if (k === 'tasks/get' || k === 'tasks/list') polls += d;
    }
    perMin.push((polls * 60_000) / elapsed);
  }
  return { perMin, methods };
}

async function pushPolls(progress: (m: string) => void): Promise<BenchRow[]> {
  const fixture = await startHttpDemoServer2026([]);
  const uninstall = installFetchCounter();
  const core = createCore({}, 5000);
  let raw: RawClient2026 | undefined;
  try {
    const server = await core.connect({ ...httpConfig('push-2026', fixture.url), protocol: '2026-07-28' } as ServerConfig, 30_000);
    progress(`2026 poll load: the core creates ${P_TASKS} tasks`);
    const ids: string[] = [];
    let retried = 0;
    await eachLimit(Array.from({ length: P_TASKS }, (_, i) => i), 8, async () => {
      // Under a loaded machine a call can time out; try again (a lost task would only lower the load).
      for (let attempt = 1; ; attempt++) {
        try {
          ids.push((await server.callToolAsTask('slow-job', { steps: 600, stepMs: P_STEP_MS })).taskId);
          return;
        } catch (err) {
          if (attempt >= 3) throw err;
          retried++;
        }
      }
    });
    let pushed = 0;
    server.store.onDidChange((c) => (pushed += c.changed.length));
    progress('2026 poll load: ours (pushes on)');
    const ours = await countWindows();
    const changesPerMin = (pushed * 60_000) / (P_WARMUP_MS + P_WINDOWS * P_WINDOW_MS);
    const oursMethods = ours.methods;
    const untrusted = core.log.lines.some((l) => /does not push every status change/.test(l.message));
    await core.dispose();
    progress('2026 poll load: (a) naive tasks/get per task, raw official client');
    raw = await rawClient2026({ url: fixture.url });
    const r = raw;
    let stopped = false;
    let errors = 0;
    const loops = ids.map(async (id, i) => {
      await sleep((i * POLL_INTERVAL_MS) / ids.length);
      while (!stopped) {
        let t: Json | undefined;
        try {
          t = await r.getTask(id);
        } catch {
          errors++;
        }
        await sleep(typeof t?.pollIntervalMs === 'number' ? t.pollIntervalMs : POLL_INTERVAL_MS);
      }
    });
    const naive = await countWindows();
    stopped = true;
    await Promise.all(loops);
    const o = median(ours.perMin);
    const a = median(naive.perMin);
    return [
      row({
        id: '1.d',
        item: 1,
        figure: 'Poll load, 2026 (pushes on): polls/min (tasks that push) vs (a)',
        ours: o,
        baseline: a,
        baselineLabel: '(a) naive tasks/get, raw official client',
        unit: 'req/min',
        target: 'near zero: ≤ 0.01× (a)',
        check: (_o, ratio) => ratio !== undefined && ratio <= 0.01,
        note:
          `${ids.length} slow-jobs created by the core over HTTP${retried ? ` (${retried} tools/call retried under load)` : ''}, each stepping every ${P_STEP_MS / 1000} s, pollIntervalMs ${POLL_INTERVAL_MS}; pushed through one subscriptions/listen naming them. ` +
          `Ours: requests in the windows ${JSON.stringify(oursMethods)}, ${Math.round(changesPerMin)} task changes/min taken in; ${spread(ours.perMin, 0)}. ` +
          `(a) nominal ${Math.round((P_TASKS * 60_000) / POLL_INTERVAL_MS)}/min, ${spread(naive.perMin, 0)}${errors ? `, ${errors} failed requests` : ''}. 2026-07-28 has no tasks/list: only tasks/get counts. ` +
          (untrusted
            ? 'The core logged "the server does not push every status change" (a poll revealed a change not pushed within 2 s, e.g. while the listen was re-issued for the growing task set), so it polled every task at the normal rate for the rest of the connection.'
            : 'The core kept trusting the pushes (safety-net polls only).'),
      }),
    ];
  } finally {
    await raw?.close();
    await core.dispose();
    uninstall();
    await fixture.stop();
  }
}

// ------------------------------------------------------------------------------------------------------
// 3.2026.* tasks/get round trip

const RT_TASKS = 10;

async function completedCore(server: TaskServerApi): Promise<string[]> {
  const ids = (await Promise.all(Array.from({ length: RT_TASKS }, () => server.callToolAsTask('slow-job', { steps: 0, stepMs: 0 })))).map((t) => t.taskId);
  await waitFor('core tasks completed', () => ids.every((id) => isTerminal(server.store.get(id)?.status ?? 'working')), 20_000);
  return ids;
}

async function completedRaw(raw: RawClient2026): Promise<string[]> {
  const ids = (await Promise.all(Array.from({ length: RT_TASKS }, () => raw.createTask('slow-job', { steps: 0, stepMs: 0 })))).map((t) => t.taskId);
  for (const id of ids) await waitFor('raw task completed', async () => (await raw.getTask(id)).status === 'completed', 20_000);
  return ids;
}

const RT_REPEATS = 7;
const RT_CALLS = 200;
/** Over stdio, one new pair of server processes per repeat (bench/lib/pairedCalls.ts), as for 3.stdio.*. */
const RT_STDIO_REPEATS = 25;

function roundTripRow(transport: string, get: PairedRuns, method: string): BenchRow {
  return row({
    id: `3.2026.${transport}.get`,
    item: 3,
    figure: `tasks/get round trip through the core, 2026 (${transport})`,
    ours: median(get.ours),
    baseline: median(get.raw),
    baselineLabel: 'raw official v2 client + ext-tasks, same transport',
    unit: 'ms',
    target: '≤ 1.03× raw official client',
    check: (_o, r) => r !== undefined && r <= 1.03,
    note: `median per call; ${spread(get.ours, 3)} (ours), raw ${spread(get.raw, 3)}, ratio per repeat ${spread(pairedRatios(get), 3)}, median ${median(pairedRatios(get)).toFixed(3)}; ${method} on completed tasks (reply carries the inline result), the core's polling paused; both sides over the core's transport (stdio: its own; HTTP: the v2 transport posting through loopbackFetch), as for the 2025 rows.`,
  });
}

async function openCore2026(r: number): Promise<OpenSide<'get'>> {
  const core = createCore();
  try {
    const server = await core.connect(onServerCpu(stdio2026(`rt-2026-${r}`, [], '2026-07-28') as StdioServerConfig), 30_000);
    const ids = await completedCore(server);
    core.registry.setPollingPaused(true);
    let i = 0;
    return { calls: { get: () => server.getTaskStatus(ids[i++ % RT_TASKS]!) }, close: () => core.dispose() };
  } catch (err) {
    await core.dispose();
    throw err;
  }
}

async function openRaw2026(r: number): Promise<OpenSide<'get'>> {
  const raw = await rawClient2026({ transport: createStdioTransport(onServerCpu(stdio2026(`rt-2026-raw-${r}`) as StdioServerConfig), () => undefined) });
  try {
    const ids = await completedRaw(raw);
    let j = 0;
    return { calls: { get: () => raw.getTask(ids[j++ % RT_TASKS]!) }, close: () => raw.close() };
  } catch (err) {
    await raw.close();
    throw err;
  }
}

async function roundTrips(progress: (m: string) => void): Promise<BenchRow[]> {
  const out: BenchRow[] = [];
  const stdio = await freshStdioPairs(['get'], RT_STDIO_REPEATS, RT_CALLS, { ours: openCore2026, raw: openRaw2026 }, (r) =>
    progress(`2026 tasks/get round trip over stdio, pair ${r + 1}/${RT_STDIO_REPEATS}`),
  );
  out.push(roundTripRow('stdio', stdio.get, freshPairsMethod(RT_STDIO_REPEATS, RT_CALLS)));
  progress('2026 tasks/get round trip over HTTP');
  {
    const fixture = await startHttpDemoServer2026([]);
    const core = createCore();
    let raw: RawClient2026 | undefined;
    try {
      raw = await rawClient2026({ url: fixture.url, fetch: loopbackFetch });
      const r = raw;
      const server = await core.connect({ ...httpConfig('rt-2026-http', fixture.url), protocol: '2026-07-28' } as ServerConfig, 30_000);
      const oursIds = await completedCore(server);
      const rawIds = await completedRaw(r);
      core.registry.setPollingPaused(true);
      let i = 0;
      let j = 0;
      out.push(roundTripRow('http', await alternate({ ours: () => server.getTaskStatus(oursIds[i++ % RT_TASKS]!), raw: () => r.getTask(rawIds[j++ % RT_TASKS]!) }, RT_REPEATS, RT_CALLS), onePairMethod(RT_REPEATS, RT_CALLS)));
    } finally {
      await raw?.close();
      await core.dispose();
      await fixture.stop();
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------------------------
// 5.connect.2026.*: first connect, and loading dist/modern.js

const C_REPEATS = 5;

/** From configuring the server to `connected`, with a fresh registry (and storage) each time. */
async function coreConnectMs(config: ServerConfig, remembered: boolean): Promise<number> {
  const storage = new MemoryStorage();
  if (remembered) await storage.set(GENERATION_KEY_PREFIX + config.id, '2026-07-28');
  const h = new RegistryHarness({ settings: { ...DEFAULT_CORE_SETTINGS }, reconnect: undefined, storage, log: new RecordingLog({ levels: ['warn', 'error'], limit: 20 }) });
  try {
    const t0 = performance.now();
    const [server] = h.start(config);
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (server!.state.kind === 'connected') resolve();
        else if (server!.state.kind === 'failed') reject(new Error(`connect ended ${server!.state.kind}`));
      };
      const sub = server!.onDidChangeState(() => check());
      setTimeout(() => (sub.dispose(), reject(new Error('connect timed out'))), 30_000).unref();
      check();
    }).catch(async () => waitFor('connected', () => server!.state.kind === 'connected', 30_000));
    return performance.now() - t0;
  } finally {
    await h.dispose();
  }
}

/** require() of the production extension.js (vscode stubbed) then of modern.js, in a fresh Node process. */
function moduleLoadMs(dir: string): { extensionMs: number; modernMs: number } {
  // A stand-in for the vscode module, so the bundle's top level runs outside VS Code: every name the API
  // exports (from @types/vscode), each a deep stub. Only the module load is timed; nothing is activated.
  const typesFile = require.resolve('@types/vscode/index.d.ts', { paths: [path.resolve(__dirname, '../../..')] });
  const script = `
    const M = require('module');
    const names = [...new Set([...require('fs').readFileSync(${JSON.stringify(typesFile)}, 'utf8').matchAll(/^\\t?export (?:class|enum|namespace|function|const|let) (\\w+)/gm)].map((m) => m[1]))];
    const stub = new Proxy(function () {}, { get: (t, k) => (k === 'prototype' ? {} : stub), apply: () => stub, construct: () => ({}) });
    const api = new Proxy({}, {
      get: (t, k) => (k === '__esModule' ? false : stub),
      ownKeys: () => names,
      getOwnPropertyDescriptor: (t, k) => ({ value: stub, writable: true, enumerable: true, configurable: true }),
    });
    const load = M._load;
    M._load = function (r, ...a) { return r === 'vscode' ? api : load.call(this, r, ...a); };
    const { performance } = require('perf_hooks');
    let t = performance.now();
    require(${JSON.stringify(path.join(dir, 'dist', 'extension.js'))});
    const extensionMs = performance.now() - t;
    t = performance.now();
    require(${JSON.stringify(path.join(dir, 'dist', 'modern.js'))});
    const modernMs = performance.now() - t;
    process.stdout.write(JSON.stringify({ extensionMs, modernMs }));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`module load probe failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { extensionMs: number; modernMs: number };
}

async function firstConnect(progress: (m: string) => void): Promise<BenchRow[]> {
  progress('2026 first connect (warm-up: the unbundled modern stack loads once here)');
  await coreConnectMs(stdio2026('warm-2026'), true);
  await rawConnectMs();
  const detect: number[] = [];
  const remembered: number[] = [];
  const raw: number[] = [];
  const legacy: number[] = [];
  for (let r = 0; r < C_REPEATS; r++) {
    progress(`2026 first connect repeat ${r + 1}/${C_REPEATS}`);
    detect.push(await coreConnectMs(stdio2026('detect-2026'), false));
    remembered.push(await coreConnectMs(stdio2026('remembered-2026'), true));
    raw.push(await rawConnectMs());
    legacy.push(await coreConnectMs(demoStdioConfig('connect-2025'), false));
  }
  progress('loading dist/modern.js (production) in fresh processes');
  const { dir } = productionBuild();
  const loads = Array.from({ length: C_REPEATS }, () => moduleLoadMs(dir));
  const modernMs = median(loads.map((l) => l.modernMs));
  const extMs = median(loads.map((l) => l.extensionMs));
  const context = `Core (registry as the editor builds it) from configuring the stdio server to connected, a new server process each time; the raw official client spawns the same fixture and connects (server/discover). A 2025 fixture connects through the core in ${median(legacy).toFixed(0)} ms (${spread(legacy, 0)}).`;
  return [
    row({
      id: '5.connect.2026.detect',
      item: 5,
      figure: 'First connect to a 2026 server (stdio), generation detected',
      ours: median(detect),
      baseline: median(raw),
      baselineLabel: 'raw official v2 client connect',
      unit: 'ms',
      target: 'info (issue sets no target)',
      note:
        `No remembered generation: the 2025 initialize goes first and is refused, then the 2026 session opens; ${spread(detect, 0)}. ${context} ` +
        `The very first 2026 connect of a window adds loading dist/modern.js (5.modern.load, ~${modernMs.toFixed(0)} ms): ~${(median(detect) + modernMs).toFixed(0)} ms in all.`,
    }),
    row({
      id: '5.connect.2026.remembered',
      item: 5,
      figure: 'First connect to a 2026 server (stdio), generation remembered',
      ours: median(remembered),
      baseline: median(raw),
      baselineLabel: 'raw official v2 client connect',
      unit: 'ms',
      target: 'info (issue sets no target)',
      note: `mcpTasks.generation/<server> already says 2026-07-28 (a later session): no 2025 attempt; ${spread(remembered, 0)}. With dist/modern.js still to load: ~${(median(remembered) + modernMs).toFixed(0)} ms.`,
    }),
    row({
      id: '5.modern.load',
      item: 5,
      figure: 'Loading dist/modern.js (production), once per extension host',
      ours: modernMs,
      baseline: extMs,
      baselineLabel: 'require() of dist/extension.js, same process',
      unit: 'ms',
      target: 'info (one-time cost of the first 2026 connect)',
      note: `require() in a fresh Node process after extension.js (vscode stubbed), ${C_REPEATS} processes; ${spread(loads.map((l) => l.modernMs), 0)}. Production bundles built by esbuild.js --production (5.bundle).`,
    }),
  ];
}

const PARTS = [
  ['freshness', pushFreshness],
  ['poll', pushPolls],
  ['overhead', roundTrips],
  ['connect', firstConnect],
] as const;
export type Gen2026Part = (typeof PARTS)[number][0];

/** All parts, or only those named (`--only gen2026.overhead` runs the round trip alone). */
export async function gen2026Bench(progress: (m: string) => void = () => {}, only?: readonly Gen2026Part[]): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const failures: string[] = [];
  for (const [name, part] of PARTS) {
    if (only && !only.includes(name)) continue;
    try {
      rows.push(...(await part(progress)));
    } catch (err) {
      failures.push(`${name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      progress(`2026 ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (failures.length) throw Object.assign(new Error(`gen2026 parts failed:\n${failures.join('\n')}`), { rows });
  return rows;
}
