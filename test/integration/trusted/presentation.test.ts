import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatLocalTime, type TrackedTask } from '../../../src/core';
import { ROW_TITLE_MAX, taskRow } from '../../../src/views/taskPresentation';
import { taskItem } from '../../../src/views/treeItems';
import { connectedServer, extensionApi, waitFor } from '../helpers';

const DEMO_SERVER = path.resolve(__dirname, '../../fixtures/demo-server/main.js');
const FAULT_SERVER = path.resolve(__dirname, '../../fixtures/fault-server/main.js');
const EXTENSION_ID = 'mcp-tasks-dev.mcp-tasks-vscode';
/** A relative age as rows used to show it ("0s", "4m"): frozen between task changes, so a lie. */
const AGE = /(^|\s|·)\d+[smhd]($|\s|·)/;

/** What the tree holds for a task, as text. */
function row(api: Awaited<ReturnType<typeof extensionApi>>, serverId: string, taskId: string): { label: string; description: string; aria: string } {
  const item = api.tree.getTreeItem(api.tree.nodeFor(serverId, taskId));
  return { label: String(item.label), description: String(item.description ?? ''), aria: item.accessibilityInformation?.label ?? '' };
}

describe('what the rows say', () => {
  const cfg = () => vscode.workspace.getConfiguration('mcpTasks');
  after(async () => {
    await cfg().update('servers', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('a row shows no relative age (it could only go stale); the hover carries the times', async () => {
    const api = await extensionApi();
    const server = await connectedServer(api, 'demo');
    const task = await server.callToolAsTask('slow-job', { steps: 1, stepMs: 50, label: 'age' });
    await waitFor('the task to complete', () => server.store.get(task.taskId)?.status === 'completed');
    const { description, label } = row(api, 'demo', task.taskId);
    assert.doesNotMatch(`${label} ${description}`, AGE, `the row shows an age: "${label}" "${description}"`);
    const node = api.tree.nodeFor('demo', task.taskId);
    const hover = (await api.tree.resolveTreeItem(api.tree.getTreeItem(node), node, new vscode.CancellationTokenSource().token)).tooltip as vscode.MarkdownString;
    assert.match(hover.value, /Created/);
  });

  it('labels a task started here with its tool, and its most telling argument when the model has it', async () => {
    const api = await extensionApi();
    const server = await connectedServer(api, 'demo');
    const task = await server.callToolAsTask('slow-job', { steps: 4, stepMs: 600, label: 'report' });
    await waitFor('a status message', () => server.store.get(task.taskId)?.statusMessage);
    const shown = row(api, 'demo', task.taskId);
    assert.match(shown.label, /^slow-job/);
    assert.doesNotMatch(shown.description, new RegExp(task.taskId.slice(0, 8)), 'the id is in the hover, not the row');
    assert.equal(shown.description, server.store.get(task.taskId)!.statusMessage, 'the status message is the description');
    // The arguments are passed to callToolAsTask; once the model keeps them (toolArgs) the row shows one.
    const withArgs = { ...server.store.get(task.taskId)!, toolArgs: { steps: 4, stepMs: 600, label: 'quarterly report' } } as TrackedTask;
    assert.equal(taskRow(withArgs).label, 'slow-job: quarterly report');
    const other = { ...withArgs, toolArgs: { steps: 4, label: 'weekly digest' } } as TrackedTask;
    assert.notEqual(taskRow(other).label, taskRow(withArgs).label, 'two runs of one tool look different');
    assert.ok(taskRow({ ...withArgs, toolArgs: { label: 'x'.repeat(200) } } as TrackedTask).label.length <= ROW_TITLE_MAX, 'a long argument is cut so the message stays in view');
    // Label and description together fit the default width; a message with too little room is left to the
    // hover (and the screen reader), never cut to a useless "wa…"; who started it always shows.
    const asking = { ...withArgs, toolArgs: { label: 'x'.repeat(200) }, statusMessage: 'waiting for an answer: Which toast colour?' } as TrackedTask;
    const fitted = taskRow(asking);
    assert.ok((fitted.description === '' || fitted.description.length >= 8) && fitted.label.length + fitted.description.length <= 32, `"${fitted.label}" "${fitted.description}"`);
    assert.equal(taskRow({ ...asking, startedBy: 'vscode' }).description, 'VS Code');
    assert.match(taskRow({ ...asking, startedBy: 'vscode' }).aria, /Which toast colour\?/);
    await server.cancelTask(task.taskId).catch(() => undefined);
  });

  it('labels a task the server started with its status message, not a hex id', async () => {
    const api = await extensionApi();
    await cfg().update('servers', { 'demo-made': { command: process.execPath, args: [DEMO_SERVER, '--demo'] } }, vscode.ConfigurationTarget.Workspace);
    const server = await connectedServer(api, 'demo-made');
    await server.refresh();
    const t = await waitFor('a server-made task with a message', () => server.store.list().find((x) => !x.toolName && x.status === 'working' && x.statusMessage));
    await waitFor('the tree to show it', () => api.tree.getChildren(api.tree.nodeFor('demo-made')).some((n) => n.kind === 'task' && n.taskId === t.taskId));
    const shown = row(api, 'demo-made', t.taskId);
    const now = server.store.get(t.taskId)!;
    assert.doesNotMatch(shown.label, /^[0-9a-f]{8}$/, `a hex id: ${shown.label}`);
    assert.equal(shown.label, now.statusMessage);
    assert.match(shown.aria, /, working/);
  });

  it('keeps the server row short, says "No tasks" under an empty server, and names the view once', async () => {
    const api = await extensionApi();
    await cfg().update('servers', { empty: { command: process.execPath, args: [FAULT_SERVER] } }, vscode.ConfigurationTarget.Workspace);
    await connectedServer(api, 'empty');
    const serverItem = api.tree.getTreeItem(api.tree.nodeFor('empty'));
    assert.doesNotMatch(String(serverItem.description ?? ''), /stdio|connected/, 'transport and state are in the icon and the hover');
    const children = api.tree.getChildren(api.tree.nodeFor('empty'));
    assert.equal(children.length, 1);
    assert.equal(api.tree.getTreeItem(children[0]!).label, 'No tasks');
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    assert.equal(pkg.contributes.views.mcpTasks[0].name, pkg.contributes.viewsContainers.activitybar[0].title, 'a single view named like its container gets one title');
  });
});

describe('tasks with a status the extension does not know', () => {
  const cfg = () => vscode.workspace.getConfiguration('mcpTasks');
  after(async () => {
    await cfg().update('servers', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('are counted apart from running ones and are not offered Cancel', async () => {
    const api = await extensionApi();
    await cfg().update('servers', { liar: { command: process.execPath, args: [FAULT_SERVER, '--fault', 'lie-status'] } }, vscode.ConfigurationTarget.Workspace);
    const server = await connectedServer(api, 'liar');
    const task = await server.callToolAsTask('endless', {});
    await waitFor('the status to read unknown', () => server.store.get(task.taskId)?.status === 'unknown', 20_000);
    const counts = api.statusBar.counts() as { running: number; waiting: number; unknown?: number };
    assert.equal(counts.unknown, 1, JSON.stringify(counts));
    await waitFor('the status bar to name it', () => /unknown/.test(api.statusBar.text), 5_000);
    // The menus offer Cancel only where the core can cancel.
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    const cancelWhens: string[] = pkg.contributes.menus['view/item/context'].filter((m: { command: string }) => m.command === 'mcpTasks.cancelTask').map((m: { when: string }) => m.when);
    assert.ok(cancelWhens.length > 0);
    for (const when of cancelWhens) assert.doesNotMatch(when, /unknown/);
    const ctx = api.tree.getTreeItem(api.tree.nodeFor('liar', task.taskId)).contextValue;
    assert.equal(ctx, 'task.unknown');
  });
});

describe('the result document', () => {
  it('opens rendered, with local times like the hover and no escapes in the text', async () => {
    const api = await extensionApi();
    const server = await connectedServer(api, 'demo');
    const task = await server.callToolAsTask('slow-job', { steps: 1, stepMs: 50, label: 'rendered-doc' });
    await waitFor('the task to complete', () => server.store.get(task.taskId)?.status === 'completed');
    const uri = await vscode.commands.executeCommand<vscode.Uri>('mcpTasks.openTaskResult', { serverId: 'demo', taskId: task.taskId });
    await waitFor('a Markdown preview to be the active tab', () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputWebview && /markdown/i.test(input.viewType);
    }, 10_000);
    const doc = await vscode.workspace.openTextDocument(uri);
    await waitFor('the result', () => doc.getText().includes('done: rendered-doc'));
    const text = doc.getText();
    assert.doesNotMatch(text, /\\[-.:_#()]/, `escapes show:\n${text}`);
    const t = server.store.get(task.taskId)!;
    assert.ok(text.includes(formatLocalTime(t.createdAt)!), `local time ${formatLocalTime(t.createdAt)} in:\n${text}`);
    assert.ok(!text.includes(t.createdAt!), 'no ISO UTC time');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('says a cancelled task was cancelled, when, and that there is no result', async () => {
    const api = await extensionApi();
    const server = await connectedServer(api, 'demo');
    const task = await server.callToolAsTask('endless-job', { tickMs: 300 });
    await server.cancelTask(task.taskId);
    const uri = await vscode.commands.executeCommand<vscode.Uri>('mcpTasks.openTaskResult', { serverId: 'demo', taskId: task.taskId });
    const doc = await vscode.workspace.openTextDocument(uri);
    await new Promise((r) => setTimeout(r, 1000)); // a result fetch, if one were made, has answered
    const text = doc.getText();
    assert.match(text, /cancelled/i);
    assert.match(text, /no result/i);
    assert.doesNotMatch(text, /-32603|has no result stored|## Error/, text);
    const when = server.store.get(task.taskId)!.lastUpdatedAt;
    if (when) assert.ok(text.includes(formatLocalTime(when)!), `when it was cancelled:\n${text}`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a task whose question is open shows as waiting for input, before the server\'s status says so', async () => {
    // The question reaches us on the tasks/result stream; the status push or next poll that says
    // input_required may come a moment later. Seen in the e2e screenshot: the toast asked while the row spun.
    const api = await extensionApi();
    const server = await connectedServer(api, 'demo');
    const task = await server.callToolAsTask('slow-job', { steps: 1, stepMs: 50, label: 'asks' });
    await waitFor('the task to complete', () => server.store.get(task.taskId)?.status === 'completed');
    const working = { ...server.store.get(task.taskId)!, status: 'working' } as TrackedTask;
    const asking = { ...working, inputRequest: { message: 'Which colour?', receivedAt: Date.now() } } as TrackedTask;
    const node = { kind: 'task', serverId: 'demo', taskId: task.taskId } as const;
    const icon = (t: TrackedTask) => (taskItem(node, t).iconPath as vscode.ThemeIcon).id;
    assert.equal(icon(working), 'sync~spin');
    assert.equal(icon(asking), 'bell-dot');
    assert.equal(taskItem(node, asking).contextValue, 'task.input_required', 'the Answer action is offered');
    assert.match(taskRow(asking).aria, /input required/);
  });
});
