/**
 * Item 3: the cost of one tasks/get and one tasks/list round trip through the core
 * (TaskServerApi.getTaskStatus / listTasks: request, validation, store merge) against the raw SDK client
 * (client.experimental.tasks.getTask / listTasks) on the same fixture. Calls alternate one by one (core,
 * raw, raw, core…) so both see the same machine noise. The tasks are completed (nothing else polls them) and
 * the core's polling is paused.
 *
 * Over HTTP both clients are sessions of one server process, asking about the same tasks: 7 repeats × 200
 * calls on one pair of clients. Over stdio a server serves one client, so each side has its own fixture
 * process, and which pair of processes a run got decided the ratio: raw client against raw client (nothing of
 * the core involved) swung from 0.73 to 1.30 between whole runs, and within one pair repeats stayed at 0.6 for
 * seconds. Mostly that is where the scheduler put each server relative to this process (with both servers
 * pinned to one CPU the same raw-vs-raw repeats stayed within 0.96–1.10). So over stdio every one of 25
 * repeats starts a new pair of server processes, both on one CPU, in alternating order (core first, then raw
 * first), and times 200 alternating calls on it; the rest of a pair's luck averages out over the repeats
 * (bench/lib/pairedCalls.ts, bench/README.md item 3 for the measured spread).
 *
 * Both sides use the same transport below the client: the core's own (its stdio transport; over HTTP the
 * SDK's transport posting through the core's `fetchFor`, i.e. loopbackFetch). With the SDK's defaults the raw
 * side read each stdio line through the SDK's buffer and zod envelope check and posted through undici, whose
 * listeners pile up on the transport's one AbortSignal (thousands by the end of a run): the ratio then measured
 * those differences (0.67–0.97× in our runs), not what the core adds on top of a client, which is the figure.
 */
import type { TaskServerApi } from '../../src/core';
import { isTerminal } from '../../src/core/model/TaskModel';
import { demoStdioConfig, httpConfig } from '../../test/support/serverConfigs';
import { waitFor } from '../../test/support/waiting';
import { fetchFor } from '../../src/core/connection/httpTransports';
import { createStdioTransport } from '../../src/core/connection/stdioTransport';
import { createCore, rawCreateTask, rawHttp, rawOver, startHttpDemoServer, type RawClient } from '../lib/harness';
import { alternate, freshStdioPairs, onServerCpu, pairedRatios, freshPairsMethod, onePairMethod, type OpenSide, type PairedRuns } from '../lib/pairedCalls';
import { row, spread, type BenchRow } from '../lib/rows';
import { median } from '../lib/stats';

const REPEATS = 7;
const CALLS = 200;
/**
 * Over stdio, one new pair of server processes per repeat (bench/lib/pairedCalls.ts). 25 rather than 15: whole
 * runs of 3.2026.stdio.get spread 1.02–1.09 with 15, 1.02–1.05 with 25 (bench/README.md item 3).
 */
const STDIO_REPEATS = 25;
const TASKS = 10;

async function completedRawTasks(raw: RawClient): Promise<string[]> {
  const ids = (await Promise.all(Array.from({ length: TASKS }, () => rawCreateTask(raw, 'slow-job', { steps: 0, stepMs: 0 })))).map((t) => t.taskId);
  for (const id of ids) {
    await waitFor('raw task completed', async () => (await raw.client.experimental.tasks.getTask(id)).status === 'completed', 10_000);
  }
  return ids;
}

async function waitTerminal(server: TaskServerApi, ids: string[]): Promise<void> {
  await waitFor('core tasks completed', () => ids.every((id) => isTerminal(server.store.get(id)?.status ?? 'working')), 10_000);
}

function rows(transport: string, get: PairedRuns, list: PairedRuns, method: string): BenchRow[] {
  return [
    row({
      id: `3.${transport}.get`,
      item: 3,
      figure: `tasks/get round trip through the core (${transport})`,
      ours: median(get.ours),
      baseline: median(get.raw),
      baselineLabel: 'raw SDK client, same transport',
      unit: 'ms',
      target: '≤ 1.03× raw SDK',
      check: (_o, r) => r !== undefined && r <= 1.03,
      note: `median per call; ${spread(get.ours, 3)} (ours), ${method}; ratio per repeat ${spread(pairedRatios(get), 3)}, median ${median(pairedRatios(get)).toFixed(3)}.`,
    }),
    row({
      id: `3.${transport}.list`,
      item: 3,
      figure: `tasks/list round trip through the core (${transport}, page of ${TASKS})`,
      ours: median(list.ours),
      baseline: median(list.raw),
      baselineLabel: 'raw SDK client, same transport',
      unit: 'ms',
      target: '≤ 1.03× raw SDK',
      check: (_o, r) => r !== undefined && r <= 1.03,
      note: `median per call; ${spread(list.ours, 3)} (ours); ratio per repeat ${spread(pairedRatios(list), 3)}, median ${median(pairedRatios(list)).toFixed(3)}.`,
    }),
  ];
}

type Call = 'get' | 'list';

/** The core on a server process of its own, its tasks completed and its polling paused. */
async function openCore(r: number): Promise<OpenSide<Call>> {
  const core = createCore();
  try {
    const server = await core.connect(onServerCpu(demoStdioConfig(`overhead-${r}`)), 20_000);
    const ids = (await Promise.all(Array.from({ length: TASKS }, () => server.callToolAsTask('slow-job', { steps: 0, stepMs: 0 })))).map((t) => t.taskId);
    await waitTerminal(server, ids);
    core.registry.setPollingPaused(true);
    let i = 0;
    return { calls: { get: () => server.getTaskStatus(ids[i++ % TASKS]!), list: () => server.listTasks() }, close: () => core.dispose() };
  } catch (err) {
    await core.dispose();
    throw err;
  }
}

/** The raw SDK client over the core's stdio transport, on a server process of its own. */
async function openRaw(r: number): Promise<OpenSide<Call>> {
  const raw = await rawOver(createStdioTransport(onServerCpu(demoStdioConfig(`overhead-raw-${r}`)), () => undefined), `overhead-raw-${r}`);
  try {
    const ids = await completedRawTasks(raw);
    let j = 0;
    return {
      calls: { get: () => raw.client.experimental.tasks.getTask(ids[j++ % TASKS]!), list: () => raw.client.experimental.tasks.listTasks() },
      close: () => raw.close(),
    };
  } catch (err) {
    await raw.close();
    throw err;
  }
}

async function stdioOverhead(progress: (m: string) => void): Promise<BenchRow[]> {
  const runs = await freshStdioPairs(['get', 'list'], STDIO_REPEATS, CALLS, { ours: openCore, raw: openRaw }, (r) =>
    progress(`protocol overhead over stdio, pair ${r + 1}/${STDIO_REPEATS}`),
  );
  const method = freshPairsMethod(STDIO_REPEATS, CALLS);
  return rows('stdio', runs.get, runs.list, method);
}

async function httpOverhead(): Promise<BenchRow[]> {
  const fixture = await startHttpDemoServer([]);
  const core = createCore();
  let raw: RawClient | undefined;
  try {
    raw = await rawHttp('overhead-raw-http', fixture.url, fetchFor(new URL(fixture.url)));
    const ids = await completedRawTasks(raw);
    const server = await core.connect(httpConfig('overhead-http', fixture.url), 20_000);
    await waitFor('core sees the tasks', () => ids.every((id) => server.store.get(id)?.status === 'completed'), 10_000);
    core.registry.setPollingPaused(true);
    const r = raw;
    let i = 0;
    let j = 0;
    const get = await alternate({
      ours: () => server.getTaskStatus(ids[i++ % TASKS]!),
      raw: () => r.client.experimental.tasks.getTask(ids[j++ % TASKS]!),
    }, REPEATS, CALLS);
    const list = await alternate({ ours: () => server.listTasks(), raw: () => r.client.experimental.tasks.listTasks() }, REPEATS, CALLS);
    return rows('http', get, list, onePairMethod(REPEATS, CALLS));
  } finally {
    await raw?.close();
    await core.dispose();
    await fixture.stop();
  }
}

export async function overheadBench(progress: (m: string) => void = () => {}): Promise<BenchRow[]> {
  progress('protocol overhead over stdio');
  const stdio = await stdioOverhead(progress);
  progress('protocol overhead over HTTP');
  const http = await httpOverhead();
  return [...stdio, ...http];
}
