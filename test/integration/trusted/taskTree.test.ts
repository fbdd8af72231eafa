import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TaskTreeNode } from '../../../src/views/treeNodes';
import { connectedServer, extensionApi, waitFor } from '../helpers';

describe('task tree', () => {
  it('shows the configured server with its transport and state', async () => {
    const api = await extensionApi();
    await connectedServer(api, 'demo');
    const roots = api.tree.getChildren();
    const node = roots.find((n) => n.kind === 'server' && n.serverId === 'demo');
    assert.ok(node, 'the demo server is a top-level node');
    const item = api.tree.getTreeItem(node);
    assert.equal(item.label, 'demo');
    assert.equal(item.contextValue, 'server.connected');
    assert.doesNotMatch(String(item.description ?? ''), /stdio|connected/, 'a short row: the icon tells the state');
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'server-environment');
  });

  it('shows a started task at once, then its status change, firing only the changed element', async () => {
    const api = await extensionApi();
    const server = await connectedServer(api, 'demo');
    const fired: (TaskTreeNode | undefined)[] = [];
    const sub = api.tree.onDidChangeTreeData((e) => fired.push(...(Array.isArray(e) ? e : [e])));
    try {
      const task = await vscode.commands.executeCommand<{ taskId: string }>('mcpTasks.runToolAsTask', {
        serverId: 'demo',
        tool: 'slow-job',
        args: { steps: 3, stepMs: 700, label: 'tree' },
      });
      assert.ok(task?.taskId, 'the command returns the new task');
      const serverNode = api.tree.getChildren().find((n) => n.kind === 'server' && n.serverId === 'demo')!;
      const taskNode = api.tree.getChildren(serverNode).find((n) => n.kind === 'task' && n.taskId === task.taskId);
      assert.ok(taskNode, 'the new task is a child of its server');
      const working = api.tree.getTreeItem(taskNode);
      assert.equal(working.contextValue, 'task.working');
      assert.equal((working.iconPath as vscode.ThemeIcon).id, 'sync~spin');
      assert.equal(working.label, 'slow-job: tree', 'the tool and its most telling argument');
      assert.equal(working.tooltip, undefined, 'tooltips are resolved on hover');

      // Its server is fired (its page and count changed), or the whole tree when a configuration reload
      // (e.g. from an earlier test's settings) comes at the same moment.
      await waitFor('the tree to take in the new task', () => fired.includes(serverNode) || fired.includes(undefined));
      fired.length = 0;
      await waitFor('the task to complete in the tree', () => api.tree.getTreeItem(taskNode).contextValue === 'task.completed', 20_000);
      await waitFor('the change to be fired', () => fired.includes(taskNode), 2_000);
      const done = api.tree.getTreeItem(taskNode);
      assert.equal((done.iconPath as vscode.ThemeIcon).id, 'pass');
      // A status change repaints its own row only: not the server (which would repaint all its rows), not the tree.
      assert.ok(!fired.includes(serverNode), 'the server node was fired for a status change');
      assert.ok(!fired.includes(undefined), 'the whole tree was refreshed for a status change');
      assert.ok(server.store.get(task.taskId)?.status === 'completed');
    } finally {
      sub.dispose();
    }
  });

  it('fills the hover card on demand with the full status', async () => {
    const api = await extensionApi();
    const server = await connectedServer(api, 'demo');
    const task = await server.callToolAsTask('slow-job', { steps: 2, stepMs: 3000, label: 'hover' });
    const node = api.tree.nodeFor('demo', task.taskId);
    const item = api.tree.getTreeItem(node);
    const resolved = await api.tree.resolveTreeItem(item, node, new vscode.CancellationTokenSource().token);
    const md = resolved.tooltip as vscode.MarkdownString;
    assert.ok(md instanceof vscode.MarkdownString);
    assert.equal(md.isTrusted, false, 'server text must not run commands');
    for (const expected of [task.taskId, 'working', 'demo', 'Poll interval', 'TTL', 'Created']) {
      assert.ok(md.value.includes(expected), `hover mentions ${expected}:\n${md.value}`);
    }
  });

  // The hover holds back repaints of the row under the pointer (a repaint closes its card), not of the whole
  // tree: the e2e screenshot showed a task's toast asking for input while its row still said working.
  it('a hover holds back its own row only: another task\'s progress is shown at once, the held row after', async () => {
    const api = await extensionApi();
    const server = await connectedServer(api, 'demo');
    const start = (label: string) => vscode.commands.executeCommand<{ taskId: string }>('mcpTasks.runToolAsTask', { serverId: 'demo', tool: 'slow-job', args: { steps: 8, stepMs: 600, label } });
    const hovered = await start('hovered');
    const other = await start('other');
    const serverNode = api.tree.nodeFor('demo');
    await waitFor('both rows to be shown', () => {
      const ids = api.tree.getChildren(serverNode).map((n) => (n.kind === 'task' ? n.taskId : ''));
      return ids.includes(hovered.taskId) && ids.includes(other.taskId);
    });
    const hoveredNode = api.tree.nodeFor('demo', hovered.taskId);
    const otherNode = api.tree.nodeFor('demo', other.taskId);
    const fired = new Map<TaskTreeNode | undefined, number>();
    const firedSub = api.tree.onDidChangeTreeData((e) => {
      for (const n of Array.isArray(e) ? e : [e]) if (!fired.has(n)) fired.set(n, Date.now());
    });
    const changed = new Map<string, number>();
    const changeSub = server.store.onDidChange((c) => {
      for (const t of c.changed) if (!changed.has(t.taskId) && t.statusMessage) changed.set(t.taskId, Date.now());
    });
    try {
      await api.tree.resolveTreeItem(api.tree.getTreeItem(hoveredNode), hoveredNode, new vscode.CancellationTokenSource().token);
      await waitFor('the other task to report a step', () => changed.get(other.taskId));
      await waitFor('the hovered task to report a step', () => changed.get(hovered.taskId));
      // A flush is at most 250 ms away; under load allow a second. Before, every row waited out the 4 s hold.
      const otherShown = await waitFor('the other row to be fired', () => fired.get(otherNode) ?? fired.get(serverNode) ?? fired.get(undefined), 6_000);
      assert.ok(otherShown - changed.get(other.taskId)! < 1_500, `the other row was fired ${otherShown - changed.get(other.taskId)!} ms after its change`);
      // The held row is not lost: it is fired once the hold is over.
      await waitFor('the hovered row to be fired after the hold', () => fired.get(hoveredNode) ?? fired.get(serverNode) ?? fired.get(undefined), 8_000);
    } finally {
      firedSub.dispose();
      changeSub.dispose();
      await Promise.allSettled([server.cancelTask(hovered.taskId), server.cancelTask(other.taskId)]);
    }
  });

  it('peeks at a server: its source and its tasks by status', async () => {
    const api = await extensionApi();
    const server = await connectedServer(api, 'demo');
    const task = await server.callToolAsTask('slow-job', { steps: 1, stepMs: 50, label: 'peek' });
    await waitFor('the task to complete', () => server.store.get(task.taskId)?.status === 'completed');
    const node = api.tree.nodeFor('demo');
    const item = await api.tree.resolveTreeItem(api.tree.getTreeItem(node), node, new vscode.CancellationTokenSource().token);
    const md = item.tooltip as vscode.MarkdownString;
    assert.match(md.value, /mcp\.json/);
    assert.match(md.value, /\d+(&nbsp;|\s)completed/, 'the breakdown by status');
  });

  it('shows a server that cannot start, with its error', async () => {
    const api = await extensionApi();
    const cfg = vscode.workspace.getConfiguration('mcpTasks');
    await cfg.update('servers', { broken: { command: 'mcp-tasks-no-such-command', args: [] } }, vscode.ConfigurationTarget.Workspace);
    try {
      const server = await waitFor('the broken server to fail', () => {
        const s = api.registry.get('broken');
        return s && (s.state.kind === 'failed' || s.state.kind === 'disconnected') ? s : undefined;
      }, 30_000);
      const item = api.tree.getTreeItem(api.tree.nodeFor(server.id));
      assert.match(String(item.contextValue), /^server\.(failed|disconnected)$/);
      assert.match(String(item.description), /failed|disconnected/);
      assert.equal((item.iconPath as vscode.ThemeIcon).id, item.contextValue === 'server.failed' ? 'error' : 'debug-disconnect');
    } finally {
      await cfg.update('servers', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitFor('the broken server to be removed', () => !api.registry.get('broken'));
  });
});
