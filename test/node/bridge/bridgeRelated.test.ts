// What the server sends about a request still running reaches VS Code on that request's own stream, before
// its reply: progress (a tool that sends N progress notifications right before its result must deliver all
// N, in order, before the result) and, for a 2026-07-28 server, the questions it asks in the result
// (input_required) to answer the request. Such a request is answered as an SSE stream; one with nothing of
// the kind keeps the plain JSON reply. Over real HTTP, with the official SDK client (as VS Code's client
// would see it) and with bare fetch (no standalone GET stream open: nothing can go elsewhere), against real
// servers: a 2025-11-25 SDK server over stdio (`fixtures/progressTaskServer`) and the 2026 fixture without the
// tasks extension over stdio and Streamable HTTP.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { McpBridge } from '../../../src/core/bridge/McpBridge';
import type { ServerConfig } from '../../../src/core/config/ServerConfig';
import { connectBridgeClient } from '../../support/bridgeClient';
import { GEN2026, type HttpFixture } from '../../support/generations';
import { RegistryHarness } from '../../support/registryHarness';
import { httpConfig } from '../../support/serverConfigs';

type Wire = Record<string, unknown> & { id?: unknown; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown> };

const BURST = 50;
/** Calls VS Code may have running at once (parallel tool calls of one chat turn). */
const CONCURRENT = 16;

interface Case {
  readonly label: string;
  readonly start: () => Promise<{ config: ServerConfig; http?: HttpFixture }>;
  /** A plain tool that sends `n` progress notifications right before its result. */
  readonly tool: string;
  readonly args: (n: number) => Record<string, unknown>;
  /** The server asks in results (2026-07-28: the `ask-name` prompt needs input). */
  readonly asksInResults: boolean;
}

const EXTRAS_NO_TASKS = ['--extras', '--no-tasks'];

const CASES: Case[] = [
  {
    label: '2025-11-25, server over stdio',
    start: async () => ({ config: { id: 'server', name: 'server', source: 'test', fromWorkspace: false, type: 'stdio', command: process.execPath, args: [path.join(__dirname, 'fixtures', 'progressTaskServer.js')], env: {} } }),
    tool: 'progress-burst',
    // Progress with a message of some size (as a real tool's may be): what goes ahead takes its time.
    args: (n) => ({ count: n, pad: 8192 }),
    asksInResults: false,
  },
  {
    label: '2026-07-28, server over stdio',
    start: async () => ({ config: GEN2026.stdioConfig('server', EXTRAS_NO_TASKS) }),
    tool: 'chatty',
    args: (n) => ({ lines: n, pauseMs: 0 }),
    asksInResults: true,
  },
  {
    label: '2026-07-28, server over Streamable HTTP',
    start: async () => {
      const http = await GEN2026.startHttp(EXTRAS_NO_TASKS);
      return { config: httpConfig('server', http.url), http };
    },
    tool: 'chatty',
    args: (n) => ({ lines: n, pauseMs: 0 }),
    asksInResults: true,
  },
];

/** A bare Streamable HTTP session on the bridge, as VS Code's McpHTTPHandle posts (no GET stream is opened). */
class RawSession {
  private sessionId?: string;
  private nextId = 1;

  constructor(
    private readonly url: string,
    private readonly authorization: string,
  ) {}

  post(message: Wire): Promise<Response> {
    return fetch(this.url, {
      method: 'POST',
      headers: {
        Authorization: this.authorization,
        'Content-Type': 'application/json',
        Accept: 'text/event-stream, application/json',
        ...(this.sessionId ? { 'Mcp-Session-Id': this.sessionId } : {}),
      },
      body: JSON.stringify(message),
    });
  }

  async initialize(): Promise<void> {
    const res = await this.post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: { elicitation: { form: {} } }, clientInfo: { name: 'raw', version: '0' } } });
    assert.equal(res.status, 200);
    this.sessionId = res.headers.get('mcp-session-id') ?? undefined;
    await res.text();
    assert.equal((await this.post({ jsonrpc: '2.0', method: 'notifications/initialized' })).status, 202);
  }

  request(method: string, params: Record<string, unknown>): { id: number; response: Promise<Response> } {
    const id = this.nextId++;
    return { id, response: this.post({ jsonrpc: '2.0', id, method, params }) };
  }
}

/** The JSON-RPC messages of an SSE body, as they arrive. */
async function* sseMessages(res: Response): AsyncGenerator<Wire> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice('data: '.length))
        .join('\n');
      if (data) yield JSON.parse(data) as Wire;
    }
  }
}

async function allMessages(res: Response): Promise<Wire[]> {
  const all: Wire[] = [];
  for await (const m of sseMessages(res)) all.push(m);
  return all;
}

const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

for (const c of CASES) {
  describe(`bridge: what belongs to a running request goes ahead of its reply, on its stream (${c.label})`, function () {
    this.timeout(30_000);
    let h: RegistryHarness;
    let bridge: McpBridge;
    let http: HttpFixture | undefined;
    const clients: Client[] = [];

    before(async () => {
      const started = await c.start();
      http = started.http;
      h = new RegistryHarness();
      await h.connect(started.config);
      bridge = new McpBridge(h.registry, { log: h.log, settings: () => h.settings, cancelAbandoned: () => false });
    });

    after(async () => {
      await Promise.all(clients.splice(0).map((client) => client.close().catch(() => undefined)));
      await bridge?.dispose();
      await h?.dispose();
      await http?.stop();
    });

    async function raw(): Promise<RawSession> {
      const def = (await bridge.resolve('server'))!;
      const session = new RawSession(def.url, def.headers.Authorization!);
      await session.initialize();
      return session;
    }

    it(`the SDK client gets all ${BURST} progress notifications of a call, in order, before its result (${CONCURRENT} calls at once, 3 rounds)`, async () => {
      const { client } = await connectBridgeClient(bridge, 'server');
      clients.push(client);
      const call = async (): Promise<number[]> => {
        const progress: number[] = [];
        const reply = await client.callTool({ name: c.tool, arguments: c.args(BURST) }, undefined, { onprogress: (p) => void progress.push(p.progress) });
        assert.equal(reply.isError, undefined, JSON.stringify(reply));
        // Read when the result is in: progress that comes later is progress the client already dropped.
        return [...progress];
      };
      for (let round = 0; round < 3; round++) {
        const got = await Promise.all(Array.from({ length: CONCURRENT }, call));
        assert.deepEqual(got, Array.from({ length: CONCURRENT }, () => oneToN(BURST)), `round ${round}`);
      }
    });

    it('a request with a progress token is answered as an SSE stream: the progress in order, then the reply; one without keeps a JSON reply', async () => {
      const session = await raw();
      const { id, response } = session.request('tools/call', { name: c.tool, arguments: c.args(BURST), _meta: { progressToken: 'vs-token' } });
      const res = await response;
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
      const messages = (await allMessages(res)).filter((m) => m.method !== 'notifications/message');
      const progress = messages.slice(0, -1);
      assert.deepEqual(progress.map((m) => [m.method, m.params?.progressToken, m.params?.progress]), oneToN(BURST).map((i) => ['notifications/progress', 'vs-token', i]));
      const last = messages.at(-1)!;
      assert.equal(last.id, id, 'the reply ends the stream');
      assert.ok(last.result, 'a result');

      const plain = session.request('tools/call', { name: c.tool, arguments: c.args(BURST) });
      const plainRes = await plain.response;
      assert.match(plainRes.headers.get('content-type') ?? '', /^application\/json/);
      const body = (await plainRes.json()) as Wire;
      assert.equal(body.id, plain.id);
      assert.ok(body.result);
    });

    if (c.asksInResults) it('a question the server asks to answer a request goes to VS Code on that request\'s stream; the answer completes it there', async () => {
      const session = await raw();
      const { id, response } = session.request('prompts/get', { name: 'ask-name' });
      const res = await response;
      assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
      const stream = sseMessages(res);
      const question = (await stream.next()).value as Wire;
      assert.equal(question.method, 'elicitation/create');
      assert.equal(question.params?.message, 'Your name?');
      const answered = await session.post({ jsonrpc: '2.0', id: question.id, result: { action: 'accept', content: { name: 'Ada' } } });
      assert.equal(answered.status, 202);
      const reply = (await stream.next()).value as Wire;
      assert.equal(reply.id, id);
      assert.deepEqual((reply.result as { messages: Array<{ content: unknown }> }).messages[0]?.content, { type: 'text', text: 'Hello, Ada.' });
      assert.equal((await stream.next()).done, true, 'the stream ends with the reply');
    });
  });
}
