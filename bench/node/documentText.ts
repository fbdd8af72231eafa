/**
 * Item 6, Node side: producing the result document's text (the core's outcomeToMarkdown, which the VS Code
 * document provider returns) for a 10 MB tool result shaped like the fixture's large-result (one text content
 * of numbered lines). Baseline: JSON.stringify of the same result, i.e. the least a host must do to show it.
 * The full editor path (provider + VS Code opening the document) is measured in the extension host.
 */
import { outcomeToMarkdown } from '../../src/core/format/taskText';
import type { TaskOutcome } from '../../src/core/model/TaskModel';
import { row, spread, type BenchRow } from '../lib/rows';
import { median } from '../lib/stats';

const SIZE_MB = 10;
const REPEATS = 7;
const LINE = 'The quick brown fox jumps over the lazy dog. 0123456789 ';

export function largeText(sizeMb: number): string {
  const size = Math.round(sizeMb * 1024 * 1024);
  const lines: string[] = [];
  let length = 0;
  for (let n = 1; length < size; n++) {
    const line = `${String(n).padStart(7, '0')} ${LINE}\n`;
    lines.push(line);
    length += line.length;
  }
  return lines.join('').slice(0, size);
}

export async function documentTextBench(progress: (m: string) => void = () => {}): Promise<BenchRow[]> {
  progress(`building a ${SIZE_MB} MB result`);
  const outcome: TaskOutcome = { kind: 'result', result: { content: [{ type: 'text', text: largeText(SIZE_MB) }] }, receivedAt: Date.now() };
  const ours: number[] = [];
  const base: number[] = [];
  let length = 0;
  for (let r = 0; r < REPEATS; r++) {
    let t0 = performance.now();
    length = outcomeToMarkdown(outcome).length;
    ours.push(performance.now() - t0);
    t0 = performance.now();
    JSON.stringify(outcome.result);
    base.push(performance.now() - t0);
  }
  return [
    row({
      id: '6.text',
      item: 6,
      figure: `Result document text for a ${SIZE_MB} MB result (outcomeToMarkdown)`,
      ours: median(ours),
      baseline: median(base),
      baselineLabel: 'JSON.stringify(result)',
      unit: 'ms',
      target: '< 500 ms',
      check: (o) => o < 500,
      note: `document ${(length / 1024 / 1024).toFixed(1)} MB (text shown up to 256 KB, raw JSON left out above 256 KB; the whole text opens as plain text on request); ${spread(ours)}.`,
    }),
  ];
}
