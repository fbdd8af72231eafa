/**
 * Round trips of the core against a raw client, call by call (item 3 and 3.2026): calls alternate one by one
 * (core, raw, raw, core…) so both see the same machine noise, and each repeat's ratio is paired in time.
 *
 * Over stdio a fixture server serves one client, so each side talks to its own server process, and the pair of
 * processes biases the ratio: raw client against raw client (nothing of the core), each on its own fixture,
 * gave whole-run ratios from 0.73 to 1.30, and repeats of one pair down to 0.6 for seconds at a time. What a
 * pair keeps is mostly where the scheduler put each server relative to the bench process (a reply from the
 * other core costs a cross-core wake-up); the same raw-vs-raw runs with both servers pinned to one CPU stayed
 * within 0.96–1.10 per repeat (in the bench itself, unpinned, 3.stdio.get repeats ran 0.67–1.65). So
 * `freshStdioPairs` pins both servers to the same CPU and starts a new pair of processes for every repeat, in
 * alternating order, so what is left of a pair's bias (JIT, heap, start order) varies between repeats and the
 * median over repeats does not keep one pair's luck.
 */
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import { median } from './stats';

const WARMUP = 20;

export interface Pair {
  ours: () => Promise<unknown>;
  raw: () => Promise<unknown>;
}

export interface PairedRuns {
  ours: number[];
  raw: number[];
}

/** One repeat: `calls` calls of each side, alternating, after a warm-up; the median call of each side. */
export async function alternateOnce(pair: Pair, calls: number, warmup = WARMUP): Promise<{ ours: number; raw: number }> {
  for (let i = 0; i < warmup; i++) {
    await pair.ours();
    await pair.raw();
  }
  const o: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < calls; i++) {
    // Alternate which goes first as well, so neither always follows the other's GC or I/O.
    for (const side of i % 2 === 0 ? ['o', 'b'] : ['b', 'o']) {
      const t0 = performance.now();
      await (side === 'o' ? pair.ours() : pair.raw());
      (side === 'o' ? o : b).push(performance.now() - t0);
    }
  }
  return { ours: median(o), raw: median(b) };
}

/** Per repeat: the median call of each side on one pair of clients (HTTP: both sessions of one server); one warm-up. */
export async function alternate(pair: Pair, repeats: number, calls: number): Promise<PairedRuns> {
  const runs: PairedRuns = { ours: [], raw: [] };
  for (let r = 0; r < repeats; r++) {
    const m = await alternateOnce(pair, calls, r === 0 ? WARMUP : 0);
    runs.ours.push(m.ours);
    runs.raw.push(m.raw);
  }
  return runs;
}

/** Each repeat's ours/raw: the load of the shared machine swings between repeats, both sides with it. */
export function pairedRatios(runs: PairedRuns): number[] {
  return runs.ours.map((o, i) => o / runs.raw[i]!);
}

/** The CPU both stdio servers of a pair run on (the last one), or undefined where taskset is missing or refused. */
export const SERVER_CPU: number | undefined = (() => {
  const cpu = os.cpus().length - 1;
  if (process.platform !== 'linux' || cpu < 0) return undefined;
  const probe = spawnSync('taskset', ['-c', String(cpu), 'true'], { stdio: 'ignore' });
  return probe.status === 0 ? cpu : undefined;
})();

/** The same stdio launch, on SERVER_CPU (unchanged where it cannot be pinned). */
export function onServerCpu<T extends { command: string; args: readonly string[] }>(config: T): T {
  if (SERVER_CPU === undefined) return config;
  return { ...config, command: 'taskset', args: ['-c', String(SERVER_CPU), config.command, ...config.args] };
}

function placementNote(): string {
  return SERVER_CPU === undefined ? 'servers not pinned (no taskset): expect the ratio to swing between runs' : `both servers pinned to CPU ${SERVER_CPU}`;
}

/** How a row's stdio figures were taken (`freshStdioPairs`), for its note. */
export function freshPairsMethod(repeats: number, calls: number): string {
  return `${repeats} repeats, each a new pair of server processes (started in alternating order; ${placementNote()}) and ${calls} alternating calls`;
}

/** How a row's HTTP figures were taken (`alternate`), for its note. */
export function onePairMethod(repeats: number, calls: number): string {
  return `${repeats}×${calls} alternating calls, both clients sessions of one server process`;
}

/** One side of a stdio pair: started, set up (tasks made and completed), with the calls to time. */
export interface OpenSide<K extends string> {
  readonly calls: Record<K, () => Promise<unknown>>;
  close(): Promise<void>;
}

/**
 * `repeats` times: a new pair of server processes (the core's and the raw client's, started in alternating
 * order), then for each kind of call one alternating repeat of `calls` calls; both sides closed before the next.
 */
export async function freshStdioPairs<K extends string>(
  kinds: readonly K[],
  repeats: number,
  calls: number,
  open: { ours: (repeat: number) => Promise<OpenSide<K>>; raw: (repeat: number) => Promise<OpenSide<K>> },
  onRepeat: (repeat: number) => void = () => {},
): Promise<Record<K, PairedRuns>> {
  const out = Object.fromEntries(kinds.map((k) => [k, { ours: [], raw: [] }])) as unknown as Record<K, PairedRuns>;
  for (let r = 0; r < repeats; r++) {
    onRepeat(r);
    let ours: OpenSide<K> | undefined;
    let raw: OpenSide<K> | undefined;
    try {
      if (r % 2 === 0) {
        ours = await open.ours(r);
        raw = await open.raw(r);
      } else {
        raw = await open.raw(r);
        ours = await open.ours(r);
      }
      for (const k of kinds) {
        const m = await alternateOnce({ ours: ours.calls[k], raw: raw.calls[k] }, calls);
        out[k].ours.push(m.ours);
        out[k].raw.push(m.raw);
      }
    } finally {
      await raw?.close();
      await ours?.close();
    }
  }
  return out;
}
