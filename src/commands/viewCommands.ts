import * as vscode from 'vscode';
import { statusWords, type ServerRegistryApi, type TrackedStatus } from '../core';
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
        STATUSES.map((s) => ({ label: statusWords(s), status: s, picked: !filter.hiddenStatuses.has(s) })),
        { title: 'Show tasks with status', canPickMany: true },
      );
      if (picked) filter.setHidden(STATUSES.filter((s) => !picked.some((p) => p.status === s)));
    }),
    vscode.commands.registerCommand('mcpTasks.toggleFinished', async () => {
      const config = vscode.workspace.getConfiguration('mcpTasks');
      await config.update('showFinishedTasks', !filter.finishedShown, settingTarget(config.inspect<boolean>('showFinishedTasks')));
    }),
    // The "Show more" row's command (not in the palette: it needs the row's server).
    vscode.commands.registerCommand('mcpTasks.showMoreTasks', (node?: { serverId?: unknown }) => {
      if (typeof node?.serverId === 'string' && registry.get(node.serverId)) filter.showMore(node.serverId);
    }),
    vscode.commands.registerCommand('mcpTasks.clearFinished', () => filter.clearFinished(registry.servers().flatMap((s) => s.store.list()))),
  ];
}

/**
 * Where the value in force comes from, so a toggle changes what the user sees: a workspace value would
 * override a change written to the user settings.
 */
function settingTarget(inspected: { workspaceValue?: unknown; workspaceFolderValue?: unknown } | undefined): vscode.ConfigurationTarget {
  if (inspected?.workspaceFolderValue !== undefined) return vscode.ConfigurationTarget.WorkspaceFolder;
  if (inspected?.workspaceValue !== undefined) return vscode.ConfigurationTarget.Workspace;
  return vscode.ConfigurationTarget.Global;
}
