/**
 * The reliability suite's side of the shared test support (test/support): the registry harness with this
 * suite's settings, the fault server's configs and request counts, temp dirs, and a guard that fails a
 * test on any unhandled promise rejection. The names the suite's tests use are re-exported from here.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TaskServerApi } from '../../../src/core';
import type { CoreSettings, ElicitationHandler } from '../../../src/core/model/ports';
import type { ServerRegistryOptions } from '../../../src/core/servers/ServerRegistry';
import { isTerminal, type TrackedTask } from '../../../src/core/model/TaskModel';
import { readStats } from '../../fixtures/fault-server/spawn';
import type { MemoryStorage } from '../../support/memoryStorage';
import { RecordingLog } from '../../support/recordingLog';
import { RegistryHarness } from '../../support/registryHarness';
import { sleep, waitForTask, within } from '../../support/waiting';

export { MemoryStorage } from '../../support/memoryStorage';
export type { LogLine } from '../../support/recordingLog';
export { faultStdioConfig as stdioConfig, httpConfig } from '../../support/serverConfigs';
export { rejection, sleep, waitConnected as connected, waitFailed as failedState, waitFor, within } from '../../support/waiting';

/** Fast enough for tests, strict enough to catch busy loops. */
export const TEST_SETTINGS: CoreSettings = {
  minPollIntervalMs: 100,
  maxPollIntervalMs: 2_000,
  defaultTaskTtlMs: 60_000,
  requestTimeoutMs: 2_000,
};

export const FAST_RECONNECT = { initialMs: 100, maxMs: 500, jitter: 0 } as const;

/** A fresh temp dir per use; removed by `cleanupTempDirs()`. */
const tempDirs: string[] = [];
export function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mcp-tasks-rel-'));
  tempDirs.push(dir);
  return dir;
}
export function cleanupTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * Server-side request counts: pass `args` to a fault server, then `count(/tasks\/(get|list)/)` sums the
 * requests it received for the matching methods. (Counting trace lines in the client's log would not do:
 * the core rightly throttles what a server prints.)
 */
export function requestCounter(): { args: string[]; count: (methods: RegExp) => number } {
  const file = path.join(tempDir(), 'stats.json');
  return {
    args: ['--stats-file', file],
    count: (methods) => Object.entries(readStats(file)).reduce((n, [m, c]) => (methods.test(m) ? n + c : n), 0),
  };
}

export interface HarnessOptions {
  readonly settings?: Partial<CoreSettings>;
  readonly elicit?: ElicitationHandler;
  readonly registry?: Partial<Pick<ServerRegistryOptions, 'inventory' | 'maxListedTasks' | 'reconnect'>>;
  readonly storage?: MemoryStorage;
}

/** The shared registry harness with this suite's settings, fast reconnects, and elicitations declined. */
export class Harness extends RegistryHarness {
  constructor(options: HarnessOptions = {}) {
    super({
      reconnect: FAST_RECONNECT,
      ...options.registry,
      settings: { ...TEST_SETTINGS, ...options.settings },
      elicit: options.elicit ?? (async () => ({ action: 'decline' })),
      log: new RecordingLog({ echo: !!process.env.RELIABILITY_LOG }),
      storage: options.storage,
    });
  }
}

let nextId = 0;
export function uniqueId(prefix: string): string {
  return `${prefix}-${++nextId}`;
}

export function taskState(server: TaskServerApi, taskId: string, pred: (t: TrackedTask) => boolean, what: string, ms = 10_000): Promise<TrackedTask> {
  return waitForTask(server, taskId, what, pred, ms);
}

export const terminal = (t: TrackedTask): boolean => isTerminal(t.status);

/**
 * A healthy server keeps working while another misbehaves: a task is started, polled to completion and
 * its result fetched, all within `ms`.
 */
export async function assertResponsive(server: TaskServerApi, ms = 5_000): Promise<void> {
  await within(ms, `healthy server ${server.id} round trip`, (async () => {
    const task = await server.callToolAsTask('job', { ms: 50, text: 'still here' });
    const outcome = await server.getTaskResult(task.taskId);
    assert.equal(outcome.kind, 'result', JSON.stringify(outcome));
    await server.getTaskStatus(task.taskId);
  })());
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

function takeUnhandled(): string[] {
  return unhandled.splice(0).map((r) => (r instanceof Error ? (r.stack ?? r.message) : String(r)));
}

/**
 * Installs, for the enclosing describe, a process 'unhandledRejection' listener. Tests written with `rit`
 * fail when any rejection went unhandled while they ran; the describe's `after` fails on any seen later.
 */
export function guardUnhandledRejections(): void {
  before(() => {
    takeUnhandled();
    process.on('unhandledRejection', onUnhandled);
  });
  after(async () => {
    await sleep(20);
    process.off('unhandledRejection', onUnhandled);
    const reasons = takeUnhandled();
    assert.equal(reasons.length, 0, `unhandled promise rejection(s) after the tests:\n${reasons.join('\n---\n')}`);
  });
}

/** `it`, then a check that no promise rejection went unhandled meanwhile (see guardUnhandledRejections). */
export function rit(title: string, fn: (this: Mocha.Context) => Promise<void>): Mocha.Test {
  return it(title, async function () {
    await fn.call(this);
    // Rejections are reported once the microtask queue drains: give late ones a moment.
    await sleep(20);
    const reasons = takeUnhandled();
    assert.equal(reasons.length, 0, `unhandled promise rejection(s):\n${reasons.join('\n---\n')}`);
  });
}
