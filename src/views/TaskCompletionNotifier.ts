import * as vscode from 'vscode';
import { isTerminal, type ServerRegistryApi, type TaskChange, taskTitle, taskKey, type TaskServerApi, type TrackedTask } from '../core';

/** Tells the user when a task they started from the editor finishes, with "Open Result". */
export class TaskCompletionNotifier implements vscode.Disposable {
  /** The tasks being watched, by `taskKey`. */
  private readonly watched = new Set<string>();
  private readonly listener: vscode.Disposable;

  /** `onPendingChange` runs when the set of watched tasks changes (polling may pause when it empties). */
  constructor(
    private readonly registry: ServerRegistryApi,
    private readonly onPendingChange: () => void = () => undefined,
  ) {
    this.listener = registry.onDidChangeTasks((change) => this.onTasksChanged(change));
  }

  watch(server: TaskServerApi, task: TrackedTask): void {
    const key = taskKey(server.id, task.taskId);
    if (this.watched.has(key) || isTerminal(task.status)) return;
    this.watched.add(key);
    this.onPendingChange();
  }

  /** Tasks the user started that still run (polling continues for them while the view is hidden). */
  get pending(): number {
    return this.watched.size;
  }

  dispose(): void {
    this.listener.dispose();
    this.watched.clear();
  }

  private onTasksChanged(change: TaskChange): void {
    if (this.watched.size === 0) return;
    for (const t of change.changed) {
      if (!isTerminal(t.status) || !this.watched.delete(taskKey(change.serverId, t.taskId))) continue;
      this.onPendingChange();
      const server = this.registry.get(change.serverId);
      if (server) this.announce(server, t);
    }
  }

  private announce(server: TaskServerApi, t: TrackedTask): void {
    const name = taskTitle(t, 60);
    const show = t.status === 'failed' ? vscode.window.showErrorMessage : vscode.window.showInformationMessage;
    void show(`${name} on ${server.config.name} ${t.status === 'expired' ? 'expired' : t.status}.`, 'Open Result').then((choice) => {
      if (choice) void vscode.commands.executeCommand('mcpTasks.openTaskResult', { serverId: server.id, taskId: t.taskId });
    });
  }
}
