// The fetch a loopback server gets (node:http, no proxy resolution) answers as the global fetch does, over
// real fixture servers; any other server keeps the global fetch (VS Code's proxy support).
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema, ResultSchema, TaskStatusNotificationSchema, type Task } from '@modelcontextprotocol/sdk/types.js';
import { fetchFor, isHttpConnectionLost } from '../../../src/core/connection/httpTransports';
import { isSessionRefused } from '../../../src/core/connection/httpSessions';
import { isLoopbackHttp, loopbackFetch } from '../../../src/core/connection/loopbackFetch';
import { errorMessage } from '../../../src/core/util/errors';
import { startHttpDemoServer, type HttpDemoServer } from '../../fixtures/demo-server/spawn';
import { startHttpFaultServer, type HttpFaultServer } from '../../fixtures/fault-server/spawn';
import { waitFor } from '../../support/waiting';

type Fetch = typeof fetch;
const FETCHES: ReadonlyArray<readonly [string, Fetch]> = [
  ['global fetch', (input, init) => fetch(input, init)],
  ['loopback fetch', loopbackFetch],
];

/** Counts calls to the global fetch (passing them on), for the tests of which fetch a URL gets. */
function countGlobalFetch(): { calls: string[]; restore: () => void } {
  const real = globalThis.fetch;
  const calls: string[] = [];
  globalThis.fetch = ((input: Parameters<Fetch>[0], init?: RequestInit) => {
    calls.push(String(input instanceof Request ? input.url : input));
    return real(input, init);
  }) as Fetch;
  return { calls, restore: () => void (globalThis.fetch = real) };
}

async function sdkClient(url: string, fetchFn: Fetch, extra: { sessionId?: string; headers?: Record<string, string> } = {}): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    fetch: fetchFn,
    ...(extra.headers ? { requestInit: { headers: extra.headers } } : {}),
    ...(extra.sessionId ? { sessionId: extra.sessionId } : {}),
  });
  const client = new Client({ name: 'loopback-fetch-test', version: '0' }, { capabilities: {} });
  await client.connect(transport);
  return { client, transport };
}

async function createTask(client: Client, tool: string, args: Record<string, unknown>): Promise<Task> {
  const r = await client.request({ method: 'tools/call', params: { name: tool, arguments: args, task: { ttl: 60_000 } } }, ResultSchema);
  return (r as unknown as { task: Task }).task;
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe('loopback fetch', () => {
  let demo: HttpDemoServer;
  const faults: HttpFaultServer[] = [];
  const clients: Client[] = [];
  before(async () => {
    demo = await startHttpDemoServer(['--page-size', '7']);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
    await Promise.all(faults.splice(0).map((s) => s.stop()));
  });
  after(async () => demo.stop());

  it('is chosen for plain http to localhost, 127.0.0.1 and ::1 only', () => {
    for (const url of ['http://127.0.0.1:3000/mcp', 'http://localhost/mcp', 'http://[::1]:8080/']) assert.equal(isLoopbackHttp(new URL(url)), true, url);
    for (const url of ['https://localhost/mcp', 'http://127.0.0.2/', 'http://example.com/mcp', 'http://10.0.0.1/', 'http://localhost.example.com/', 'http://[::2]/'])
      assert.equal(isLoopbackHttp(new URL(url)), false, url);
  });

  it("a loopback server's requests never reach the global fetch; any other server's all do", async () => {
    const counter = countGlobalFetch();
    try {
      const { client } = await sdkClient(demo.url, fetchFor(new URL(demo.url)));
      clients.push(client);
      await client.listTools();
      assert.deepEqual(counter.calls, []);
      // A non-loopback URL (nothing listens there; only which fetch is asked matters).
      const remote = 'http://192.0.2.1:9/mcp';
      const aborted = AbortSignal.abort();
      await rejection(fetchFor(new URL(remote))(remote, { method: 'POST', body: '{}', signal: aborted }));
      assert.deepEqual(counter.calls, [remote]);
      const https = 'https://localhost:9/mcp';
      await rejection(fetchFor(new URL(https))(https, { signal: aborted }));
      assert.deepEqual(counter.calls, [remote, https]);
    } finally {
      counter.restore();
    }
  });

  it('gets the same answers as the global fetch: initialize, tools, task creation, listing pages, results', async () => {
    const seen: unknown[] = [];
    for (const [, fetchFn] of FETCHES) {
      const { client, transport } = await sdkClient(demo.url, fetchFn);
      clients.push(client);
      assert.ok(transport.sessionId, 'a session id from the server');
      const tools = (await client.listTools()).tools.map((t) => t.name).sort();
      const task = await createTask(client, 'slow-job', { steps: 0, stepMs: 0 });
      await waitFor('completed', async () => (await client.experimental.tasks.getTask(task.taskId)).status === 'completed', 10_000);
      const result = await client.request({ method: 'tasks/result', params: { taskId: task.taskId } }, CallToolResultSchema);
      // Every page of the shared listing, following the cursor (page size 7).
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await client.experimental.tasks.listTasks(cursor);
        ids.push(...page.tasks.map((t) => t.taskId));
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      assert.ok(ids.includes(task.taskId));
      seen.push({ tools, content: result.content, listed: ids.length >= 1 });
    }
    assert.deepEqual(seen[1], seen[0]);
  });

  it('receives server notifications on the standalone GET event stream', async () => {
    const { client } = await sdkClient(demo.url, loopbackFetch);
    clients.push(client);
    const statuses: string[] = [];
    client.setNotificationHandler(TaskStatusNotificationSchema, (n) => void statuses.push(n.params.status));
    const task = await createTask(client, 'slow-job', { steps: 2, stepMs: 150 });
    await waitFor('the completed status pushed', () => statuses.includes('completed'), 10_000);
    assert.ok(task.taskId);
  });

  it('a 50 MB result arrives intact (same bytes as through the global fetch)', async function () {
    this.timeout(120_000);
    const digests: string[] = [];
    for (const [, fetchFn] of FETCHES) {
      const { client } = await sdkClient(demo.url, fetchFn);
      clients.push(client);
      const task = await createTask(client, 'large-result', { sizeMb: 50 });
      await waitFor('completed', async () => (await client.experimental.tasks.getTask(task.taskId)).status === 'completed', 60_000);
      const result = await client.request({ method: 'tasks/result', params: { taskId: task.taskId } }, CallToolResultSchema, { timeout: 60_000 });
      const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
      assert.ok(text.length >= 50 * 1024 * 1024 * 0.99, `${text.length} characters`);
      digests.push(createHash('sha256').update(text).digest('hex'));
    }
    assert.equal(digests[1], digests[0]);
  });

  it('a session the server does not know: HTTP 404, seen as a refused session and a lost connection, as before', async () => {
    for (const [name, fetchFn] of FETCHES) {
      const { client } = await sdkClient(demo.url, fetchFn, { sessionId: 'forgotten-session' });
      clients.push(client);
      const err = await rejection(client.listTools());
      assert.equal(isSessionRefused(err), true, `${name}: ${err.message}`);
      assert.equal(isHttpConnectionLost(err), true, name);
    }
  });

  it('sends the configured headers (Authorization) and reads an error answer whole', async () => {
    const server = await startHttpFaultServer(['--fault', 'http-status=401', '--fault', 'echo-auth']);
    faults.push(server);
    const messages: string[] = [];
    for (const [, fetchFn] of FETCHES) {
      const err = await rejection(sdkClient(server.url, fetchFn, { headers: { Authorization: 'Bearer sekrit-token' } }));
      messages.push(errorMessage(err));
    }
    assert.match(messages[1]!, /401/);
    assert.match(messages[1]!, /Bearer sekrit-token/);
    assert.equal(messages[1], messages[0]);
  });

  it('the server dies in the middle of a request: a TypeError with the reason, taken as a lost connection', async () => {
    const server = await startHttpFaultServer(['--fault', 'exit-on=tools/list']);
    faults.push(server);
    const { client } = await sdkClient(server.url, loopbackFetch);
    clients.push(client);
    const err = await rejection(client.listTools({}, { timeout: 10_000 }));
    assert.equal(isHttpConnectionLost(err), true, `${err.name}: ${err.message}`);
    assert.match(errorMessage(err), /fetch failed|terminated|ECONNRESET|socket|closed/i);
  });

  it('many requests in flight on one connection raise no listener-leak warning (they share its abort signal)', async () => {
    // The SDK's transport gives every request the same signal: with more than 10 in flight Node warned
    // "Possible EventTarget memory leak detected" into the user's log, though every listener is removed.
    const warnings: Error[] = [];
    const onWarning = (w: Error) => void (w.name === 'MaxListenersExceededWarning' && warnings.push(w));
    process.on('warning', onWarning);
    try {
      const { client } = await sdkClient(demo.url, loopbackFetch);
      clients.push(client);
      const lists = await Promise.all(Array.from({ length: 30 }, () => client.listTools()));
      assert.ok(lists.every((l) => l.tools.length > 0));
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(warnings.map((w) => w.message), []);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('never sends a tool call twice: a server that drops the connection after reading one sees it once', async () => {
    // The keep-alive race's remedy re-sends a request reset on a reused socket; a tool call may have started
    // work, so it takes a connection of its own and is never re-sent (the caller hears the reset).
    const http = await import('node:http');
    const calls: string[] = [];
    const srv = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (body.includes('tools/call')) {
          calls.push(body);
          req.socket.destroy();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"jsonrpc":"2.0","id":1,"result":{}}');
      });
    });
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(srv.address() as import('node:net').AddressInfo).port}/mcp`;
    const post = (body: unknown) => loopbackFetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    try {
      await (await post({ jsonrpc: '2.0', id: 1, method: 'ping' })).text(); // a pooled socket to reuse
      const err = await rejection(post({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'deploy', arguments: {} } }));
      assert.equal(err.name, 'TypeError');
      assert.equal(calls.length, 1, 'the tool call reached the server once');
      assert.equal((await post({ jsonrpc: '2.0', id: 3, method: 'ping' })).status, 200, 'other requests go on');
    } finally {
      srv.closeAllConnections();
      srv.close();
    }
  });

  it('an abort ends the request at once with the signal reason; an abort before sending sends nothing', async () => {
    const server = await startHttpFaultServer(['--fault', 'hang=tools/list']);
    faults.push(server);
    const { client } = await sdkClient(server.url, loopbackFetch);
    clients.push(client);
    const t0 = Date.now();
    const err = await rejection(client.listTools({}, { timeout: 300 }));
    assert.match(err.message, /timed out/i);
    assert.ok(Date.now() - t0 < 3_000);
    const direct = new AbortController();
    const pending = loopbackFetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', signal: direct.signal });
    direct.abort();
    assert.equal((await rejection(pending)).name, 'AbortError');
    assert.equal((await rejection(loopbackFetch(server.url, { signal: AbortSignal.abort() }))).name, 'AbortError');
  });

  it('a JSON answer (not SSE) of 20 MB is read whole; one cut short is an error, never a short body', async () => {
    const http = await import('node:http');
    const big = JSON.stringify({ jsonrpc: '2.0', id: 1, result: { text: 'x'.repeat(20 * 1024 * 1024) } });
    const srv = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(big.length) });
      if (req.url === '/cut') {
        res.write(big.slice(0, 1024 * 1024));
        setTimeout(() => res.destroy(), 50);
      } else res.end(big);
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    try {
      const base = `http://127.0.0.1:${(srv.address() as { port: number }).port}`;
      for (const [name, fetchFn] of FETCHES) {
        const whole = await (await fetchFn(`${base}/mcp`, { method: 'POST', body: '{}' })).text();
        assert.equal(whole.length, big.length, name);
        const cut = await rejection(fetchFn(`${base}/cut`, { method: 'POST', body: '{}' }).then((r) => r.text()));
        assert.equal(cut instanceof TypeError, true, `${name}: ${cut.name}: ${cut.message}`);
      }
    } finally {
      srv.closeAllConnections();
      srv.close();
    }
  });

  it('an HTTP status no Response can hold is a rejected fetch, not an exception in an event handler', async () => {
    const http = await import('node:http');
    const srv = http.createServer((_req, res) => res.writeHead(700).end('odd'));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    try {
      const err = await rejection(loopbackFetch(`http://127.0.0.1:${(srv.address() as { port: number }).port}/mcp`, { method: 'POST', body: '{}' }));
      assert.equal(err instanceof TypeError, true, err.message);
      assert.match(errorMessage(err), /700/);
    } finally {
      srv.closeAllConnections();
      srv.close();
    }
  });

  it('returns a redirect as it is when asked for manual redirects (the SDK decides), as the global fetch does', async () => {
    const http = await import('node:http');
    const srv = http.createServer((_req, res) => res.writeHead(307, { location: '/elsewhere' }).end());
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(srv.address() as { port: number }).port}/mcp`;
      for (const [name, fetchFn] of FETCHES) {
        const res = await fetchFn(url, { method: 'POST', body: '{}', redirect: 'manual' });
        assert.equal(res.status, 307, name);
        assert.equal(res.headers.get('location'), '/elsewhere', name);
      }
    } finally {
      srv.closeAllConnections();
      srv.close();
    }
  });
});
