// The bridge as VS Code meets it: a real SDK 1.x Client (VS Code's MCP client is one too, declaring the same
// task and elicitation capabilities) connects over Streamable HTTP to the loopback endpoint, which forwards
// through the extension's own connection to the real demo server (stdio). Tasks it starts must land in the
// tracker as started by VS Code; our cancel must reach it; questions must reach it and its answer the server.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ElicitRequestSchema, ResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { McpBridge } from '../../../src/core/bridge/McpBridge';
import type { TaskServer } from '../../../src/core/servers/TaskServer';
import { connectBridgeClient } from '../../support/bridgeClient';
import { GEN2025 } from '../../support/generations';
import { RegistryHarness } from '../../support/registryHarness';
import { waitFor, waitForStatus, waitForTask } from '../../support/waiting';

/** A raw request to the endpoint, with the headers a test chooses (fetch cannot set Host). */
function rawPost(url: string, headers: Record<string, string>): Promise<number> {
  const u = new URL(url);
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '0' } } });
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...headers } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Any request to the endpoint; resolves at the response's head (a GET stream stays open until `close`). */
function raw(url: string, method: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; session?: string; close: () => void }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method, headers }, (res) => {
      res.resume();
      const session = res.headers['mcp-session-id'];
      resolve({ status: res.statusCode ?? 0, ...(typeof session === 'string' ? { session } : {}), close: () => req.destroy() });
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('bridge: VS Code reaches a server through the extension (2025-11-25 demo server over stdio)', function () {
  this.timeout(20_000);
  let h: RegistryHarness;
  let server: TaskServer;
  let bridge: McpBridge;
  let url: string;
  let auth: string;
  let client: Client;
  let cancelAbandoned = false;

  before(async () => {
    h = new RegistryHarness();
    server = await h.connect(GEN2025.stdioConfig('demo', ['--poll-interval', '200']));
    bridge = new McpBridge(h.registry, { log: h.log, settings: () => h.settings, cancelAbandoned: () => cancelAbandoned });
    ({ client, url, authorization: auth } = await connectBridgeClient(bridge, 'demo'));
  });

  after(async () => {
    await client?.close();
    await bridge?.dispose();
    await h?.dispose();
  });

  it('listens on 127.0.0.1 and asks for a 256-bit token', () => {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/mcp\/demo$/);
    assert.match(auth, /^Bearer [A-Za-z0-9_-]{43}$/);
  });

  it('refuses a request without the token, with a wrong token, with a foreign Host or Origin', async () => {
    const port = new URL(url).port;
    assert.equal(await rawPost(url, {}), 401);
    assert.equal(await rawPost(url, { Authorization: 'Bearer wrong' }), 401);
    assert.equal(await rawPost(url, { Authorization: `${auth.slice(0, -1)}x` }), 401);
    assert.equal(await rawPost(url, { Authorization: auth, Host: `evil.example:${port}` }), 403);
    assert.equal(await rawPost(url, { Authorization: auth, Origin: 'http://evil.example' }), 403);
    assert.equal(await rawPost(url.replace('/mcp/demo', '/mcp/nope'), { Authorization: auth }), 404);
    assert.equal(await rawPost(url, { Authorization: auth, Host: `localhost:${port}`, Origin: `http://localhost:${port}` }), 200);
  });

  it('speaks Streamable HTTP as the spec asks: 406, 415, 400 for an unknown version, 405, one GET stream, DELETE ends the session', async () => {
    const json = { Authorization: auth, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };
    const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '0' } } };
    const opened = await raw(url, 'POST', json, init);
    assert.equal(opened.status, 200);
    assert.ok(opened.session, 'a session id on initialize');
    const inSession = { ...json, 'mcp-session-id': opened.session!, 'mcp-protocol-version': '2025-11-25' };
    const ping = { jsonrpc: '2.0', id: 2, method: 'ping' };
    assert.equal((await raw(url, 'POST', { ...inSession, Accept: 'application/json' }, ping)).status, 406);
    assert.equal((await raw(url, 'POST', { ...inSession, 'Content-Type': 'text/plain' }, ping)).status, 415);
    assert.equal((await raw(url, 'POST', { ...inSession, 'mcp-protocol-version': '1999-01-01' }, ping)).status, 400);
    assert.equal((await raw(url, 'POST', inSession, init)).status, 400, 'initialize twice');
    assert.equal((await raw(url, 'POST', inSession, { id: 3 })).status, 400, 'not JSON-RPC');
    assert.equal((await raw(url, 'POST', inSession, { jsonrpc: '2.0', method: 'notifications/initialized' })).status, 202);
    assert.equal((await raw(url, 'POST', inSession, ping)).status, 200);
    assert.equal((await raw(url, 'PUT', inSession, ping)).status, 405);
    const stream = await raw(url, 'GET', { ...inSession, Accept: 'text/event-stream' });
    assert.equal(stream.status, 200);
    assert.equal((await raw(url, 'GET', { ...inSession, Accept: 'text/event-stream' })).status, 409, 'one standalone stream per session');
    stream.close();
    assert.equal((await raw(url, 'DELETE', inSession)).status, 200);
    assert.equal((await raw(url, 'POST', inSession, ping)).status, 404, 'the session is gone');
  });

  it('answers initialize with the server itself: its name, its task capabilities', () => {
    assert.equal(client.getServerVersion()?.name, GEN2025.serverName);
    assert.ok(client.getServerCapabilities()?.tasks?.requests?.tools?.call, 'task-augmented tools/call declared');
    assert.ok(client.getServerCapabilities()?.tasks?.cancel);
  });

  it('passes requests through: tools/list shows the task tools with their taskSupport', async () => {
    const { tools } = await client.listTools();
    assert.equal(tools.find((t) => t.name === 'slow-job')?.execution?.taskSupport, 'required');
  });

  it('records a task VS Code starts (tool, arguments, started by VS Code); our cancel is what VS Code then sees', async () => {
    const pushed: string[] = [];
    client.fallbackNotificationHandler = async (n) => void pushed.push(`${n.method} ${(n.params as { status?: string } | undefined)?.status ?? ''}`);
    const args = { steps: 50, stepMs: 200, label: 'from-vscode' };
    const created = await client.request({ method: 'tools/call', params: { name: 'slow-job', arguments: args, task: { ttl: 60_000 } } }, ResultSchema);
    const taskId = (created as { task: { taskId: string } }).task.taskId;
    const tracked = await waitForTask(server, taskId, 'tracked', (t) => t.status === 'working');
    assert.equal(tracked.toolName, 'slow-job');
    assert.deepEqual(tracked.toolArgs, args);
    assert.equal(tracked.startedBy, 'vscode');
    assert.equal(tracked.startedByUs, true);
    await server.cancelTask(taskId);
    const seen = await client.request({ method: 'tasks/get', params: { taskId } }, ResultSchema);
    assert.equal((seen as { status: string }).status, 'cancelled');
    // The server's status pushes for VS Code's task reach VS Code's session (on its standalone stream).
    await waitFor('the cancelled push', () => pushed.includes('notifications/tasks/status cancelled'), 3_000);
  });

  it('remembers that VS Code started a task across a restart (new registry, same storage)', async () => {
    const created = await client.request({ method: 'tools/call', params: { name: 'slow-job', arguments: { steps: 50, stepMs: 200, label: 'kept' }, task: { ttl: 60_000 } } }, ResultSchema);
    const taskId = (created as { task: { taskId: string } }).task.taskId;
    await waitForTask(server, taskId, 'tracked', (t) => t.startedBy === 'vscode');
    const second = new RegistryHarness({ storage: h.storage });
    try {
      second.registry.setConfigs([GEN2025.stdioConfig('demo', ['--poll-interval', '200'])]);
      const early = second.registry.get('demo')!.store.get(taskId);
      assert.equal(early?.startedBy, 'vscode', 'still shown as VS Code\'s');
      assert.equal(early?.toolName, 'slow-job');
    } finally {
      await second.dispose();
      await server.cancelTask(taskId).catch(() => undefined);
    }
  });

  it('passes the server\'s errors on unchanged (unknown task: -32602 with the server\'s message)', async () => {
    const failure = (c: Client) =>
      c.request({ method: 'tasks/get', params: { taskId: 'no-such-task' } }, ResultSchema).then(
        () => undefined,
        (e: unknown) => e as { code: number; message: string; data?: unknown },
      );
    const bridged = await failure(client);
    const direct = await failure(server.bridgeSeam.upstreamClient()!);
    assert.equal(bridged?.code, -32602);
    assert.deepEqual({ ...bridged, message: bridged?.message }, { ...direct, message: direct?.message });
  });

  it('puts a question to the VS Code session whose task asked it; its answer completes the task', async () => {
    const asked: string[] = [];
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      asked.push(request.params.message);
      return { action: 'accept', content: { answer: 'teal' } };
    });
    const created = await client.request({ method: 'tools/call', params: { name: 'needs-input', arguments: { question: 'Colour?' }, task: { ttl: 60_000 } } }, ResultSchema);
    const taskId = (created as { task: { taskId: string } }).task.taskId;
    // VS Code waits on tasks/result; the question arrives while it does.
    const result = (await client.request({ method: 'tasks/result', params: { taskId } }, ResultSchema)) as { content?: Array<{ text?: string }> };
    assert.deepEqual(asked, ['Colour?']);
    assert.equal(result.content?.[0]?.text, 'answer: teal');
    await waitForStatus(server, taskId, 'completed');
  });

  it('marks a task VS Code stops polling as abandoned, and cancels it when the setting says so', async () => {
    cancelAbandoned = true;
    const created = await client.request({ method: 'tools/call', params: { name: 'slow-job', arguments: { steps: 100, stepMs: 200 }, task: { ttl: 60_000 } } }, ResultSchema);
    const taskId = (created as { task: { taskId: string } }).task.taskId;
    // The server suggests 200 ms: three silent intervals and the next check make it abandoned.
    const abandoned = await waitForTask(server, taskId, 'abandoned', (t) => t.abandoned === true, 5_000);
    assert.equal(abandoned.startedBy, 'vscode');
    await waitForStatus(server, taskId, 'cancelled');
    cancelAbandoned = false;
  });

  it('a task whose session ends is abandoned at once (kept running when the setting is off)', async () => {
    const { client: other, transport } = await connectBridgeClient(bridge, 'demo');
    const created = await other.request({ method: 'tools/call', params: { name: 'slow-job', arguments: { steps: 100, stepMs: 200 }, task: { ttl: 60_000 } } }, ResultSchema);
    const taskId = (created as { task: { taskId: string } }).task.taskId;
    await transport.terminateSession();
    await other.close();
    await waitForTask(server, taskId, 'abandoned', (t) => t.abandoned === true, 3_000);
    assert.equal(server.store.get(taskId)?.status, 'working');
    await server.cancelTask(taskId);
  });
});
