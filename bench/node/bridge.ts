/**
 * Issue 12: VS Code's own tool calls through the bridge (its MCP client → loopback Streamable HTTP → our
 * connection → the server) against VS Code calling the server directly (its own stdio connection to its own
 * demo-server process). The client is an SDK 1.x Client on both sides, as VS Code's is.
 *   - 12.task: a task tool call as VS Code makes it — task-augmented tools/call, tasks/get until completed,
 *     tasks/result — for slow-job with 2 steps of 50 ms (the server suggests polling every 50 ms);
 *   - 12.call: a plain tools/call (quick-echo): the added latency of the extra hop, with nothing to hide it;
 *   - 12.split: where 12.call's ms go — the bridge's own (HTTP request in → reply written, less the server's
 *     round trip on our connection), the server's round trip, and the rest (the client and HTTP);
 *   - 12.memory: heap of the extension per offered server with one VS Code session open (10 servers).
 * Calls alternate one by one (bridge, direct, …) so both see the same machine noise.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ResultSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { McpBridge } from '../../src/core/bridge/McpBridge';
import { demoStdioConfig } from '../../test/support/serverConfigs';
import { createCore, rawStdio } from '../lib/harness';
import { row, spread, type BenchRow } from '../lib/rows';
import { median } from '../lib/stats';

const REPEATS = 5;
const TASK_CALLS = 20;
const PLAIN_CALLS = 200;
const SERVERS = 10;
const SESSIONS_PER_SERVER = 5;
const POLL_ARGS = ['--poll-interval', '50'];

/** VS Code's way of running a task tool: create, poll at the suggested interval, fetch the result. */
async function taskRoundTrip(client: Client): Promise<void> {
  const created = (await client.request({ method: 'tools/call', params: { name: 'slow-job', arguments: { steps: 2, stepMs: 50 }, task: {} } }, ResultSchema)) as { task: { taskId: string; pollInterval?: number } };
  const { taskId, pollInterval = 50 } = created.task;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, pollInterval));
    const task = (await client.request({ method: 'tasks/get', params: { taskId } }, ResultSchema)) as { status: string };
    if (task.status !== 'working') break;
  }
  await client.request({ method: 'tasks/result', params: { taskId } }, ResultSchema);
}

async function alternating(calls: number, bridged: () => Promise<unknown>, direct: () => Promise<unknown>): Promise<{ ours: number[]; raw: number[] }> {
  const ours: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i < Math.min(10, calls); i++) await Promise.all([bridged(), direct()]);
  for (let r = 0; r < REPEATS; r++) {
    const o: number[] = [];
    const d: number[] = [];
    for (let i = 0; i < calls; i++) {
      for (const side of i % 2 === 0 ? ['o', 'd'] : ['d', 'o']) {
        const t0 = performance.now();
        await (side === 'o' ? bridged() : direct());
        (side === 'o' ? o : d).push(performance.now() - t0);
      }
    }
    ours.push(median(o));
    raw.push(median(d));
  }
  return { ours, raw };
}

function bridgeClient(url: string, authorization: string): Promise<Client> {
  const client = new Client({ name: 'bench-vscode', version: '0' }, { capabilities: { elicitation: { form: {} }, tasks: { list: {}, cancel: {} } } });
  return client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: authorization } } })).then(() => client);
}

interface Split {
  /** Per POST: the bridge's HTTP request event to its response's finish. */
  readonly handled: number[];
  /** Per forwarded request: written to the server on our connection → its reply read. */
  readonly upstream: number[];
  stop(): void;
}

/**
 * Times the bridge from outside while it runs: its HTTP server's request events (the endpoint's server is
 * private: reached by name, bench only) and our connection's transport, wrapped in place (forwarded ids are strings).
 */
function splitTimes(bridge: McpBridge, transport: { send: (m: JSONRPCMessage, o?: unknown) => Promise<void>; onmessage?: ((m: JSONRPCMessage, e?: unknown) => void) | undefined }): Split {
  const server = (bridge as unknown as { endpoint: { server: http.Server } }).endpoint.server;
  const handled: number[] = [];
  const upstream: number[] = [];
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const t0 = performance.now();
    if (req.method === 'POST') res.once('finish', () => handled.push(performance.now() - t0));
  };
  server.prependListener('request', onRequest);
  const sentAt = new Map<unknown, number>();
  const { send, onmessage } = transport;
  transport.send = (m, o) => {
    const id = (m as { id?: unknown }).id;
    if (typeof id === 'string') sentAt.set(id, performance.now());
    return send.call(transport, m, o);
  };
  transport.onmessage = (m, e) => {
    const id = (m as { id?: unknown; method?: unknown }).method === undefined ? (m as { id?: unknown }).id : undefined;
    const t0 = sentAt.get(id);
    if (t0 !== undefined) {
      sentAt.delete(id);
      upstream.push(performance.now() - t0);
    }
    onmessage?.call(transport, m, e);
  };
  return {
    handled,
    upstream,
    stop: () => {
      server.off('request', onRequest);
      transport.send = send;
      transport.onmessage = onmessage;
    },
  };
}

/** A bare fetch POST to a trivial loopback server: what any HTTP MCP connection pays per request on this machine. */
async function bareFetchMs(): Promise<number[]> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"jsonrpc":"2.0","id":1,"result":{}}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const post = () => fetch(url, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } }).then((r) => r.text());
  const runs: number[] = [];
  try {
    for (let i = 0; i < 20; i++) await post();
    for (let r = 0; r < REPEATS; r++) {
      const t: number[] = [];
      for (let i = 0; i < PLAIN_CALLS; i++) {
        const t0 = performance.now();
        await post();
        t.push(performance.now() - t0);
      }
      runs.push(median(t));
    }
  } finally {
    server.closeAllConnections();
    server.close();
  }
  return runs;
}

function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

export async function bridgeBench(progress: (m: string) => void): Promise<BenchRow[]> {
  const core = createCore({ minPollIntervalMs: 50 });
  const bridge = new McpBridge(core.registry, { log: core.log, settings: () => core.settings, cancelAbandoned: () => false });
  const direct = await rawStdio('direct', POLL_ARGS);
  const rows: BenchRow[] = [];
  try {
    const server = await core.connect(demoStdioConfig('bridged', POLL_ARGS));
    const def = (await bridge.resolve('bridged'))!;
    const bridged = await bridgeClient(def.url, def.headers.Authorization!);
    progress('bridge: task tool calls');
    const task = await alternating(TASK_CALLS, () => taskRoundTrip(bridged), () => taskRoundTrip(direct.client));
    progress('bridge: plain tool calls');
    const echo = (c: Client) => c.request({ method: 'tools/call', params: { name: 'quick-echo', arguments: { text: 'hi' } } }, ResultSchema);
    const split = splitTimes(bridge, server.bridgeSeam.upstreamClient()!.transport as Parameters<typeof splitTimes>[1]);
    const plain = await alternating(PLAIN_CALLS, () => echo(bridged), () => echo(direct.client));
    split.stop();
    const own = median(split.handled) - median(split.upstream);
    await bridged.close();
    const fetchRuns = await bareFetchMs();
    rows.push(
      row({
        id: '12.task', item: 12, figure: 'task tool call as VS Code makes it (tools/call + tasks/get polls + tasks/result), through the bridge',
        ours: median(task.ours), baseline: median(task.raw), baselineLabel: 'VS Code → server directly (stdio)', unit: 'ms', target: '≤ 1.1× direct',
        check: (_o, r) => r !== undefined && r <= 1.1, note: `median per call; ${spread(task.ours, 1)} (bridge), ${spread(task.raw, 1)} (direct); ${REPEATS}×${TASK_CALLS} alternating calls, slow-job 2×50 ms, poll 50 ms.`,
      }),
      row({
        id: '12.call', item: 12, figure: 'plain tools/call (quick-echo) through the bridge: the extra hop alone',
        ours: median(plain.ours), baseline: median(plain.raw), baselineLabel: 'VS Code → server directly (stdio)', unit: 'ms', target: 'informational',
        note: `adds ${(median(plain.ours) - median(plain.raw)).toFixed(2)} ms per request (loopback HTTP with the SDK's HTTP client, the bridge's session framing, one more JSON hop); ${REPEATS}×${PLAIN_CALLS} alternating calls.`,
      }),
      row({
        id: '12.split', item: 12, figure: "12.call's extra ms: the bridge's own share (HTTP request in → reply written, less the server's round trip)",
        ours: own, unit: 'ms', target: 'informational',
        note: `per request, medians of ${split.handled.length} POSTs: bridge ${median(split.handled).toFixed(2)} ms of which the server's round trip on our connection ${median(split.upstream).toFixed(2)} ms; client and HTTP the rest, ${(median(plain.ours) - median(split.handled)).toFixed(2)} ms (direct over stdio, all in: ${median(plain.raw).toFixed(2)} ms).`,
      }),
      row({
        id: '12.fetch', item: 12, figure: "context: a bare fetch POST to a trivial loopback HTTP server (Node's fetch, as the SDK client uses)",
        ours: median(fetchRuns), unit: 'ms', target: 'informational', note: `${spread(fetchRuns, 2)}; most of 12.call's extra hop is this, paid by any HTTP MCP server.`,
      }),
    );
    progress('bridge: memory per offered server');
    const configs = Array.from({ length: SERVERS }, (_, i) => demoStdioConfig(`mem${i}`, POLL_ARGS));
    for (const config of configs) await core.connect(config);
    const before = heapMb();
    const clients: Client[] = [];
    for (const config of configs) {
      const d = (await bridge.resolve(config.id))!;
      for (let i = 0; i < SESSIONS_PER_SERVER; i++) clients.push(await bridgeClient(d.url, d.headers.Authorization!));
    }
    const after = heapMb();
    await Promise.all(clients.map((c) => c.close()));
    rows.push(
      row({
        id: '12.memory', item: 12, figure: 'heap per offered server and VS Code session (route, session, session transport)', ours: ((after - before) * 1024) / (SERVERS * SESSIONS_PER_SERVER), unit: 'KiB', target: 'informational',
        note: `${SERVERS} servers × ${SESSIONS_PER_SERVER} sessions, after gc; includes the in-process test client's side of each session (an upper bound for the extension's share).`,
      }),
    );
  } finally {
    await direct.close();
    await bridge.dispose();
    await core.dispose();
  }
  return rows;
}
