/**
 * Entry point: builds the core, registers views and commands. Nothing else lives here, and nothing here
 * connects to a server: connections start when the view or a command needs them (activation stays cheap).
 */
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const emptyTree: vscode.TreeDataProvider<never> = { getTreeItem: (e) => e, getChildren: () => [] };
  context.subscriptions.push(
    vscode.window.createTreeView('mcpTasks.tasks', { treeDataProvider: emptyTree }),
    vscode.commands.registerCommand('mcpTasks.refresh', () => undefined),
  );
  void vscode.commands.executeCommand('setContext', 'mcpTasks.serverCount', 0);
}

export function deactivate(): void {}
