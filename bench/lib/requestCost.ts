/**
 * What one `tasks/list` page costs the client, by the fetch under the SDK's Streamable HTTP transport
 * (issue 13, item 2: at 10,000 idle tasks the extension host's busy share is requests × this cost).
 * Each variant is its own SDK client (own session) on the same fixture server; rounds rotate the order so
 * every variant sees the same machine noise. CPU is this process's (user + system) per request: the
 * server is another process. "bare" is the floor: the same POST over node:http with the SSE answer parsed
 * by hand, no SDK (no web streams, no SSE parser, no schema check).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ResultSchema } from '@modelcontextprotocol/sdk/types.js';
import * as http from 'node:http';
import { median } from './stats';

export interface FetchVariant {
  readonly name: string;
  readonly fetch: typeof fetch;
}

export interface VariantCost {
  /** Medians over rounds. */
  cpuUsPerRequest: number;
  wallMsPerRequest: number;
  rounds: number[];
}

interface Lister {
  name: string;
  list(cursor: string | undefined): Promise<string | undefined>;
  close(): Promise<void>;
}

async function sdkLister(url: string, variant: FetchVariant): Promise<Lister & { sessionId?: string; protocolVersion?: string }> {
  const transport = new StreamableHTTPClientTransport(new URL(url), { fetch: variant.fetch });
  const client = new Client({ name: `request-cost-${variant.name}`, version: '0.0.0' }, { capabilities: {} });
  await client.connect(transport);
  return {
    name: variant.name,
    get sessionId() {
      return transport.sessionId;
    },
    get protocolVersion() {
      return transport.protocolVersion;
    },
    // As the core asks (protocol/tasks2025.ts): the loose result schema, the tasks read by hand.
    list: async (cursor) => (await client.request({ method: 'tasks/list', params: cursor !== undefined ? { cursor } : {} }, ResultSchema)).nextCursor as string | undefined,
    close: async () => {
      await transport.terminateSession().catch(() => undefined);
      await client.close();
    },
  };
}

/**
 * `http.request` (patched in VS Code's extension host, like fetch, for proxies) or `http.ClientRequest`
 * (what http.request calls, not patched), for the host to show what the patch costs.
 */
function bareLister(url: string, sessionId: string, protocolVersion: string, via: 'http.request' | 'http.ClientRequest'): Lister {
  const agent = new http.Agent({ keepAlive: true });
  const target = new URL(url);
  const make = via === 'http.request' ? http.request : (options: http.RequestOptions, cb: (res: http.IncomingMessage) => void) => new http.ClientRequest(options, cb);
  let id = 0;
  return {
    name: via === 'http.request' ? 'bare node:http, no SDK' : 'bare http.ClientRequest, no SDK',
    list: (cursor) =>
      new Promise((resolve, reject) => {
        const body = JSON.stringify({ jsonrpc: '2.0', id: ++id, method: 'tasks/list', params: cursor ? { cursor } : {} });
        const req = make(
          {
            agent,
            method: 'POST',
            hostname: target.hostname,
            port: target.port,
            path: target.pathname,
            headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': sessionId, 'mcp-protocol-version': protocolVersion },
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (text += c));
            res.on('end', () => {
              try {
                const data = text.startsWith('{') ? text : text.split('\n').find((l) => l.startsWith('data: '))!.slice(6);
                resolve((JSON.parse(data) as { result: { nextCursor?: string } }).result.nextCursor);
              } catch (err) {
                reject(err);
              }
            });
          },
        );
        req.on('error', reject);
        req.end(body);
      }),
    close: async () => agent.destroy(),
  };
}

/** `pages` sequential tasks/list pages per variant per round, following the cursor (wrapping at the end). */
export async function measureRequestCost(
  url: string,
  variants: readonly FetchVariant[],
  pages: number,
  rounds: number,
  bare: ReadonlyArray<'http.request' | 'http.ClientRequest'> = ['http.request'],
): Promise<Record<string, VariantCost>> {
  const listers: Lister[] = [];
  try {
    for (const v of variants) listers.push(await sdkLister(url, v));
    const first = listers[0] as Lister & { sessionId?: string; protocolVersion?: string };
    for (const via of bare) if (first.sessionId && first.protocolVersion) listers.push(bareLister(url, first.sessionId, first.protocolVersion, via));
    const cursors = new Map<Lister, string | undefined>();
    const run = async (l: Lister, n: number) => {
      for (let i = 0; i < n; i++) cursors.set(l, await l.list(cursors.get(l)));
    };
    for (const l of listers) await run(l, Math.min(50, pages)); // warm-up
    const cpu = new Map<Lister, number[]>(listers.map((l) => [l, []]));
    const wall = new Map<Lister, number[]>(listers.map((l) => [l, []]));
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < listers.length; k++) {
        const l = listers[(k + r) % listers.length]!;
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        await run(l, pages);
        const t1 = performance.now();
        const c = process.cpuUsage(c0);
        cpu.get(l)!.push((c.user + c.system) / pages);
        wall.get(l)!.push((t1 - t0) / pages);
      }
    }
    return Object.fromEntries(listers.map((l) => [l.name, { cpuUsPerRequest: median(cpu.get(l)!), wallMsPerRequest: median(wall.get(l)!), rounds: cpu.get(l)! }]));
  } finally {
    await Promise.all(listers.map((l) => l.close().catch(() => undefined)));
  }
}
