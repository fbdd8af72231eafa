/**
 * The Node-side benches (items 1, 2, 3, store memory of 4, document text of 6), run in one process against
 * real fixture server processes. Writes the rows as JSON to the file named by --out (else stdout); progress
 * goes to stderr. --only a,b runs a subset (poll, freshness, overhead, memory, document, idle, gen2026, bundle,
 * bridge; idle.2025 / idle.2026 for one generation of idle; gen2026.<part> for
 * one part of gen2026: freshness, poll, overhead, connect).
 * Needs --expose-gc (the memory figures): bench/run.mjs passes it.
 */
import * as fs from 'node:fs';
import type { BenchRow } from '../lib/rows';
import { bridgeBench } from './bridge';
import { bundleBench } from './bundle';
import { installWireCounter } from '../lib/wire';
import { documentTextBench } from './documentText';
import { freshnessBench } from './freshness';
import { gen2026Bench } from './gen2026';
import { idleCostBench } from './idleCost';
import { overheadBench } from './overhead';
import { pollLoadBench } from './pollLoad';
import { requestCostBench } from './requestCost';
import { storeMemoryBench } from './storeMemory';

const benches: Record<string, (progress: (m: string) => void) => Promise<BenchRow[]>> = {
  poll: (p) => pollLoadBench(undefined, p),
  freshness: (p) => freshnessBench(p),
  overhead: (p) => overheadBench(p),
  memory: (p) => storeMemoryBench(p),
  document: (p) => documentTextBench(p),
  idle: (p) => idleCostBench(p, ['2025', '2026']),
  'idle.2025': (p) => idleCostBench(p, ['2025']),
  'idle.2026': (p) => idleCostBench(p, ['2026']),
  // The cost of one request by fetch (issue 13, item 2); not part of the full run.
  'idle.request': (p) => requestCostBench(p),
  gen2026: (p) => gen2026Bench(p),
  // One part of gen2026 alone (to repeat a figure quickly); not part of the full run.
  'gen2026.freshness': (p) => gen2026Bench(p, ['freshness']),
  'gen2026.poll': (p) => gen2026Bench(p, ['poll']),
  'gen2026.overhead': (p) => gen2026Bench(p, ['overhead']),
  'gen2026.connect': (p) => gen2026Bench(p, ['connect']),
  bundle: (p) => bundleBench(p),
  bridge: (p) => bridgeBench(p),
};

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Node warnings by phase (e.g. the SDK HTTP transport's MaxListenersExceededWarning under load), printed once each. */
const warnings: Record<string, number> = {};
let phase = 'start';

async function main(): Promise<void> {
  installWireCounter();
  process.removeAllListeners('warning');
  process.on('warning', (w) => {
    const key = `${w.name} during "${phase}"`;
    if (!warnings[key]) console.error(`[bench:node] ${w.name}: ${w.message} (during "${phase}"; further ones counted)`);
    warnings[key] = (warnings[key] ?? 0) + 1;
  });
  const only = arg('--only')?.split(',');
  const out = arg('--out');
  const rows: BenchRow[] = [];
  const failures: string[] = [];
  for (const [name, bench] of Object.entries(benches)) {
    if (only ? !only.includes(name) : name.includes('.')) continue;
    const t0 = Date.now();
    const progress = (m: string) => {
      phase = m;
      console.error(`[bench:node +${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);
    };
    progress(`${name}…`);
    try {
      rows.push(...(await bench(progress)));
    } catch (err) {
      // A bench made of parts may have measured some before one failed: keep those rows.
      rows.push(...(((err as { rows?: BenchRow[] }).rows) ?? []));
      failures.push(`${name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      console.error(`[bench:node] ${name} failed:`, err);
    }
    progress(`${name} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  const json = JSON.stringify({ rows, failures, warnings }, null, 2);
  if (out) fs.writeFileSync(out, json);
  else process.stdout.write(json + '\n');
  // Fixture processes and timers are all stopped by the benches; exit anyway so a stray handle cannot hang the run.
  process.exit(0);
}

void main();
