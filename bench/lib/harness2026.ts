/**
 * The 2026-07-28 baselines: the raw official client (`@modelcontextprotocol/client` 2.x `Client` +
 * `@modelcontextprotocol/ext-tasks` session), driven the way its docs and test/node/gen2026 drive it, with the
 * minimal raw dispatch ext-tasks asks its host for. Also a client-side request counter for the core's 2026
 * HTTP traffic (the v2 transport posts through the global fetch). Nothing in the core or the fixture changes.
 */
import { DEMO_SERVER_2026_MAIN } from '../../test/fixtures/demo-server-2026/spawn';
import { nowMs } from './harness';

type Json = Record<string, unknown>;
/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = any;

const CLIENT_INFO = { name: 'bench-raw-2026', version: '0.0.0' };
const CAPS = { elicitation: { form: {} } };
const TASKS_EXT = 'io.modelcontextprotocol/tasks';

/** A transport wrapper: ext-tasks' rawDispatch (ids of our own, replies taken off the stream), pushes timestamped. */
class Channel {
  onmessage?: (m: Json, extra?: unknown) => void;
  onclose?: () => void;
  onerror?: (e: Error) => void;
  onTask?: (task: Json, receivedAt: number) => void;
  private readonly pending = new Map<string, (m: Json) => void>();
  private n = 0;
  constructor(private readonly inner: Any) {}
  start(): Promise<void> {
    this.inner.onmessage = (m: Json, extra?: unknown) => {
      if (m.method === 'notifications/tasks' && m.params) this.onTask?.(m.params as Json, nowMs());
      const id = m.id as string;
      if (typeof id === 'string' && !('method' in m) && this.pending.has(id)) {
        const p = this.pending.get(id)!;
        this.pending.delete(id);
        p(m);
        return;
      }
      this.onmessage?.(m, extra);
    };
    this.inner.onclose = () => this.onclose?.();
    this.inner.onerror = (e: Error) => this.onerror?.(e);
    return this.inner.start();
  }
  send(m: unknown, o?: unknown): Promise<void> {
    return this.inner.send(m, o);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }
  setProtocolVersion(v: string): void {
    this.inner.setProtocolVersion?.(v);
  }
  readonly dispatch = async (request: { method: string; params?: Json }): Promise<Json> => {
    const id = `raw-${++this.n}`;
    const reply = new Promise<Json>((resolve) => this.pending.set(id, resolve));
    const name = request.method === 'tools/call' ? request.params?.name : request.params?.taskId;
    await this.inner.send({ jsonrpc: '2.0', id, ...request }, { headers: { 'mcp-method': request.method, ...(typeof name === 'string' ? { 'mcp-name': name } : {}) } });
    const m = await reply;
    return 'error' in m ? { kind: 'error', error: m.error } : { kind: 'result', result: m.result };
  };
}

export interface RawClient2026 {
  readonly client: Any;
  readonly session: Any;
  readonly channel: Channel;
  /** Task-augmented tools/call; the execution is detached (nothing drives it), its task id returned with the reply's lastUpdatedAt. */
  createTask(tool: string, args: Json): Promise<{ taskId: string; lastUpdatedAt?: string }>;
  /** tasks/get through ext-tasks (`session.task(id).snapshot()`). */
  getTask(taskId: string): Promise<Json>;
  close(): Promise<void>;
}

/**
 * Spawns the 2026 fixture (stdio) or talks to `url` (HTTP, posting with `fetch`: default the global fetch) with
 * the raw official client; or runs over a `transport` made elsewhere (the core's own stdio transport).
 */
export async function rawClient2026(target: { stdioArgs: string[] } | { url: string; fetch?: typeof globalThis.fetch } | { transport: unknown }): Promise<RawClient2026> {
  const [{ Client, StreamableHTTPClientTransport }, { StdioClientTransport }, { createTaskSessionFromClient }] = (await Promise.all([
    import('@modelcontextprotocol/client'),
    import('@modelcontextprotocol/client/stdio'),
    import('@modelcontextprotocol/ext-tasks/client'),
  ])) as Any[];
  const inner =
    'transport' in target
      ? target.transport
      : 'url' in target
      ? new StreamableHTTPClientTransport(new URL(target.url), target.fetch ? { fetch: target.fetch } : undefined)
      : new StdioClientTransport({ command: process.execPath, args: [DEMO_SERVER_2026_MAIN, ...target.stdioArgs], stderr: 'ignore' });
  const channel = new Channel(inner);
  const client = new Client(CLIENT_INFO, { capabilities: { ...CAPS, extensions: { [TASKS_EXT]: {} } }, versionNegotiation: { mode: 'auto' } });
  await client.connect(channel);
  const session = createTaskSessionFromClient(client, {
    endpointId: `bench-${Math.random()}`,
    rawDispatch: channel.dispatch,
    v2RequestFraming: { protocolVersion: '2026-07-28', clientInfo: CLIENT_INFO, clientCapabilities: CAPS },
    onError: () => undefined,
  });
  return {
    client,
    session,
    channel,
    async createTask(tool, args) {
      const ex = await session.callTool(tool, args);
      if (ex.kind !== 'task') throw new Error(`${tool} did not become a task`);
      await ex.detach();
      return { taskId: ex.handle.taskId };
    },
    async getTask(taskId) {
      return (await session.task(taskId).snapshot()).raw as Json;
    },
    async close() {
      await session.close?.().catch(() => undefined);
      await client.close().catch(() => undefined);
    },
  };
}

/** How long the raw official client takes to spawn the 2026 fixture and connect (server/discover). */
export async function rawConnectMs(stdioArgs: string[] = []): Promise<number> {
  await import('@modelcontextprotocol/client');
  const t0 = performance.now();
  const raw = await rawClient2026({ stdioArgs });
  const ms = performance.now() - t0;
  await raw.close();
  return ms;
}

/** Counts JSON-RPC requests posted through the global fetch (the v2 HTTP transport's), by method. */
const fetchCounts = new Map<string, number>();
/** Returns the uninstaller (the other HTTP benches run without the wrapper). */
export function installFetchCounter(): () => void {
  const real = globalThis.fetch;
  globalThis.fetch = (async (input: Any, init?: Any) => {
    const body = init?.body;
    if (typeof body === 'string' && body.includes('"method"')) {
      try {
        for (const m of ([] as Json[]).concat(JSON.parse(body) as Json)) {
          if (typeof m.method === 'string' && 'id' in m) fetchCounts.set(m.method, (fetchCounts.get(m.method) ?? 0) + 1);
        }
      } catch {
        /* not JSON-RPC */
      }
    }
    return real(input, init);
  }) as typeof fetch;
  return () => void (globalThis.fetch = real);
}
export function fetchCounted(): Record<string, number> {
  return Object.fromEntries(fetchCounts);
}
