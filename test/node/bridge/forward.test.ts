// What the bridge does to each forwarded request of a 2025-11-25 server, whatever the server: the reply
// is the server's own (every field, errors as given), each VS Code session gets its own answers even when
// two use the same JSON-RPC ids, progress comes back under VS Code's token, VS Code's cancel reaches the
// server under the id the server saw, logging/setLevel is the server's to answer, and a server that dies
// mid-request gives VS Code a clear error at once. Real servers over stdio: the demo server, the published
// server-everything (progress, logging) and the fault server (exits on a request).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { Client as SdkClient } from '@modelcontextprotocol/sdk/client/index.js';
import { ResultSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { McpBridge } from '../../../src/core/bridge/McpBridge';
import type { TaskServer } from '../../../src/core/servers/TaskServer';
import { demoServerStdioCommand, startHttpDemoServer } from '../../fixtures/demo-server/spawn';
import { connectBridgeClient } from '../../support/bridgeClient';
import { RegistryHarness } from '../../support/registryHarness';
import { waitFor } from '../../support/waiting';
import { demoStdioConfig, everythingConfig, faultStdioConfig, httpConfig } from '../../support/serverConfigs';

/** Every message our connection sends to the server, from now on. */
function spyUpstream(server: TaskServer): JSONRPCMessage[] {
  const transport = server.bridgeSeam.upstreamClient()!.transport!;
  const sent: JSONRPCMessage[] = [];
  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    sent.push(message);
    return send(message, options);
  };
  return sent;
}

/** A raw POST of one JSON-RPC request on a session: the reply as the bridge wrote it. */
async function post(url: string, authorization: string, sessionId: string, message: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { Authorization: authorization, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', 'Mcp-Session-Id': sessionId, 'Mcp-Protocol-Version': '2025-11-25' },
    body: JSON.stringify(message),
  });
  return res.json();
}

describe('bridge: forwarding to a 2025-11-25 server', function () {
  this.timeout(30_000);
  let h: RegistryHarness;
  let bridge: McpBridge;
  const clients: Client[] = [];
  /** A fixture server the test started itself, stopped once the core let go of it. */
  let stopAfter: (() => Promise<void>) | undefined;

  beforeEach(() => {
    h = new RegistryHarness();
    bridge = new McpBridge(h.registry, { log: h.log, settings: () => h.settings, cancelAbandoned: () => false });
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
    await bridge.dispose();
    await h.dispose();
    await stopAfter?.();
    stopAfter = undefined;
  });

  async function vscode(name: string): Promise<Awaited<ReturnType<typeof connectBridgeClient>>> {
    const c = await connectBridgeClient(bridge, name);
    clients.push(c.client);
    return c;
  }

  it('replies are the server\'s own, field for field (tools/list and a tool result, as the server answers a direct client)', async () => {
    await h.connect(demoStdioConfig('demo'));
    const { url, authorization, transport } = await vscode('demo');
    const direct = new SdkClient({ name: 'direct', version: '0' }, { capabilities: {} });
    clients.push(direct);
    const launch = demoServerStdioCommand([]);
    await direct.connect(new StdioClientTransport({ command: launch.command, args: launch.args, stderr: 'ignore' }));
    for (const request of [
      { method: 'tools/list', params: {} },
      { method: 'tools/call', params: { name: 'quick-echo', arguments: { text: 'exact' } } },
    ]) {
      const bridged = await post(url, authorization, transport.sessionId!, { jsonrpc: '2.0', id: 'vs-7', ...request });
      assert.deepEqual(bridged, { jsonrpc: '2.0', id: 'vs-7', result: await direct.request(request, ResultSchema) });
    }
  });

  for (const wire of ['stdio', 'http'] as const) {
    it(`two sessions sending the same ids at once each get their own answers (server over ${wire})`, async () => {
      const http = wire === 'http' ? await startHttpDemoServer() : undefined;
      stopAfter = http && (() => http.stop());
      await h.connect(http ? httpConfig('demo', http.url) : demoStdioConfig('demo'));
      const [a, b] = [await vscode('demo'), await vscode('demo')];
      const echo = (c: Client, text: string) => c.request({ method: 'tools/call', params: { name: 'quick-echo', arguments: { text } } }, ResultSchema);
      const calls = Array.from({ length: 20 }, (_, i) => [echo(a.client, `a${i}`), echo(b.client, `b${i}`)]).flat();
      const texts = (await Promise.all(calls)).map((r) => (r.content as { text: string }[])[0]!.text);
      assert.deepEqual(texts, Array.from({ length: 20 }, (_, i) => [`echo: a${i}`, `echo: b${i}`]).flat());
    });
  }

  it('progress comes back under VS Code\'s token; VS Code\'s cancel reaches the server under the id it saw', async () => {
    const server = await h.connect(everythingConfig('everything'));
    const sent = spyUpstream(server);
    const { client } = await vscode('everything');
    const progress: number[] = [];
    const abort = new AbortController();
    const call = client.request({ method: 'tools/call', params: { name: 'trigger-long-running-operation', arguments: { duration: 30, steps: 100 } } }, ResultSchema, {
      signal: abort.signal,
      onprogress: (p) => {
        progress.push(p.progress);
        if (progress.length === 2) abort.abort('the user stopped it');
      },
    });
    await assert.rejects(call);
    assert.deepEqual(progress, [1, 2]);
    const forwarded = sent.find((m) => 'method' in m && m.method === 'tools/call') as { id: unknown; params: { _meta?: { progressToken?: unknown } } };
    assert.ok(forwarded.params._meta?.progressToken !== undefined, 'the server was given a progress token');
    const cancelled = () => sent.find((m) => 'method' in m && m.method === 'notifications/cancelled') as { params: { requestId: unknown } } | undefined;
    await waitFor('the cancel at the server', () => cancelled() !== undefined, 3_000);
    assert.equal(cancelled()!.params.requestId, forwarded.id);
  });

  it('progress of a task-augmented call keeps coming under VS Code\'s token after the task was created, until it ends', async () => {
    const main = path.join(__dirname, 'fixtures', 'progressTaskServer.js');
    await h.connect({ id: 'progress', name: 'progress', source: 'test', fromWorkspace: false, type: 'stdio', command: process.execPath, args: [main], env: {} });
    const { client } = await vscode('progress');
    const progress: number[] = [];
    const created = await client.request({ method: 'tools/call', params: { name: 'progress-job', arguments: { steps: 3, stepMs: 150 }, task: {} } }, ResultSchema, {
      onprogress: (p) => void progress.push(p.progress),
    });
    assert.equal(typeof (created.task as { taskId?: unknown }).taskId, 'string');
    await waitFor('three progress notifications', () => progress.length === 3, 5_000);
    assert.deepEqual(progress, [1, 2, 3]);
  });

  it('logging/setLevel is forwarded to the server (and its answer returned)', async () => {
    const server = await h.connect(everythingConfig('everything'));
    const sent = spyUpstream(server);
    const { client } = await vscode('everything');
    await client.setLoggingLevel('error');
    assert.ok(sent.some((m) => 'method' in m && m.method === 'logging/setLevel' && (m.params as { level?: string }).level === 'error'));
  });

  it('a server that dies mid-request: VS Code gets a clear error at once, not a timeout', async () => {
    await h.connect(faultStdioConfig('fault', ['--fault', 'exit-on=tools/call']));
    const { client } = await vscode('fault');
    const started = Date.now();
    await assert.rejects(
      client.request({ method: 'tools/call', params: { name: 'plain-echo', arguments: { text: 'x' } } }, ResultSchema, { timeout: 20_000 }),
      (err: { code?: number; message: string }) => err.code === -32000 && /closed/i.test(err.message),
    );
    assert.ok(Date.now() - started < 5_000, 'the error came at once');
  });
});
