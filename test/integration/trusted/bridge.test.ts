import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TrackedTask } from '../../../src/core';
import type { TaskServer } from '../../../src/core/servers/TaskServer';
import { connectedServer, extensionApi, startThroughBridge, stopThroughBridge, waitFor } from '../helpers';

/**
 * VS Code's own MCP client reaching a server through the extension (issue 12): the test workspace's "demo"
 * server is offered (mcpTasks.bridge.offerMcpJsonServers), VS Code starts it from the provider and calls its
 * tools with `vscode.lm.invokeTool` — the path chat takes. The tasks it starts must show in our tree.
 */
/** The promise's value if it settles within a moment, else undefined. */
function soon<T>(promise: Promise<T>): Promise<T | undefined> {
  return Promise.race([promise, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 200))]);
}

describe('tasks VS Code starts (the MCP bridge)', function () {
  this.timeout(90_000);
  const settings = () => vscode.workspace.getConfiguration('mcpTasks.bridge');

  /** The offered demo server's tool, found by its description (VS Code's tool names are not stable). */
  async function toolLike(description: RegExp): Promise<vscode.LanguageModelToolInformation> {
    return waitFor(`a tool like ${description}`, () => vscode.lm.tools.find((t) => t.tags.includes('mcp') && description.test(t.description)), 30_000);
  }

  async function vscodeTask(tool: string): Promise<TrackedTask> {
    const api = await extensionApi();
    const server = await connectedServer(api, 'demo');
    return waitFor(`a ${tool} task started by VS Code`, () => server.store.list().find((t) => t.startedBy === 'vscode' && t.toolName === tool && !['completed', 'failed', 'cancelled'].includes(t.status)) ?? server.store.list().find((t) => t.startedBy === 'vscode' && t.toolName === tool && t.status === 'failed'), 30_000);
  }

  before(async () => {
    const api = await extensionApi();
    await settings().update('offerMcpJsonServers', ['demo'], vscode.ConfigurationTarget.Workspace);
    const offers = await vscode.commands.executeCommand<Array<{ name: string; offered: boolean }>>('mcpTasks.showOfferedServers', { quiet: true });
    assert.ok(offers.find((o) => o.name === 'demo')?.offered, 'demo is offered');
    assert.equal(offers.find((o) => o.name === 'demo2026')?.offered, false, 'an mcp.json server not listed is not offered');
    await startThroughBridge(api, 'demo');
  });

  after(async () => {
    await stopThroughBridge('demo');
    await settings().update('offerMcpJsonServers', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('shows a task VS Code started in the tree, marked as VS Code\'s; cancelling it there ends VS Code\'s call', async () => {
    const api = await extensionApi();
    const tool = await toolLike(/Works through `steps` steps/);
    const call = vscode.lm.invokeTool(tool.name, { input: { steps: 60, stepMs: 500, label: 'from-vscode' }, toolInvocationToken: undefined });
    const settled = Promise.resolve(call).then(() => 'resolved', (e: unknown) => `rejected: ${e instanceof Error ? e.message : String(e)}`);
    const task = await vscodeTask('slow-job');
    assert.deepEqual(task.toolArgs, { steps: 60, stepMs: 500, label: 'from-vscode' });
    const node = api.tree.nodeFor('demo', task.taskId);
    assert.ok(node, 'the task is in the tree');
    const item = api.tree.getTreeItem(node);
    assert.equal(item.label, 'slow-job: from-vscode');
    assert.match(String(item.description), /VS Code/);
    await vscode.commands.executeCommand('mcpTasks.cancelTask', node);
    const outcome = await waitFor('VS Code\'s call to end', () => soon(settled), 30_000);
    assert.match(outcome, /rejected.*cancel/i);
  });

  it('a failing task VS Code started shows its error', async () => {
    const api = await extensionApi();
    const tool = await toolLike(/Fails after `afterMs` ms/);
    const call = vscode.lm.invokeTool(tool.name, { input: { afterMs: 300, reason: 'bridged failure' }, toolInvocationToken: undefined });
    await assert.rejects(Promise.resolve(call), /failed/i);
    const server = await connectedServer(api, 'demo');
    const failed = await waitFor('the failed task', () => server.store.list().find((t) => t.startedBy === 'vscode' && t.toolName === 'failing-job' && t.status === 'failed'));
    const item = api.tree.getTreeItem(api.tree.nodeFor('demo', failed.taskId)!);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'error');
    assert.match(`${String(item.description)} ${server.store.get(failed.taskId)?.statusMessage ?? ''}`, /bridged failure/, 'the error is shown');
  });

  it('a question of a task VS Code started reaches the tree (bell); cancelling there ends VS Code\'s call', async () => {
    const api = await extensionApi();
    const server = await connectedServer(api, 'demo');
    const tool = await toolLike(/asks `question` through an elicitation/);
    const call = vscode.lm.invokeTool(tool.name, { input: { question: 'Bridged colour?' }, toolInvocationToken: undefined });
    const settled = Promise.resolve(call).then(() => 'resolved', (e: unknown) => `rejected: ${e instanceof Error ? e.message : String(e)}`);
    const task = await vscodeTask('needs-input');
    await waitFor('the question in the tree', () => server.store.get(task.taskId)?.inputRequest?.message === 'Bridged colour?', 30_000);
    const item = api.tree.getTreeItem(api.tree.nodeFor('demo', task.taskId)!);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'bell-dot');
    await vscode.commands.executeCommand('mcpTasks.cancelTask', api.tree.nodeFor('demo', task.taskId));
    const outcome = await waitFor('VS Code\'s call to end', () => soon(settled), 30_000);
    assert.match(outcome, /rejected/);
  });

  it('a task whose call VS Code cancelled is marked abandoned (VS Code sends nothing; it stops polling), with Cancel offered', async () => {
    const api = await extensionApi();
    const server = await connectedServer(api, 'demo');
    const tool = await toolLike(/Works through `steps` steps/);
    const token = new vscode.CancellationTokenSource();
    const call = vscode.lm.invokeTool(tool.name, { input: { steps: 60, stepMs: 500, label: 'given-up' }, toolInvocationToken: undefined }, token.token);
    const settled = Promise.resolve(call).then(() => 'resolved', () => 'rejected');
    const task = await waitFor('the task', () => server.store.list().find((t) => t.startedBy === 'vscode' && t.toolArgs?.label === 'given-up'), 30_000);
    token.cancel();
    assert.equal(await settled, 'rejected');
    const abandoned = await waitFor('the task to be marked abandoned', () => server.store.get(task.taskId)?.abandoned === true, 30_000);
    assert.ok(abandoned);
    const item = api.tree.getTreeItem(api.tree.nodeFor('demo', task.taskId)!);
    assert.match(String(item.description), /abandoned by VS Code/);
    assert.equal(item.contextValue, 'task.working', 'still running, so Cancel is offered');
    await vscode.commands.executeCommand('mcpTasks.cancelTask', api.tree.nodeFor('demo', task.taskId));
    await waitFor('the abandoned task to be cancelled', () => server.store.get(task.taskId)?.status === 'cancelled');
  });

  it('a question of a task VS Code started is answered from the tree; the answer completes VS Code\'s call', async () => {
    const api = await extensionApi();
    const server = await connectedServer(api, 'demo');
    const tool = await toolLike(/asks `question` through an elicitation/);
    const call = vscode.lm.invokeTool(tool.name, { input: { question: 'Answered colour?' }, toolInvocationToken: undefined });
    const settled = Promise.resolve(call).then((r) => r.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join(''), (e: unknown) => `rejected: ${e instanceof Error ? e.message : String(e)}`);
    const task = await waitFor('the task', () => server.store.list().find((t) => t.startedBy === 'vscode' && t.toolArgs?.question === 'Answered colour?'), 30_000);
    await waitFor('the question in the tree', () => server.store.get(task.taskId)?.inputRequest, 30_000);
    // The tree's Answer Input Request: the form's one field is accepted as it stands (the test cannot type).
    const answering = vscode.commands.executeCommand('mcpTasks.answerInput', { serverId: 'demo', taskId: task.taskId });
    await waitFor('the answer to be sent', async () => {
      await vscode.commands.executeCommand('quickInput.accept');
      return (await soon(Promise.resolve(answering))) === 'answered';
    }, 20_000);
    const text = await waitFor('VS Code\'s call to end', () => soon(settled), 30_000);
    assert.match(text, /"answer"/, 'VS Code got the result the answer produced');
    await waitFor('the task to complete', () => server.store.get(task.taskId)?.status === 'completed');
  });

  it('a server\'s roots/list is answered by VS Code\'s own client (its workspace folders) through the bridge', async () => {
    const api = await extensionApi();
    // The core's seam the server's request takes (our connection's roots/list handler asks it): the test asks
    // it directly, as the demo server in this workspace has no tool that asks (node tests cover that part).
    const server = (await connectedServer(api, 'demo')) as unknown as Pick<TaskServer, 'bridgeSeam'>;
    const toVsCode = server.bridgeSeam.clientRelay?.({ method: 'roots/list' });
    assert.ok(toVsCode, 'a VS Code session that declares roots is connected through the bridge');
    const answer = (await toVsCode(new AbortController().signal)) as { roots?: Array<{ uri: string }> };
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.toString());
    assert.ok(folders.length > 0);
    assert.deepEqual(answer.roots?.map((r) => r.uri), folders);
  });

  it('refuses a request without the token (401)', async () => {
    const api = await extensionApi();
    const def = await api.bridge.resolve('demo');
    assert.ok(def);
    const res = await fetch(def.url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    assert.equal(res.status, 401);
  });
});
