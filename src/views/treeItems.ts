import * as vscode from 'vscode';
import { showMoreLabel } from './taskPaging';
import type { LoadMoreNode, MessageNode, ProblemNode, ShowMoreNode } from './treeNodes';

// The rows that are not a server or a task: their look depends on the node alone (and a count).

/** Grows its server's page; `remaining` is how many tasks are beyond the page. */
export function showMoreItem(node: ShowMoreNode, remaining: number): vscode.TreeItem {
  const item = new vscode.TreeItem(showMoreLabel(remaining));
  item.id = `more:${node.serverId}`;
  item.iconPath = new vscode.ThemeIcon('unfold');
  item.contextValue = 'showMore';
  item.command = { command: 'mcpTasks.showMoreTasks', title: 'Show More Tasks', arguments: [node] };
  return item;
}

export function loadMoreItem(node: LoadMoreNode): vscode.TreeItem {
  const item = new vscode.TreeItem('Load more…');
  item.iconPath = new vscode.ThemeIcon('ellipsis');
  item.contextValue = 'loadMore';
  item.command = { command: 'mcpTasks.loadMore', title: 'Load More Tasks', arguments: [node] };
  return item;
}

export function messageItem(node: MessageNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label);
  item.id = `message:${node.serverId}:${node.label}`;
  if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon);
  item.tooltip = node.label;
  item.contextValue = 'message';
  return item;
}

export function problemItem(node: ProblemNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label);
  item.description = node.detail;
  item.tooltip = node.source ? `${node.detail}\n\n${node.source}` : node.detail;
  item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
  item.contextValue = 'problem';
  if (node.source && node.source !== 'settings') {
    item.command = { command: 'vscode.open', title: 'Open Configuration', arguments: [vscode.Uri.file(node.source)] };
  }
  return item;
}
