import * as vscode from 'vscode';
import { formatAge, shortId, statusWords, type ServerRegistryApi, type TrackedTask } from '../core';
import { statusIcon } from '../views/taskPresentation';
import type { TaskRef } from './taskRef';

interface TaskPickItem extends vscode.QuickPickItem {
  readonly ref: TaskRef;
}

/**
 * A pick list of tasks across all servers (server, tool, status, age, message), newest first per server.
 * Resolves the chosen refs, or undefined when dismissed. Tells the user when nothing qualifies.
 */
export async function pickTasks(
  registry: ServerRegistryApi,
  opts: { title: string; which: (t: TrackedTask) => boolean; many: boolean; noneMessage: string },
): Promise<TaskRef[] | undefined> {
  const items: (TaskPickItem | vscode.QuickPickItem)[] = [];
  for (const server of registry.servers().slice().sort((a, b) => a.config.name.localeCompare(b.config.name))) {
    const tasks = server.store.list().filter(opts.which);
    if (!tasks.length) continue;
    items.push({ label: server.config.name, kind: vscode.QuickPickItemKind.Separator });
    for (const t of tasks) {
      items.push({
        label: `$(${statusIcon(t.status).id}) ${t.toolName ?? shortId(t.taskId)}`,
        description: [server.config.name, statusWords(t.status), formatAge(t.createdAt) && `${formatAge(t.createdAt)} ago`].filter(Boolean).join(' · '),
        detail: [t.toolName ? t.taskId : undefined, t.statusMessage].filter(Boolean).join(' — ') || undefined,
        ref: { serverId: server.id, taskId: t.taskId },
      });
    }
  }
  if (!items.length) {
    void vscode.window.showInformationMessage(opts.noneMessage);
    return undefined;
  }
  const options = { title: opts.title, matchOnDescription: true, matchOnDetail: true, placeHolder: 'Type to filter by tool, server, status or id' };
  if (opts.many) {
    const picked = await vscode.window.showQuickPick(items, { ...options, canPickMany: true });
    return picked?.filter((p): p is TaskPickItem => 'ref' in p).map((p) => p.ref);
  }
  const picked = await vscode.window.showQuickPick(items, options);
  return picked && 'ref' in picked ? [picked.ref] : undefined;
}
