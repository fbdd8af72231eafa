/**
 * Item 3: the cost of one tasks/get and one tasks/list round trip through the core
 * (TaskServerApi.getTaskStatus / listTasks: request, validation, store merge) against the raw SDK client
 * (client.experimental.tasks.getTask / listTasks) on the same fixture. Calls alternate one by one (core,
 * raw, core, raw…) so both see the same machine noise. Over stdio each client has its own fixture process
 * (a stdio server serves one client); over HTTP both are sessions of one server process, asking about the
 * same tasks. The tasks are completed (nothing else polls them) and the core's polling is paused.
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
import { row, spread, type BenchRow } from '../lib/rows';
import { median } from '../lib/stats';

const REPEATS = 7;
const CALLS = 200;
const WARMUP = 20;
const TASKS = 10;

export interface Pair {
  ours: () => Promise<unknown>;
  raw: () => Promise<unknown>;
}

/** Per repeat: the median call of each side (the ratio of the two is that repeat's ratio, paired in time). */
export async function alternate(pair: Pair): Promise<{ ours: number[]; raw: number[] }> {
  for (let i = 0; i < WARMUP; i++) {
    await pair.ours();
    await pair.raw();
  }
  const ours: number[] = [];
  const raw: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const o: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      // Alternate which goes first as well, so neither always follows the other's GC or I/O.
      const first = i % 2 === 0;
      for (const side of first ? ['o', 'b'] : ['b', 'o']) {
        const t0 = performance.now();
        await (side === 'o' ? pair.ours() : pair.raw());
        (side === 'o' ? o : b).push(performance.now() - t0);
      }
    }
    ours.push(median(o));
    raw.push(median(b));
  }
  return { ours, raw };
}

/** Each repeat's ours/raw: the load of the shared machine swings between repeats, both sides with it. */
export function pairedRatios(runs: { ours: number[]; raw: number[] }): number[] {
  return runs.ours.map((o, i) => o / runs.raw[i]!);
}

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

function rows(transport: string, get: { ours: number[]; raw: number[] }, list: { ours: number[]; raw: number[] }): BenchRow[] {
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
      note: `median per call; ${spread(get.ours, 3)} (ours), ${REPEATS}×${CALLS} alternating calls; ratio per repeat ${spread(pairedRatios(get), 3)}.`,
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
      note: `median per call; ${spread(list.ours, 3)} (ours); ratio per repeat ${spread(pairedRatios(list), 3)}.`,
    }),
  ];
}

async function stdioOverhead(): Promise<BenchRow[]> {
  const core = createCore();
  const raw = await rawOver(createStdioTransport(demoStdioConfig('overhead-raw'), () => undefined), 'overhead-raw');
  try {
    const server = await core.connect(demoStdioConfig('overhead'), 20_000);
    const oursIds = (await Promise.all(Array.from({ length: TASKS }, () => server.callToolAsTask('slow-job', { steps: 0, stepMs: 0 })))).map((t) => t.taskId);
    const rawIds = await completedRawTasks(raw);
    await waitTerminal(server, oursIds);
    core.registry.setPollingPaused(true);
    let i = 0;
    let j = 0;
    const get = await alternate({
      ours: () => server.getTaskStatus(oursIds[i++ % TASKS]!),
      raw: () => raw.client.experimental.tasks.getTask(rawIds[j++ % TASKS]!),
    });
    const list = await alternate({ ours: () => server.listTasks(), raw: () => raw.client.experimental.tasks.listTasks() });
    return rows('stdio', get, list);
  } finally {
    await raw.close();
    await core.dispose();
  }
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
    });
    const list = await alternate({ ours: () => server.listTasks(), raw: () => r.client.experimental.tasks.listTasks() });
    return rows('http', get, list);
  } finally {
    await raw?.close();
    await core.dispose();
    await fixture.stop();
  }
}

export async function overheadBench(progress: (m: string) => void = () => {}): Promise<BenchRow[]> {
  progress('protocol overhead over stdio');
  const stdio = await stdioOverhead();
  progress('protocol overhead over HTTP');
  const http = await httpOverhead();
  return [...stdio, ...http];
}
