// Sampling and roots through the bridge. The demo server's `ask-client` tool (started with --client-asks) asks
// its client — our one connection — for a sampling message or its roots while a plain tools/call runs; the
// bridge must put that question to the VS Code session the call came from and carry the answer back into the
// tool's result. With no VS Code session, roots are the workspace roots the host gives the core, and
// sampling is refused with a clear JSON-RPC error. VS Code's `notifications/roots/list_changed` reaches the
// server. (Sampling needs a language model and the user's consent in real VS Code: it is tested here only.)
import * as assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema, CreateMessageRequestSchema, ListRootsRequestSchema, type ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { McpBridge } from '../../../src/core/bridge/McpBridge';
import type { TaskServer } from '../../../src/core/servers/TaskServer';
import { connectBridgeClient } from '../../support/bridgeClient';
import { GEN2025 } from '../../support/generations';
import { RegistryHarness } from '../../support/registryHarness';
import { waitFor } from '../../support/waiting';

const HOST_ROOTS = [{ uri: 'file:///home/user/project', name: 'project' }];

function resultText(result: unknown): { text: string; isError: boolean } {
  const r = result as { content?: Array<{ text?: string }>; isError?: boolean };
  return { text: r.content?.[0]?.text ?? '', isError: r.isError === true };
}

describe('bridge: sampling and roots reach VS Code (2025-11-25 demo server over stdio)', function () {
  this.timeout(20_000);
  let h: RegistryHarness;
  let server: TaskServer;
  let bridge: McpBridge;
  const opened: Array<{ client: Client; transport: StreamableHTTPClientTransport }> = [];

  async function vscodeClient(capabilities: ClientCapabilities): Promise<Client> {
    const { client, transport } = await connectBridgeClient(bridge, 'asks', capabilities);
    opened.push({ client, transport });
    return client;
  }

  const ask = (client: Client, args: Record<string, unknown>) => client.request({ method: 'tools/call', params: { name: 'ask-client', arguments: args } }, CallToolResultSchema).then(resultText);
  /** A call of ours (from the tree, the palette), not VS Code's. */
  const askOurselves = (args: Record<string, unknown>) => ask(server.bridgeSeam.upstreamClient()!, args);

  before(async () => {
    h = new RegistryHarness({ roots: () => HOST_ROOTS });
    server = await h.connect(GEN2025.stdioConfig('asks', ['--client-asks']));
    bridge = new McpBridge(h.registry, { log: h.log, settings: () => h.settings, cancelAbandoned: () => false });
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map(async ({ client, transport }) => {
      await transport.terminateSession();
      await client.close();
    }));
    await waitFor('sessions closed', () => (bridge.sessions().get('asks') ?? 0) === 0, 3_000);
  });

  after(async () => {
    await bridge?.dispose();
    await h?.dispose();
  });

  it('with no VS Code session: roots are the host\'s workspace roots, sampling is refused with a clear error', async () => {
    assert.deepEqual(await askOurselves({ ask: 'roots' }), { text: 'roots: file:///home/user/project', isError: false });
    const sampled = await askOurselves({ ask: 'sampling' });
    assert.equal(sampled.isError, true);
    assert.match(sampled.text, /no VS Code session/i);
  });

  it('the host\'s roots changing is announced to the server (roots/list_changed)', async () => {
    const before = await askOurselves({ ask: 'roots-changes' });
    bridge.rootsChanged();
    await waitFor('list_changed at the server', async () => (await askOurselves({ ask: 'roots-changes' })).text !== before.text, 3_000);
  });

  it('a VS Code session answers the sampling request of its own tool call; the answer is the tool\'s result', async () => {
    const prompts: string[] = [];
    const client = await vscodeClient({ sampling: {} });
    client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
      const content = request.params.messages[0]?.content;
      prompts.push(content && 'text' in content ? String(content.text) : '?');
      return { role: 'assistant', model: 'vscode-lm', content: { type: 'text', text: 'hello from chat' } };
    });
    assert.deepEqual(await ask(client, { ask: 'sampling', prompt: 'Greet me' }), { text: 'sampled by vscode-lm: hello from chat', isError: false });
    assert.deepEqual(prompts, ['Greet me']);
  });

  it('VS Code\'s refusal of a sampling request reaches the server as it was given', async () => {
    const client = await vscodeClient({ sampling: {} });
    client.setRequestHandler(CreateMessageRequestSchema, async () => {
      throw Object.assign(new Error('User rejected sampling request'), { code: -1 });
    });
    const refused = await ask(client, { ask: 'sampling' });
    assert.equal(refused.isError, true);
    assert.match(refused.text, /User rejected sampling request/);
    assert.doesNotMatch(refused.text, /MCP error -1: MCP error/);
  });

  it('roots come from the VS Code session that declares them; its list_changed reaches the server', async () => {
    const client = await vscodeClient({ roots: { listChanged: true } });
    client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [{ uri: 'file:///vscode/folder-a' }, { uri: 'file:///vscode/folder-b' }] }));
    assert.deepEqual(await ask(client, { ask: 'roots' }), { text: 'roots: file:///vscode/folder-a file:///vscode/folder-b', isError: false });
    const before = await ask(client, { ask: 'roots-changes' });
    await client.sendRootsListChanged();
    await waitFor('list_changed at the server', async () => (await ask(client, { ask: 'roots-changes' })).text !== before.text, 3_000);
    assert.match((await ask(client, { ask: 'roots-changes' })).text, /^roots changes: [1-9]/);
  });

  it('a session that declares neither: roots from the host, sampling refused (not put to a client that cannot answer)', async () => {
    const client = await vscodeClient({});
    assert.deepEqual(await ask(client, { ask: 'roots' }), { text: 'roots: file:///home/user/project', isError: false });
    const sampled = await ask(client, { ask: 'sampling' });
    assert.equal(sampled.isError, true);
    assert.match(sampled.text, /no VS Code session/i);
  });

  it('with two sessions, the question goes to the one whose call is running', async () => {
    const asked: string[] = [];
    const answerAs = (who: string) => async () => {
      asked.push(who);
      return { role: 'assistant' as const, model: who, content: { type: 'text' as const, text: `from ${who}` } };
    };
    const first = await vscodeClient({ sampling: {} });
    const second = await vscodeClient({ sampling: {} });
    first.setRequestHandler(CreateMessageRequestSchema, answerAs('first'));
    second.setRequestHandler(CreateMessageRequestSchema, answerAs('second'));
    assert.equal((await ask(first, { ask: 'sampling' })).text, 'sampled by first: from first');
    assert.equal((await ask(second, { ask: 'sampling' })).text, 'sampled by second: from second');
    assert.deepEqual(asked, ['first', 'second']);
  });
});
