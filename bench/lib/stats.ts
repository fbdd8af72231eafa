/** Small statistics helpers: every figure the suite reports is a median over repeats. */

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest-rank on the sorted sample (p in 0..100).
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (values: readonly number[]): number => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

export const max = (values: readonly number[]): number => (values.length ? Math.max(...values) : NaN);

export interface LatencySummary {
  readonly p50: number;
  readonly p95: number;
  readonly n: number;
}

const summarise = (samples: readonly number[]): LatencySummary => ({ p50: percentile(samples, 50), p95: percentile(samples, 95), n: samples.length });

/**
 * Latency runs of ours and of a baseline, `repeats` each, alternating which goes first (so neither always
 * follows the other's GC or I/O); each run's samples summarised.
 */
export async function alternatingLatencyRuns(
  repeats: number,
  runOurs: () => Promise<number[]>,
  runBase: () => Promise<number[]>,
  onRepeat: (repeat: number) => void,
): Promise<{ ours: LatencySummary[]; base: LatencySummary[] }> {
  const ours: LatencySummary[] = [];
  const base: LatencySummary[] = [];
  for (let r = 0; r < repeats; r++) {
    onRepeat(r);
    if (r % 2 === 0) {
      ours.push(summarise(await runOurs()));
      base.push(summarise(await runBase()));
    } else {
      base.push(summarise(await runBase()));
      ours.push(summarise(await runOurs()));
    }
  }
  return { ours, base };
}
