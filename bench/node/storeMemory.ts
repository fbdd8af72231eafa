/**
 * Item 4, memory: heap held by the core's TaskStores for 10,000 tasks (10 servers × 1,000), each task as the
 * fixture sends it (32-hex id, working, "step i/600", ISO times, ttl, pollInterval), read through the core's
 * own wire reader and applied to the store. Baseline: the same 10,000 wire tasks as the SDK would hand them
 * to a host (parsed JSON objects) kept in one Map per server. Heap after a full GC, before and after;
 * every repeat starts from fresh strings (JSON.parse), so nothing is shared with an earlier repeat.
 */
import { randomBytes } from 'node:crypto';
import { readWireTask } from '../../src/core/protocol/wireTask';
import { TaskStore } from '../../src/core/tasks/TaskStore';
import { row, spread, type BenchRow } from '../lib/rows';
import { median } from '../lib/stats';

const SERVERS = 10;
const PER_SERVER = 1000;
const REPEATS = 5;
const MB = 1024 * 1024;

function runGc(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run node with --expose-gc (bench/run.mjs does)');
  gc();
  gc();
}

/** One server's tasks as the JSON text of a tasks/list reply would carry them. */
function wireText(server: number): string {
  const base = Date.now() - 60_000;
  const tasks = Array.from({ length: PER_SERVER }, (_, i) => ({
    taskId: randomBytes(16).toString('hex'),
    status: 'working',
    statusMessage: `step ${(i % 600) + 1}/600`,
    createdAt: new Date(base + server * 1000 + i).toISOString(),
    lastUpdatedAt: new Date(base + 30_000 + i).toISOString(),
    ttl: 600_000,
    pollInterval: 1000,
  }));
  return JSON.stringify(tasks);
}

async function heapOf(build: () => unknown): Promise<{ bytes: number; keep: unknown }> {
  runGc();
  const before = process.memoryUsage().heapUsed;
  const keep = build();
  await new Promise((r) => setImmediate(r)); // the stores fire their change events on a microtask
  runGc();
  const after = process.memoryUsage().heapUsed;
  return { bytes: after - before, keep };
}

export async function storeMemoryBench(progress: (m: string) => void = () => {}): Promise<BenchRow[]> {
  const ours: number[] = [];
  const base: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    progress(`store memory repeat ${r + 1}/${REPEATS}`);
    const texts = Array.from({ length: SERVERS }, (_, s) => wireText(s));
    const measureOurs = () =>
      heapOf(() => {
        const stores = texts.map((text, s) => {
          const store = new TaskStore(`server-${s}`);
          store.onDidChange(() => undefined); // a view listens, as in the editor
          for (const raw of JSON.parse(text) as unknown[]) {
            const { task } = readWireTask(raw);
            if (task) store.apply(task);
          }
          return store;
        });
        return stores;
      });
    const measureBase = () =>
      heapOf(() => texts.map((text) => new Map((JSON.parse(text) as { taskId: string }[]).map((t) => [t.taskId, t]))));
    // Alternate the order so neither always runs on a heap the other just grew.
    if (r % 2 === 0) {
      const o = await measureOurs();
      ours.push(o.bytes / MB);
      o.keep = undefined;
      const b = await measureBase();
      base.push(b.bytes / MB);
    } else {
      const b = await measureBase();
      base.push(b.bytes / MB);
      b.keep = undefined;
      const o = await measureOurs();
      ours.push(o.bytes / MB);
    }
  }
  return [
    row({
      id: '4.memory',
      item: 4,
      figure: 'Memory held by the stores, 10,000 tasks (10 servers)',
      ours: median(ours),
      baseline: median(base),
      baselineLabel: 'same tasks as parsed wire objects in a Map',
      unit: 'MB',
      target: '< 50 MB',
      check: (o) => o < 50,
      note: `heapUsed after GC; ${spread(ours, 2)}.`,
    }),
  ];
}
