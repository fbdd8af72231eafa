/**
 * What the Node-side benches share: the core (a ServerRegistry as the editor builds it, with in-memory
 * storage), raw SDK clients for baselines, and the fixture server over stdio and HTTP.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { CallToolResultSchema, CreateTaskResultSchema, TaskStatusNotificationSchema, type Task } from '@modelcontextprotocol/sdk/types.js';
import type { TaskServerApi } from '../../src/core';
import type { HttpServerConfig, StdioServerConfig } from '../../src/core/config/ServerConfig';
import { DEFAULT_CORE_SETTINGS, type CoreSettings, type KeyValueStorage, type LogSink } from '../../src/core/model/ports';
import { ServerRegistry } from '../../src/core/servers/ServerRegistry';
import { DEMO_SERVER_MAIN, startHttpDemoServer, type HttpDemoServer } from '../../test/fixtures/demo-server/spawn';
import { waitUntil } from './stats';
import { labelTransport } from './wire';

export { DEMO_SERVER_MAIN, startHttpDemoServer, type HttpDemoServer };

const verbose = !!process.env.VERBOSE;

export function memoryStorage(): KeyValueStorage {
  const data = new Map<string, unknown>();
  return {
    get: <T>(key: string) => data.get(key) as T | undefined,
    set: async (key: string, value: unknown) => void data.set(key, value),
  };
}

/** Counts warnings and errors (a benchmark that quietly hits errors measures nothing useful). */
export class CountingLog implements LogSink {
  warnings = 0;
  errors = 0;
  readonly last: string[] = [];
  /** Like the editor's log at its default level: trace and debug lines are not kept, so not built. */
  isEnabled(level: string): boolean {
    return verbose || (level !== 'trace' && level !== 'debug');
  }
  log(level: string, serverId: string | undefined, message: string): void {
    if (level === 'warn') this.warnings++;
    if (level === 'error') this.errors++;
    if (level === 'warn' || level === 'error') {
      this.last.push(`${serverId ?? '-'}: ${message}`);
      if (this.last.length > 20) this.last.shift();
    }
    if (verbose && level !== 'trace' && level !== 'debug') console.error(`[core ${level}] ${serverId ?? '-'}: ${message}`);
  }
}

export interface CoreHandle {
  readonly registry: ServerRegistry;
  readonly log: CountingLog;
  dispose(): Promise<void>;
}

export function createCore(settings: Partial<CoreSettings> = {}): CoreHandle {
  const log = new CountingLog();
  const effective: CoreSettings = { ...DEFAULT_CORE_SETTINGS, ...settings };
  const registry = new ServerRegistry({
    storage: memoryStorage(),
    log,
    elicit: async () => ({ action: 'decline' }),
    settings: () => effective,
  });
  return { registry, log, dispose: () => registry.dispose() };
}

export function stdioConfig(id: string, args: string[] = []): StdioServerConfig {
  return { id, name: id, source: 'bench', fromWorkspace: false, type: 'stdio', command: process.execPath, args: [DEMO_SERVER_MAIN, ...args], env: {} };
}

export function httpConfig(id: string, url: string): HttpServerConfig {
  return { id, name: id, source: 'bench', fromWorkspace: false, type: 'http', url, headers: {} };
}

export async function connectedServer(core: CoreHandle, id: string, timeoutMs = 20_000): Promise<TaskServerApi> {
  return waitUntil(`core connected to ${id}`, () => {
    const s = core.registry.get(id);
    return s?.state.kind === 'connected' ? s : undefined;
  }, timeoutMs);
}

/** A plain SDK client, as a host without our core would use it. */
export interface RawClient {
  readonly client: Client;
  readonly transport: Transport;
  /** Every status notification, with the local receive time (ms since epoch, fractional). */
  onStatus?: (task: Task, receivedAt: number) => void;
  close(): Promise<void>;
}

async function connectRaw(transport: Transport, label: string): Promise<RawClient> {
  labelTransport(transport, label);
  const client = new Client({ name: `bench-${label}`, version: '0.0.0' }, { capabilities: {} });
  const raw: RawClient = {
    client,
    transport,
    close: async () => {
      if (transport instanceof StreamableHTTPClientTransport) await transport.terminateSession().catch(() => undefined);
      await client.close().catch(() => undefined);
    },
  };
  client.setNotificationHandler(TaskStatusNotificationSchema, (n) => raw.onStatus?.(n.params, nowMs()));
  await client.connect(transport);
  return raw;
}

export function rawStdio(label: string, args: string[] = []): Promise<RawClient> {
  return connectRaw(new StdioClientTransport({ command: process.execPath, args: [DEMO_SERVER_MAIN, ...args], stderr: 'ignore' }), label);
}

export function rawHttp(label: string, url: string): Promise<RawClient> {
  return connectRaw(new StreamableHTTPClientTransport(new URL(url)), label);
}

/** Task-augmented tools/call through the raw SDK. */
export async function rawCreateTask(raw: RawClient, tool: string, args: Record<string, unknown>, ttl = 600_000): Promise<Task> {
  const created = await raw.client.request({ method: 'tools/call', params: { name: tool, arguments: args } }, CreateTaskResultSchema, { task: { ttl } });
  return created.task;
}

/** make-tasks: `count` slow-job tasks created server-side; returns their ids. */
export async function makeTasks(raw: RawClient, count: number, stepMs: number, steps: number): Promise<string[]> {
  const r = await raw.client.request(
    { method: 'tools/call', params: { name: 'make-tasks', arguments: { count, stepMs, steps } } },
    CallToolResultSchema,
    { timeout: 120_000 },
  );
  return ((r.structuredContent as { taskIds?: string[] } | undefined)?.taskIds ?? []).slice();
}

/** Wall clock with sub-millisecond resolution, comparable with the server's ISO timestamps (same machine). */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function eachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
