import * as vscode from 'vscode';
import { shortId, shownStatus, type TaskServerApi, type TrackedTask } from '../core';
import { showMoreLabel } from './taskPaging';
import { connectionIcon, connectionShort, statusIcon, taskRow } from './taskPresentation';
import type { LoadMoreNode, MessageNode, ProblemNode, ServerNode, ShowMoreNode, TaskNode } from './treeNodes';

// How each kind of row looks, from its node and what the core holds for it (TaskTreeProvider.getTreeItem).

export function serverItem(node: ServerNode, server: TaskServerApi | undefined): vscode.TreeItem {
  const item = new vscode.TreeItem(server?.config.name ?? node.serverId, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `server:${node.serverId}`;
  if (!server) return item;
  // Short, like a Source Control repository row: the icon tells the connection state, the description
  // counts tasks (it changes only when tasks come or go: a status change then repaints just its own row)
  // or names a state other than connected in a word. Transport, reason and the breakdown are in the hover
  // (the reason also as the first row beneath).
  const n = server.store.size;
  item.description = server.state.kind === 'connected' ? (n ? `${n} task${n === 1 ? '' : 's'}` : '') : connectionShort(server.state);
  item.iconPath = connectionIcon(server.state);
  item.contextValue = `server.${server.state.kind}`;
  return item;
}

export function taskItem(node: TaskNode, task: TrackedTask | undefined): vscode.TreeItem {
  if (!task) return Object.assign(new vscode.TreeItem(shortId(node.taskId)), { id: `task:${node.serverId}/${node.taskId}` });
  const row = taskRow(task);
  const item = new vscode.TreeItem(row.label);
  item.id = `task:${node.serverId}/${node.taskId}`;
  item.description = row.description;
  const status = shownStatus(task);
  item.iconPath = statusIcon(status);
  item.contextValue = `task.${status}`;
  item.accessibilityInformation = { label: row.aria };
  item.command = { command: 'mcpTasks.openTaskResult', title: 'Open Task Result', arguments: [node] };
  return item;
}

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
