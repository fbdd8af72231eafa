import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TrackedTask } from '../../../src/core/model/TaskModel';
import { connectedServer, extensionApi, waitFor } from '../helpers';

describe('task commands', () => {
  // The same commands on a server of each protocol generation: nothing in the UI differs.
  for (const serverId of ['demo', 'demo2026']) {
    it(`opens a result document that says the task is working, then updates itself with the result (${serverId})`, async () => {
      const api = await extensionApi();
      const server = await connectedServer(api, serverId);
      const task = await server.callToolAsTask('slow-job', { steps: 2, stepMs: 800, label: 'document' });
      const uri = await vscode.commands.executeCommand<vscode.Uri>('mcpTasks.openTaskResult', { serverId, taskId: task.taskId });
      const doc = await vscode.workspace.openTextDocument(uri);
      assert.match(doc.getText(), /still working/);
      assert.equal(doc.languageId, 'markdown');
      await waitFor('the document to show the result', () => doc.getText().includes('done: document'), 20_000);
      assert.match(doc.getText(), /— completed/);
      assert.match(doc.getText(), /## Raw result/);
    });

    it(`cancels the selected task from the tree (${serverId})`, async () => {
      const api = await extensionApi();
      const server = await connectedServer(api, serverId);
      const task = await server.callToolAsTask('endless-job', { tickMs: 200 });
      const node = api.tree.nodeFor(serverId, task.taskId);
      const cancelled = await vscode.commands.executeCommand<TrackedTask[]>('mcpTasks.cancelTask', node);
      assert.equal(cancelled.length, 1);
      await waitFor('the tree to show it cancelled', () => api.tree.getTreeItem(node).contextValue === 'task.cancelled');
      assert.equal((api.tree.getTreeItem(node).iconPath as vscode.ThemeIcon).id, 'circle-slash');
    });
  }

  it('cancels from the palette through a pick list of cancellable tasks', async () => {
    const api = await extensionApi();
    const server = await connectedServer(api, 'demo');
    const task = await server.callToolAsTask('endless-job', { tickMs: 200 });
    const running = vscode.commands.executeCommand<TrackedTask[]>('mcpTasks.cancelTask');
    // The newest cancellable task is the first item: tick it and accept, as a user would with the keyboard.
    await new Promise((r) => setTimeout(r, 800));
    await vscode.commands.executeCommand('quickInput.first');
    await vscode.commands.executeCommand('quickInput.toggleCheckbox');
    await vscode.commands.executeCommand('quickInput.accept');
    const cancelled = await running;
    assert.deepEqual(cancelled.map((t) => t.taskId), [task.taskId]);
    await waitFor('the store to hold it cancelled', () => server.store.get(task.taskId)?.status === 'cancelled');
  });

  it('gets a fresh status for a task', async () => {
    const api = await extensionApi();
    const server = await connectedServer(api, 'demo');
    const task = await server.callToolAsTask('slow-job', { steps: 1, stepMs: 200, label: 'status' });
    await new Promise((r) => setTimeout(r, 600));
    const fresh = await vscode.commands.executeCommand<TrackedTask>('mcpTasks.getTaskStatus', { serverId: 'demo', taskId: task.taskId });
    assert.equal(fresh.status, 'completed');
  });

  it('runs a tool as a task and refuses a forbidden one', async () => {
    const api = await extensionApi();
    await connectedServer(api, 'demo');
    const ok = await vscode.commands.executeCommand<TrackedTask>('mcpTasks.runToolAsTask', { serverId: 'demo', tool: 'maybe-task', args: { text: 'x' } });
    assert.ok(ok?.taskId);
    assert.equal(ok.toolName, 'maybe-task');
    const refused = await vscode.commands.executeCommand<TrackedTask | undefined>('mcpTasks.runToolAsTask', { serverId: 'demo', tool: 'quick-echo', args: { text: 'x' } });
    assert.equal(refused, undefined, 'a forbidden tool does not start a task');
  });
});
