// Everything besides tools and tasks passes through the bridge to a 2026-07-28 server, and back in 2025-11-25
// terms: resources, prompts, completion, logging, ping, methods nobody knows; the server's notifications (log
// lines, progress of a forwarded request, resource and list changes) reach VS Code; its in-band questions
// (input_required on a plain request) are put to VS Code as 2025 server requests. Against the real 2026 fixture
// over stdio and Streamable HTTP, with and without the tasks extension (`--no-tasks`): a server without it is
// called with plain tools/call, and a task-augmented call gets the plain result (2025-11-25: a server that does
// not declare task support ignores `task`).
import * as assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ElicitRequestSchema, ListRootsRequestSchema, ResultSchema, type Notification } from '@modelcontextprotocol/sdk/types.js';
import { McpBridge } from '../../../src/core/bridge/McpBridge';
import type { ServerConfig } from '../../../src/core/config/ServerConfig';
import { connectBridgeClient, VSCODE_CAPABILITIES } from '../../support/bridgeClient';
import { GEN2026, serverStats, type HttpFixture } from '../../support/generations';
import { RegistryHarness } from '../../support/registryHarness';
import { httpConfig } from '../../support/serverConfigs';
import { waitFor } from '../../support/waiting';

type Reply = Record<string, unknown>;

const CASES = [
  { transport: 'stdio', tasks: true },
  { transport: 'http', tasks: false },
  { transport: 'stdio', tasks: false },
  { transport: 'http', tasks: true },
] as const;

for (const c of CASES) {
  describe(`bridge: every request and notification passes to a 2026-07-28 server (${c.transport}, ${c.tasks ? 'with' : 'without'} the tasks extension)`, function () {
    this.timeout(30_000);
    let h: RegistryHarness;
    let bridge: McpBridge;
    let client: Client;
    let http: HttpFixture | undefined;
    const stats = serverStats();
    const notes: Notification[] = [];

    const send = (method: string, params: Reply = {}) => client.request({ method, params }, ResultSchema) as Promise<Reply>;

    before(async () => {
      const args = [...stats.args, '--extras', ...(c.tasks ? [] : ['--no-tasks'])];
      h = new RegistryHarness();
      let config: ServerConfig;
      if (c.transport === 'stdio') config = GEN2026.stdioConfig('modern', args);
      else {
        http = await GEN2026.startHttp(args);
        config = httpConfig('modern', http.url);
      }
      await h.connect(config);
      bridge = new McpBridge(h.registry, { log: h.log, settings: () => h.settings, cancelAbandoned: () => false });
      ({ client } = await connectBridgeClient(bridge, 'modern', { ...VSCODE_CAPABILITIES, roots: { listChanged: true } }));
      client.fallbackNotificationHandler = async (n) => void notes.push(n);
    });

    after(async () => {
      await client?.close();
      await bridge?.dispose();
      await h?.dispose();
      await http?.stop();
    });

    it('initialize shows the server\'s own capabilities in 2025 terms (tasks only with the extension)', () => {
      const caps = client.getServerCapabilities();
      assert.deepEqual(caps?.resources, { subscribe: true, listChanged: true });
      assert.ok(caps?.prompts, 'prompts');
      assert.ok(caps?.completions, 'completions');
      assert.ok(caps?.logging, 'logging');
      assert.equal(caps?.tasks !== undefined, c.tasks);
      assert.equal((caps as { extensions?: unknown } | undefined)?.extensions, undefined, 'no 2026 extensions map');
    });

    it('resources: list, templates and read reach the server; replies carry no 2026-only fields', async () => {
      const listed = await client.listResources();
      assert.deepEqual(listed.resources.map((r) => r.uri), ['demo://notes/readme', 'demo://notes/todo']);
      for (const field of ['resultType', 'ttlMs', 'cacheScope']) assert.equal((listed as Reply)[field], undefined, field);
      const templates = await client.listResourceTemplates();
      assert.equal(templates.resourceTemplates[0]?.uriTemplate, 'demo://notes/{name}');
      const read = await client.readResource({ uri: 'demo://notes/readme' });
      assert.deepEqual(read.contents, [{ uri: 'demo://notes/readme', mimeType: 'text/plain', text: 'Hello from the 2026 demo server.' }]);
      assert.equal((read as Reply).resultType, undefined);
      // The server's own error, as it sent it (the SDKs' resource-not-found: -32602 with data.uri, in both generations).
      await assert.rejects(client.readResource({ uri: 'demo://notes/nope' }), (e: { code?: number; data?: unknown }) => e.code === -32602 && JSON.stringify(e.data) === '{"uri":"demo://notes/nope"}');
    });

    it('prompts and completion reach the server', async () => {
      const prompts = await client.listPrompts();
      assert.ok(prompts.prompts.some((p) => p.name === 'summarize'));
      const got = await client.getPrompt({ name: 'summarize', arguments: { topic: 'tides' } });
      assert.deepEqual(got.messages[0]?.content, { type: 'text', text: 'Summarize tides.' });
      const done = await client.complete({ ref: { type: 'ref/prompt', name: 'summarize' }, argument: { name: 'topic', value: 'g' } });
      assert.deepEqual(done.completion.values, ['gamma']);
    });

    it('ping is answered, and a method the bridge does not know reaches the server, which answers it', async () => {
      assert.deepEqual(await client.ping(), {});
      await assert.rejects(send('vendor/frobnicate', { x: 1 }), (e: { code?: number }) => e.code === -32601);
      assert.equal(stats.count('vendor/frobnicate'), 1, 'the server saw the unknown method');
    });

    if (!c.tasks) it('VS Code cancelling a forwarded request cancels it on the server (notifications/cancelled)', async () => {
      const before = stats.count('notifications/cancelled');
      const controller = new AbortController();
      const call = client.request({ method: 'tools/call', params: { name: 'chatty', arguments: { lines: 1, pauseMs: 10_000 } } }, ResultSchema, { signal: controller.signal });
      await waitFor('the call reached the server', () => stats.count('tools/call') > 0, 3_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      controller.abort('user cancelled');
      await assert.rejects(call);
      await waitFor('the server saw the cancel', () => stats.count('notifications/cancelled') > before, 5_000);
    });

    // A plain call to a server with tasks is made by the core (the tree shows it; 2026 sends no log lines or
    // progress for tasks): log lines and progress of a call come from a server without the extension.
    if (!c.tasks) it('logging/setLevel applies to the server\'s log lines; they and the progress of the call reach VS Code', async () => {
      await client.setLoggingLevel('debug');
      notes.length = 0;
      const progress: unknown[] = [];
      // Progress comes on the call's own stream, ahead of the reply (bridgeRelated.test.ts); log lines, which
      // 2026 does not tie to a request, on the standalone stream.
      const reply = await client.callTool({ name: 'chatty', arguments: { lines: 2, pauseMs: 0 } }, undefined, { onprogress: (p) => progress.push(p) });
      const early = progress.length;
      assert.deepEqual(reply.content, [{ type: 'text', text: 'said 2' }]);
      await waitFor('two log lines', () => notes.filter((n) => n.method === 'notifications/message').length === 2, 3_000);
      const lines = notes.filter((n) => n.method === 'notifications/message').map((n) => (n.params as { data?: unknown }).data);
      assert.deepEqual(lines, ['line 1', 'line 2']);
      assert.equal(early, 2, 'both progress notifications before the result');
      assert.deepEqual(progress.map((p) => (p as { progress: number }).progress), [1, 2]);
    });

    it('resources/subscribe brings notifications/resources/updated (and list changes); unsubscribe ends them', async () => {
      await send('resources/subscribe', { uri: 'demo://notes/readme' });
      notes.length = 0;
      await client.callTool({ name: 'touch-note', arguments: { name: 'readme' } });
      await waitFor('resources/updated', () => notes.some((n) => n.method === 'notifications/resources/updated'), 5_000);
      const updated = notes.find((n) => n.method === 'notifications/resources/updated');
      assert.equal((updated?.params as { uri?: string }).uri, 'demo://notes/readme');
      await waitFor('resources/list_changed', () => notes.some((n) => n.method === 'notifications/resources/list_changed'), 5_000);

      await send('resources/unsubscribe', { uri: 'demo://notes/readme' });
      notes.length = 0;
      await client.callTool({ name: 'touch-note', arguments: { name: 'readme' } });
      await waitFor('resources/list_changed again', () => notes.some((n) => n.method === 'notifications/resources/list_changed'), 5_000);
      assert.ok(!notes.some((n) => n.method === 'notifications/resources/updated'), 'no update after unsubscribe');
    });

    it('a question in a plain request\'s result (input_required) is put to VS Code; its answer completes the request', async () => {
      const asked: string[] = [];
      client.setRequestHandler(ElicitRequestSchema, async (request) => {
        asked.push(request.params.message);
        return { action: 'accept', content: { name: 'Ada' } };
      });
      client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [{ uri: 'file:///vscode/workspace' }] }));
      const got = await client.getPrompt({ name: 'ask-name' });
      assert.deepEqual(asked, ['Your name?']);
      assert.deepEqual(got.messages[0]?.content, { type: 'text', text: 'Hello, Ada.' });
      if (c.tasks) return; // A plain tools/call to a server with tasks is the core's (see above).
      const roots = await client.callTool({ name: 'ask-roots', arguments: {} });
      assert.deepEqual(roots.content, [{ type: 'text', text: 'roots: file:///vscode/workspace' }]);
    });

    it('tools are called: plain; task-augmented only where the server has tasks (else no tool offers them)', async () => {
      const plain = await send('tools/call', { name: 'slow-job', arguments: { steps: 2, stepMs: 50, label: 'plain' } });
      assert.match(JSON.stringify(plain.content), /done: plain after 2 steps/);
      assert.equal(plain.resultType, undefined);
      const tools = await client.listTools();
      const slow = tools.tools.find((t) => t.name === 'slow-job');
      assert.equal(slow?.execution?.taskSupport, c.tasks ? 'optional' : undefined);
      if (!c.tasks) return;
      const augmented = await send('tools/call', { name: 'slow-job', arguments: { steps: 2, stepMs: 50, label: 'aug' }, task: { ttl: 60_000 } });
      assert.equal(typeof (augmented.task as { taskId?: unknown } | undefined)?.taskId, 'string');
    });
  });
}
