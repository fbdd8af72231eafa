import * as vscode from 'vscode';
import type { ServerRegistryApi } from '../core/api';
import type { TrackedStatus } from '../core/tasks/TaskModel';
import type { TaskFilter } from '../views/TaskFilter';

const STATUSES: readonly TrackedStatus[] = ['working', 'input_required', 'completed', 'failed', 'cancelled', 'expired', 'unknown'];

/** The view's own toolbar actions: filter by status and clear finished tasks from sight. */
export function registerViewCommands(registry: ServerRegistryApi, filter: TaskFilter): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('mcpTasks.filterTasks', async (statuses?: TrackedStatus[]) => {
      if (Array.isArray(statuses)) {
        filter.setHidden(STATUSES.filter((s) => !statuses.includes(s)));
        return;
      }
      const picked = await vscode.window.showQuickPick(
        STATUSES.map((s) => ({ label: s.replace('_', ' '), status: s, picked: !filter.hiddenStatuses.has(s) })),
        { title: 'Show tasks with status', canPickMany: true },
      );
      if (picked) filter.setHidden(STATUSES.filter((s) => !picked.some((p) => p.status === s)));
    }),
    vscode.commands.registerCommand('mcpTasks.toggleFinished', async () => {
      await vscode.workspace.getConfiguration('mcpTasks').update('showFinishedTasks', !filter.finishedShown, vscode.ConfigurationTarget.Global);
    }),
    vscode.commands.registerCommand('mcpTasks.clearFinished', () => filter.clearFinished(registry.servers().flatMap((s) => s.store.list()))),
  ];
}
