/**
 * Item 2 with notifications, over stdio: how long after the server changes a task's status the core's store
 * fires its change event. Baseline: a raw SDK client on an identical fixture process receiving the same
 * notification (the transport and the server's own delay, without the core). Each repeat runs slow-jobs
 * (TASKS × STEPS status changes, STEP_MS apart) through one client, then the other; the order alternates.
 * Latency = local receive time − the task's lastUpdatedAt (set by the server when it changed the status;
 * same machine, same clock).
 */
import { isTerminal } from '../../src/core/model/TaskModel';
import { demoStdioConfig } from '../../test/support/serverConfigs';
import { waitFor } from '../../test/support/waiting';
import { createCore, nowMs, rawCreateTask, rawStdio } from '../lib/harness';
import { row, spread, type BenchRow } from '../lib/rows';
import { alternatingLatencyRuns, median } from '../lib/stats';

const REPEATS = 5;
const TASKS = 10;
const STEPS = 10;
const STEP_MS = 150;

class Latency {
  private readonly prev = new Map<string, string>();
  readonly samples: number[] = [];
  observe(taskId: string, lastUpdatedAt: string | undefined, at: number): void {
    if (lastUpdatedAt === undefined) return;
    const p = this.prev.get(taskId);
    if (p === lastUpdatedAt) return;
    this.prev.set(taskId, lastUpdatedAt);
    if (p !== undefined) this.samples.push(at - Date.parse(lastUpdatedAt));
  }
}

export async function freshnessBench(progress: (m: string) => void = () => {}): Promise<BenchRow[]> {
  const core = createCore();
  const raw = await rawStdio('fresh-raw');
  try {
    const server = await core.connect(demoStdioConfig('fresh'), 20_000);
    let current: Latency | undefined;
    server.store.onDidChange((change) => {
      const at = nowMs();
      for (const t of change.changed) current?.observe(t.taskId, t.lastUpdatedAt, at);
    });
    const rawStatus = new Map<string, string>();
    raw.onStatus = (task, at) => {
      rawStatus.set(task.taskId, task.status);
      current?.observe(task.taskId, task.lastUpdatedAt, at);
    };
    const args = { steps: STEPS, stepMs: STEP_MS, label: 'fresh' };

    const runOurs = async (): Promise<number[]> => {
      const lat = (current = new Latency());
      const created = await Promise.all(Array.from({ length: TASKS }, () => server.callToolAsTask('slow-job', args)));
      await waitFor('core tasks done', () => created.every((t) => isTerminal(server.store.get(t.taskId)?.status ?? 'working')), 20_000);
      current = undefined;
      return lat.samples;
    };
    const runRaw = async (): Promise<number[]> => {
      const lat = (current = new Latency());
      const created = await Promise.all(Array.from({ length: TASKS }, () => rawCreateTask(raw, 'slow-job', args)));
      for (const t of created) lat.observe(t.taskId, t.lastUpdatedAt, nowMs());
      await waitFor('raw tasks done', () => created.every((t) => rawStatus.get(t.taskId) === 'completed'), 20_000);
      current = undefined;
      return lat.samples;
    };

    const { ours, base } = await alternatingLatencyRuns(REPEATS, runOurs, runRaw, (r) => progress(`freshness (notifications, stdio) repeat ${r + 1}/${REPEATS}`));
    const p50 = median(ours.map((x) => x.p50));
    const p95 = median(ours.map((x) => x.p95));
    const samples = `${median(ours.map((x) => x.n))} changes per run`;
    return [
      row({
        id: '2.a',
        item: 2,
        figure: 'Freshness, notifications (stdio): p50',
        ours: p50,
        baseline: median(base.map((x) => x.p50)),
        baselineLabel: 'raw SDK client, same notification',
        unit: 'ms',
        target: '< 20 ms',
        check: (o) => o < 20,
        note: `Server lastUpdatedAt → store change event; ${TASKS} slow-jobs × ${STEPS} steps of ${STEP_MS} ms, ${samples}; ${spread(ours.map((x) => x.p50))}.` +
          (core.log.problems ? ` Core logged ${core.log.problems} warnings/errors.` : ''),
      }),
      row({
        id: '2.b',
        item: 2,
        figure: 'Freshness, notifications (stdio): p95',
        ours: p95,
        baseline: median(base.map((x) => x.p95)),
        baselineLabel: 'raw SDK client, same notification',
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
