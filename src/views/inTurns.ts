import type * as vscode from 'vscode';

/**
 * The tree data provider as VS Code is given it: the children of an element that has many (a server) are
 * handed over on an event-loop turn of their own. When the view opens, VS Code asks for the children of
 * every expanded server in one request and, as each answer comes, builds all its items at once (our
 * getTreeItem, then its own conversion): with ten servers that was one 70–140 ms stall of the extension
 * host (issue 13 asks < 50 ms). In turns, each server's share is a piece of its own, and timers, I/O and
 * other extensions run between them. Everything else goes to the provider itself (it keeps state).
 */
export function inTurns<T>(provider: vscode.TreeDataProvider<T>, many: (element: T) => boolean): vscode.TreeDataProvider<T> {
  return {
    onDidChangeTreeData: provider.onDidChangeTreeData,
    getTreeItem: (element) => provider.getTreeItem(element),
    getChildren: (element) => (element === undefined || !many(element) ? provider.getChildren(element) : nextTurn().then(() => provider.getChildren(element))),
    ...(provider.getParent ? { getParent: (element: T) => provider.getParent!(element) } : {}),
    ...(provider.resolveTreeItem ? { resolveTreeItem: (item: vscode.TreeItem, element: T, token: vscode.CancellationToken) => provider.resolveTreeItem!(item, element, token) } : {}),
  };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
