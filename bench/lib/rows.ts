/**
 * One line of the benchmark table. Every figure is a median over repeats and comes with a baseline measured
 * in the same run; `ratio` is ours / baseline. `pass` is undefined for figures the issue gives no target for.
 */
export interface BenchRow {
  /** Stable key, e.g. "1.poll.naive". Rows are printed in key order within their section. */
  readonly id: string;
  /** Issue item (1–6). */
  readonly item: number;
  readonly figure: string;
  readonly ours: number;
  readonly baseline?: number;
  readonly baselineLabel?: string;
  readonly unit: string;
  readonly ratio?: number;
  readonly target: string;
  readonly pass?: boolean;
  /** Short context: spread over repeats, breakdown by method, why it failed. */
  readonly note?: string;
}

export interface RowInput {
  id: string;
  item: number;
  figure: string;
  ours: number;
  baseline?: number;
  baselineLabel?: string;
  unit: string;
  target: string;
  /** Decides pass/fail from the values; omit for informational rows. */
  check?: (ours: number, ratio: number | undefined) => boolean;
  note?: string;
}

export function row(input: RowInput): BenchRow {
  const ratio = input.baseline !== undefined && input.baseline !== 0 && Number.isFinite(input.baseline) ? input.ours / input.baseline : undefined;
  const pass = input.check ? Number.isFinite(input.ours) && input.check(input.ours, ratio) : undefined;
  const { check: _check, ...rest } = input;
  return { ...rest, ...(ratio !== undefined ? { ratio } : {}), ...(pass !== undefined ? { pass } : {}) };
}

/** "median (min–max over n)" for notes. */
export function spread(all: readonly number[], digits = 1): string {
  const values = all.filter((v) => Number.isFinite(v));
  if (values.length === 0) return 'no samples';
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const missing = all.length - values.length;
  return `range ${lo.toFixed(digits)}–${hi.toFixed(digits)} over ${values.length} runs${missing ? ` (${missing} without samples)` : ''}`;
}
