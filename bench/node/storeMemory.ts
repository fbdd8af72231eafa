/**
 * Item 4, memory: heap held by the core's TaskStores for 10,000 tasks (10 servers × 1,000), each task as the
 * fixture sends it (32-hex id, working, "step i/600", ISO times, ttl, pollInterval), read through the core's
 * own wire reader and applied to the store. Baseline: the same 10,000 wire tasks as the SDK would hand them
 * to a host (parsed JSON objects) kept in one Map per server. Both generations: 2026-07-28 tasks as the 2026
 * fixture's tasks/get replies carry them, read through the 2026 reader. Heap after a full GC, before and after;
 * every repeat starts from fresh strings (JSON.parse), so nothing is shared with an earlier repeat.
 */
import { randomBytes } from 'node:crypto';
import { readWireTask } from '../../src/core/protocol/wireTask';
import { readWireTask2026 } from '../../src/core/protocol/wireTask2026';
import { TaskStore } from '../../src/core/tasks/TaskStore';
import { row, spread, type BenchRow } from '../lib/rows';
import { median } from '../lib/stats';

const SERVERS = 10;
const PER_SERVER = 1000;
/**
 * About one build in four reads 0.15-0.4 MB high or low (code and feedback compiled or dropped while it runs, on
 * either side): with 5 repeats a loaded machine made that the median once (3.18 MB in a range of 2.94-3.23).
 */
const REPEATS = 9;
const MB = 1024 * 1024;

function runGc(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run node with --expose-gc (bench/run.mjs does)');
  gc();
  gc();
}

type Generation = '2025' | '2026';

/**
 * One server's tasks as the JSON text of its replies would carry them: a 2025-11-25 tasks/list page, or the
 * 2026-07-28 fixture's tasks/get replies (`ttlMs`, `pollIntervalMs`, the reply's `resultType`).
 */
function wireText(server: number, gen: Generation): string {
  const base = Date.now() - 60_000;
  const tasks = Array.from({ length: PER_SERVER }, (_, i) => {
    const common = {
      taskId: randomBytes(16).toString('hex'),
      status: 'working',
      statusMessage: `step ${(i % 600) + 1}/600`,
      createdAt: new Date(base + server * 1000 + i).toISOString(),
      lastUpdatedAt: new Date(base + 30_000 + i).toISOString(),
    };
    return gen === '2025' ? { ...common, ttl: 600_000, pollInterval: 1000 } : { resultType: 'complete', ...common, ttlMs: 600_000, pollIntervalMs: 1000 };
  });
  // Flat from the start: V8 builds a long JSON.stringify result out of parts and joins them on the first read,
  // so the first measured build of each repeat (JSON.parse) joined all ten texts and counted the 2.1 MB copy
  // less the parts it freed: about 0.2-0.3 MB either way, in whichever of the two sides ran first.
  return Buffer.from(JSON.stringify(tasks)).toString('utf8');
}

/**
 * What a measured build holds, alive exactly from its build to its second heap reading. Nothing of one
 * measurement may outlive it: a suspended async function keeps stale values of earlier awaits in its saved
 * registers, so a build (or a repeat's wire texts, 2 MB) held by the measuring loop would be freed during
 * the next measurement and subtracted from it (that made 2 of 5 baseline repeats read 0.5 MB instead of 2.6).
 */
const measured: { build?: unknown } = {};

/** Bytes the heap keeps for what `build` returns, after a full GC. */
async function heapOf(build: () => unknown): Promise<number> {
  runGc();
  const before = process.memoryUsage().heapUsed;
  measured.build = build();
  await new Promise((r) => setImmediate(r)); // the stores fire their change events on a microtask
  runGc();
  const after = process.memoryUsage().heapUsed;
  measured.build = undefined;
  return after - before;
}

function buildStores(texts: readonly string[], gen: Generation): TaskStore[] {
  const read = gen === '2025' ? readWireTask : readWireTask2026;
  return texts.map((text, s) => {
    const store = new TaskStore(`server-${s}`);
    store.onDidChange(() => undefined); // a view listens, as in the editor
    for (const raw of JSON.parse(text) as unknown[]) {
      const { task } = read(raw);
      if (task) store.apply(task);
    }
    return store;
  });
}

function buildMaps(texts: readonly string[]): Map<string, unknown>[] {
  return texts.map((text) => new Map((JSON.parse(text) as { taskId: string }[]).map((t) => [t.taskId, t])));
}

/**
 * One repeat, ours and the baseline on the same fresh wire texts, in the order given (alternated so
 * neither always runs on a heap the other just grew). The texts live in this call's frame only, so they
 * are gone before the next repeat's first heap reading.
 */
async function oneRepeat(oursFirst: boolean, gen: Generation): Promise<[ours: number, base: number]> {
  const texts = Array.from({ length: SERVERS }, (_, s) => wireText(s, gen));
  if (oursFirst) {
    const o = await heapOf(() => buildStores(texts, gen));
    return [o, await heapOf(() => buildMaps(texts))];
  }
  const b = await heapOf(() => buildMaps(texts));
  return [await heapOf(() => buildStores(texts, gen)), b];
}

export async function storeMemoryBench(progress: (m: string) => void = () => {}): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const gen of ['2025', '2026'] as const) {
    const ours: number[] = [];
    const base: number[] = [];
    for (let r = 0; r < REPEATS; r++) {
      progress(`store memory ${gen} repeat ${r + 1}/${REPEATS}`);
      const [o, b] = await oneRepeat(r % 2 === 0, gen);
      ours.push(o / MB);
      base.push(b / MB);
    }
    rows.push(
      row({
        id: gen === '2025' ? '4.memory' : '4.memory.2026',
        item: 4,
        figure: `Memory held by the stores, 10,000 tasks (10 servers)${gen === '2026' ? ', 2026-07-28 tasks' : ''}`,
        ours: median(ours),
        baseline: median(base),
        baselineLabel: 'same tasks as parsed wire objects in a Map',
        unit: 'MB',
        // Issue 10 set < 50 MB; issue 13 item 5 asks ≤ 1.2× the wire objects as well (item 7: both generations).
        target: '< 50 MB and ≤ 1.2× wire objects',
        check: (o, ratio) => o < 50 && ratio !== undefined && ratio <= 1.2,
        note: `heapUsed after GC; ${spread(ours, 2)}; baseline ${spread(base, 2)}.`,
      }),
    );
  }
  return rows;
}
