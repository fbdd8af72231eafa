// The floor of the view-open bench (bench/host/viewOpen.ts): a tree view VS Code opens the same way as MCP
// Tasks' view, with the same rows (groups expanded, each a page of rows and a "Show more" row; task-like
// items carrying the same fields: id, label, description, spinning theme icon, context value, accessibility
// label, a command with an argument), made from nothing: the elements exist before the view opens and an
// item is built from its element without any lookup. Whatever its first open costs is VS Code's own.
// Plain JavaScript, loaded as is (an extension folder code-server is given beside the one under test).
'use strict';
const vscode = require('vscode');

exports.activate = (context) => {
  const changed = new vscode.EventEmitter();
  let roots = [];
  const provider = {
    onDidChangeTreeData: changed.event,
    getChildren: (el) => (el ? el.children ?? [] : roots),
    getTreeItem(el) {
      if (el.children) {
        const item = new vscode.TreeItem(el.label, vscode.TreeItemCollapsibleState.Expanded);
        item.id = el.id;
        item.description = `${el.count} tasks`;
        item.iconPath = new vscode.ThemeIcon('server-environment', new vscode.ThemeColor('testing.iconPassed'));
        item.contextValue = 'server.connected';
        return item;
      }
      const item = new vscode.TreeItem(el.label);
      item.id = el.id;
      item.description = el.description;
      item.iconPath = new vscode.ThemeIcon(el.more ? 'unfold' : 'sync~spin', el.more ? undefined : new vscode.ThemeColor('charts.blue'));
      item.contextValue = el.more ? 'showMore' : 'task.working';
      // Like a task row's ("<label>, working"): the bench's row watcher knows a task row by it.
      if (!el.more) item.accessibilityInformation = { label: `${el.label}, working` };
      item.command = { command: 'benchBaseline.open', title: 'Open', arguments: [el] };
      return item;
    },
  };
  context.subscriptions.push(
    vscode.window.createTreeView('benchBaseline.rows', { treeDataProvider: provider, canSelectMany: true, showCollapseAll: true }),
    // (groups, rows per group, tasks per group): the rows to show from now on.
    vscode.commands.registerCommand('benchBaseline.shape', (groups, rows, count) => {
      roots = Array.from({ length: groups }, (_, g) => {
        const children = Array.from({ length: rows }, (_, r) => ({ id: `row:${g}/${r}`, label: `row ${g}-${r}`, description: `step ${r} of 100` }));
        if (count > rows) children.push({ id: `more:${g}`, label: `Show 100 more (${count - rows} not shown)`, more: true });
        return { id: `group:${g}`, label: `group ${g}`, count, children };
      });
      changed.fire(undefined);
      return roots.reduce((n, g) => n + 1 + g.children.length, 0);
    }),
    vscode.commands.registerCommand('benchBaseline.open', () => undefined),
    changed,
  );
};
