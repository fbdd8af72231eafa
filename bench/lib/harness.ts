/**
 * What the Node-side benches share: the core (the tests' registry harness, set up as the editor sets up
 * the registry), raw SDK clients for baselines, and the fixture server over stdio and HTTP.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { CallToolResultSchema, CreateTaskResultSchema, TaskStatusNotificationSchema, type Task } from '@modelcontextprotocol/sdk/types.js';
import { DEFAULT_CORE_SETTINGS, type CoreSettings } from '../../src/core/model/ports';
import { DEMO_SERVER_MAIN, startHttpDemoServer, type HttpDemoServer } from '../../test/fixtures/demo-server/spawn';
import { RecordingLog } from '../../test/support/recordingLog';
import { RegistryHarness } from '../../test/support/registryHarness';
import { labelTransport } from './wire';

export { DEMO_SERVER_MAIN, startHttpDemoServer, type HttpDemoServer };
/** At most `limit` of `fn` in flight (bench/run-host.mjs uses it too). */
export { forEachLimit as eachLimit } from '../../src/core/util/mapLimit';

const verbose = !!process.env.VERBOSE;

/** The core as the editor builds it (default settings and backoff, trace and debug lines not built), in memory. */
export function createCore(settings: Partial<CoreSettings> = {}, logLimit = 20): RegistryHarness {
  return new RegistryHarness({
    settings: { ...DEFAULT_CORE_SETTINGS, ...settings },
    reconnect: undefined,
    elicit: async () => ({ action: 'decline' }),
    // Counts every warning and error (a benchmark that quietly hits errors measures nothing useful).
    log: new RecordingLog({ levels: verbose ? undefined : ['info', 'warn', 'error'], limit: logLimit, echo: verbose }),
  });
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

/** A raw SDK client over a transport made elsewhere (the core's own, for a like-for-like baseline). */
export function rawOver(transport: Transport, label: string): Promise<RawClient> {
  return connectRaw(transport, label);
}

/** `fetch`: what the transport posts with (default: the global fetch). */
export function rawHttp(label: string, url: string, fetch?: typeof globalThis.fetch): Promise<RawClient> {
  return connectRaw(new StreamableHTTPClientTransport(new URL(url), fetch ? { fetch } : undefined), label);
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
