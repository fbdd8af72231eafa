import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DEMO_SERVER_2026_MAIN } from '../../fixtures/demo-server-2026/spawn';
import { connectedServer, extensionApi, startThroughBridge, stopThroughBridge, waitFor } from '../helpers';

/**
 * VS Code's own MCP client (2025-11-25 only) using a 2026-07-28 server through the extension: the test
 * workspace's "demo2026" server is offered, VS Code starts it from the provider and calls its tools with
 * `vscode.lm.invokeTool`; the bridge translates. Its tools are told apart from the 2025 demo server's by the
 * descriptions only the 2026 fixture has.
 */
function soon<T>(promise: Promise<T>): Promise<T | undefined> {
  return Promise.race([promise, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 200))]);
}

describe('tasks VS Code starts on a 2026-07-28 server (the MCP bridge translates)', function () {
  this.timeout(90_000);
  const settings = () => vscode.workspace.getConfiguration('mcpTasks.bridge');

  async function toolLike(description: RegExp): Promise<vscode.LanguageModelToolInformation> {
    return waitFor(`a tool like ${description}`, () => vscode.lm.tools.find((t) => t.tags.includes('mcp') && description.test(t.description)), 30_000);
  }

  before(async () => {
    const api = await extensionApi();
    await settings().update('offerMcpJsonServers', ['demo2026'], vscode.ConfigurationTarget.Workspace);
    const offers = await vscode.commands.executeCommand<Array<{ name: string; offered: boolean }>>('mcpTasks.showOfferedServers', { quiet: true });
    assert.ok(offers.find((o) => o.name === 'demo2026')?.offered, 'demo2026 is offered');
    await startThroughBridge(api, 'demo2026');
  });

  after(async () => {
    await stopThroughBridge('demo2026');
    await settings().update('offerMcpJsonServers', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('shows the task VS Code started in the tree as VS Code\'s, with its question; cancelling it there ends VS Code\'s call', async () => {
    const api = await extensionApi();
    const server = await connectedServer(api, 'demo2026');
    const tool = await toolLike(/goes input_required with one form elicitation/);
    const call = vscode.lm.invokeTool(tool.name, { input: { question: 'Translated colour?' }, toolInvocationToken: undefined });
    const settled = Promise.resolve(call).then(() => 'resolved', (e: unknown) => `rejected: ${e instanceof Error ? e.message : String(e)}`);
    const task = await waitFor('the task', () => server.store.list().find((t) => t.startedBy === 'vscode' && t.toolArgs?.question === 'Translated colour?'), 30_000);
    assert.equal(task.toolName, 'needs-input');
    await waitFor('the question in the tree', () => server.store.get(task.taskId)?.inputRequest?.message === 'Translated colour?', 30_000);
    const item = api.tree.getTreeItem(api.tree.nodeFor('demo2026', task.taskId)!);
    assert.match(String(item.description), /VS Code/);
    await vscode.commands.executeCommand('mcpTasks.cancelTask', api.tree.nodeFor('demo2026', task.taskId));
    const outcome = await waitFor('VS Code\'s call to end', () => soon(settled), 30_000);
    assert.match(outcome, /rejected/);
    await waitFor('the task to be cancelled', () => server.store.get(task.taskId)?.status === 'cancelled');
  });

  it('a plain answer reaches VS Code; a failed task rejects VS Code\'s call', async () => {
    const echo = await toolLike(/Echoes `text` immediately as a plain result/);
    const result = await vscode.lm.invokeTool(echo.name, { input: { text: 'through the bridge' }, toolInvocationToken: undefined });
    const text = result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
    assert.match(text, /echo: through the bridge/);
    const failing = await toolLike(/the task ends `failed` with a JSON-RPC error/);
    await assert.rejects(Promise.resolve(vscode.lm.invokeTool(failing.name, { input: { afterMs: 200, reason: 'translated failure' }, toolInvocationToken: undefined })), /failed/i);
  });
});

/**
 * A 2026-07-28 server without the tasks extension (`--no-tasks`), defined for this extension only (so offered
 * without opting in): VS Code's own client calls its tools plainly through the bridge and gets their results.
 * Its tools are told apart by their descriptions, which say so in that mode.
 */
describe('VS Code calls a 2026-07-28 server without the tasks extension (the MCP bridge passes plain calls on)', function () {
  this.timeout(90_000);
  const cfg = () => vscode.workspace.getConfiguration('mcpTasks');

  before(async () => {
    const api = await extensionApi();
    await cfg().update('servers', { notasks2026: { type: 'stdio', command: process.execPath, args: [DEMO_SERVER_2026_MAIN, '--no-tasks'], protocol: '2026-07-28' } }, vscode.ConfigurationTarget.Workspace);
    await connectedServer(api, 'notasks2026');
    await startThroughBridge(api, 'notasks2026');
  });

  after(async () => {
    await stopThroughBridge('notasks2026');
    await cfg().update('servers', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('invokeTool runs the tool on the server and returns its result (no task: the server has none)', async () => {
    const api = await extensionApi();
    const tool = await waitFor('the no-tasks server\'s slow-job', () => vscode.lm.tools.find((t) => /reporting "step i\/N".*Served without the tasks extension/.test(t.description)), 30_000).catch((err: unknown) => {
      throw new Error(`${err instanceof Error ? err.message : String(err)}; tools: ${vscode.lm.tools.map((t) => t.name).join(', ')}`);
    });
    const result = await vscode.lm.invokeTool(tool.name, { input: { steps: 2, stepMs: 100, label: 'no tasks here' }, toolInvocationToken: undefined });
    const text = result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
    // VS Code hands on the structured content when there is some ({steps, label}), else the text.
    assert.match(text, /done: no tasks here after 2 steps|"steps":2,"label":"no tasks here"/);
    const server = await connectedServer(api, 'notasks2026');
    assert.equal(server.store.list().length, 0, 'a plain call is no task in the tree');
  });
});
