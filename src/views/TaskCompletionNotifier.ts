import * as vscode from 'vscode';
import type { ServerRegistryApi, TaskServerApi } from '../core/api';
import { shortId } from '../core/format/taskText';
import { isTerminal, type TrackedTask } from '../core/tasks/TaskModel';

/** Tells the user when a task they started from the editor finishes, with "Open Result". */
export class TaskCompletionNotifier implements vscode.Disposable {
  private readonly watched = new Map<string, vscode.Disposable>();

  /** `onPendingChange` runs when the set of watched tasks changes (polling may pause when it empties). */
  constructor(
    private readonly registry: ServerRegistryApi,
    private readonly onPendingChange: () => void = () => undefined,
  ) {}

  watch(server: TaskServerApi, task: TrackedTask): void {
    const key = `${server.id}\u0000${task.taskId}`;
    if (this.watched.has(key) || isTerminal(task.status)) return;
    const sub = server.store.onDidChange((change) => {
      const t = change.changed.find((c) => c.taskId === task.taskId);
      if (!t || !isTerminal(t.status)) return;
      sub.dispose();
      this.watched.delete(key);
      this.onPendingChange();
      if (!this.registry.get(server.id)) return;
      const name = t.toolName ?? shortId(t.taskId);
      const show = t.status === 'failed' ? vscode.window.showErrorMessage : vscode.window.showInformationMessage;
      void show(`${name} on ${server.config.name} ${t.status === 'expired' ? 'expired' : t.status}.`, 'Open Result').then((choice) => {
        if (choice) void vscode.commands.executeCommand('mcpTasks.openTaskResult', { serverId: server.id, taskId: t.taskId });
      });
    });
    this.watched.set(key, sub);
    this.onPendingChange();
  }

  /** Tasks the user started that still run (polling continues for them while the view is hidden). */
  get pending(): number {
    return this.watched.size;
  }

  dispose(): void {
    for (const d of this.watched.values()) d.dispose();
    this.watched.clear();
  }
}
