/**
 * Shared pieces of the reliability suite: a registry over real fault-server processes, a log that keeps
 * every line, bounded waits, and a guard that fails a test on any unhandled promise rejection.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ConnectionState, TaskServerApi } from '../../../src/core';
import type { HttpServerConfig, ServerConfig, StdioServerConfig } from '../../../src/core/config';
import type { CoreSettings, ElicitationHandler, KeyValueStorage, LogLevel, LogSink } from '../../../src/core/model/ports';
import { ServerRegistry, type ServerRegistryOptions } from '../../../src/core/servers/ServerRegistry';
import type { TaskServer } from '../../../src/core/servers/TaskServer';
import { isTerminal, type TrackedTask } from '../../../src/core/model/TaskModel';
import { faultServerCommand, readStats } from '../../fixtures/fault-server/spawn';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface LogLine {
  readonly level: LogLevel;
  readonly serverId: string | undefined;
  readonly message: string;
}

/** Keeps every line the core logs, for assertions (and for searching for secrets). */
export class CapturingLog implements LogSink {
  readonly lines: LogLine[] = [];

  log(level: LogLevel, serverId: string | undefined, message: string): void {
    this.lines.push({ level, serverId, message });
    if (process.env.RELIABILITY_LOG) console.log(`    [log ${level}] [${serverId ?? '-'}] ${message.slice(0, 300)}`);
  }

  of(serverId: string): LogLine[] {
    return this.lines.filter((l) => l.serverId === serverId);
  }

  /** How many lines of this server match. */
  count(serverId: string, pattern: RegExp): number {
    return this.of(serverId).filter((l) => pattern.test(l.message)).length;
  }

  text(): string {
    return this.lines.map((l) => `${l.level} [${l.serverId ?? '-'}] ${l.message}`).join('\n');
  }
}

export class MemoryStorage implements KeyValueStorage {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  async set(key: string, value: unknown): Promise<void> {
    this.values.set(key, value);
  }
}

/** Fast enough for tests, strict enough to catch busy loops. */
export const TEST_SETTINGS: CoreSettings = {
  minPollIntervalMs: 100,
  maxPollIntervalMs: 2_000,
  defaultTaskTtlMs: 60_000,
  requestTimeoutMs: 2_000,
};

export const FAST_RECONNECT = { initialMs: 100, maxMs: 500, jitter: 0 } as const;

let nextId = 0;

export function stdioConfig(id: string, args: string[] = [], extra: Partial<StdioServerConfig> = {}): StdioServerConfig {
  const { command, args: argv } = faultServerCommand(args);
  return { id, name: id, source: 'test', fromWorkspace: false, type: 'stdio', command, args: argv, env: {}, ...extra };
}

export function httpConfig(id: string, url: string, headers: Record<string, string> = {}): HttpServerConfig {
  return { id, name: id, source: 'test', fromWorkspace: false, type: 'http', url, headers };
}

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

/** One registry, its log and storage; `dispose()` stops every server it started. */
export class Harness {
  readonly log = new CapturingLog();
  readonly storage: MemoryStorage;
  readonly registry: ServerRegistry;
  settings: CoreSettings;
  /** Every state each server went through, in order. */
  readonly states = new Map<string, ConnectionState[]>();

  constructor(options: HarnessOptions = {}) {
    this.settings = { ...TEST_SETTINGS, ...options.settings };
    this.storage = options.storage ?? new MemoryStorage();
    this.registry = new ServerRegistry({
      storage: this.storage,
      log: this.log,
      elicit: options.elicit ?? (async () => ({ action: 'decline' })),
      settings: () => this.settings,
      reconnect: FAST_RECONNECT,
      ...options.registry,
    });
    this.registry.onDidChangeServers(() => this.watchStates());
  }

  start(...configs: ServerConfig[]): TaskServer[] {
    this.registry.setConfigs(configs);
    return configs.map((c) => this.server(c.id));
  }

  server(id: string): TaskServer {
    const server = this.registry.get(id);
    assert.ok(server, `no server ${id}`);
    return server;
  }

  async dispose(): Promise<void> {
    await within(10_000, 'registry.dispose()', this.registry.dispose());
  }

  private watchStates(): void {
    for (const server of this.registry.servers()) {
      if (this.states.has(server.id)) continue;
      const seen: ConnectionState[] = [server.state];
      this.states.set(server.id, seen);
      server.onDidChangeState((s) => seen.push(s));
    }
  }
}

export function uniqueId(prefix: string): string {
  return `${prefix}-${++nextId}`;
}

/** Polls `probe` until it returns something truthy; fails with `what` after `ms`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(20);
  }
}

/** Fails when `promise` has not settled within `ms`: how "stays responsive" is measured. */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The rejection of `promise`, failing if it resolves. */
export async function rejection(promise: Promise<unknown>, what: string): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
  assert.fail(`${what} should have failed`);
}

export async function connected(server: TaskServerApi, ms = 10_000): Promise<void> {
  await waitFor(`${server.id} to connect (state now ${JSON.stringify(server.state)})`, () => server.state.kind === 'connected', ms);
}

export async function failedState(server: TaskServerApi, ms = 10_000): Promise<Extract<ConnectionState, { kind: 'failed' }>> {
  return waitFor(`${server.id} to fail (state now ${JSON.stringify(server.state)})`, () => (server.state.kind === 'failed' ? server.state : undefined), ms);
}

export async function taskState(server: TaskServerApi, taskId: string, pred: (t: TrackedTask) => boolean, what: string, ms = 10_000): Promise<TrackedTask> {
  return waitFor(
    `${server.id} task ${taskId} ${what} (now ${JSON.stringify(server.store.get(taskId))})`,
    () => {
      const t = server.store.get(taskId);
      return t && pred(t) ? t : undefined;
    },
    ms,
  );
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
