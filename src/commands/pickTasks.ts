import * as vscode from 'vscode';
import { formatLocalTime, shownStatus, statusWords, type ServerRegistryApi, taskKey, taskTitle, type TrackedTask } from '../core';
import { statusIcon } from '../views/taskPresentation';
import type { TaskRef } from './taskRef';

interface TaskPickItem extends vscode.QuickPickItem {
  readonly ref: TaskRef;
}

/**
 * A pick list of tasks across all servers (what the task is, server, status, start time, message), newest
 * first per server. It stays live: as tasks change, finish or start, the items follow (a task that stops
 * qualifying leaves the list, ticks on the others are kept). Resolves the chosen refs, or undefined when
 * dismissed. Tells the user when nothing qualifies.
 */
export async function pickTasks(
  registry: ServerRegistryApi,
  opts: { title: string; which: (t: TrackedTask) => boolean; many: boolean; noneMessage: string },
): Promise<TaskRef[] | undefined> {
  const build = (): (TaskPickItem | vscode.QuickPickItem)[] => {
    const items: (TaskPickItem | vscode.QuickPickItem)[] = [];
    for (const server of registry.servers().slice().sort((a, b) => a.config.name.localeCompare(b.config.name))) {
      const tasks = server.store.list().filter(opts.which);
      if (!tasks.length) continue;
      items.push({ label: server.config.name, kind: vscode.QuickPickItemKind.Separator });
      for (const t of tasks) {
        // A start time, not an age: an age would freeze while the list is open.
        const started = formatLocalTime(t.createdAt);
        items.push({
          label: `$(${statusIcon(shownStatus(t)).id}) ${taskTitle(t, 60)}`,
          description: [server.config.name, statusWords(shownStatus(t)), started && `started ${started}`].filter(Boolean).join(' · '),
          detail: [t.taskId, t.toolName ? t.statusMessage : undefined].filter(Boolean).join(' — ') || undefined,
          ref: { serverId: server.id, taskId: t.taskId },
        });
      }
    }
    return items;
  };
  const first = build();
  if (!first.length) {
    void vscode.window.showInformationMessage(opts.noneMessage);
    return undefined;
  }
  const qp = vscode.window.createQuickPick<TaskPickItem | vscode.QuickPickItem>();
  qp.title = opts.title;
  qp.placeholder = 'Type to filter by tool, server, status or id';
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.canSelectMany = opts.many;
  qp.items = first;
  const keyOf = (i: TaskPickItem | vscode.QuickPickItem) => ('ref' in i ? taskKey(i.ref.serverId, i.ref.taskId) : undefined);
  // Which tasks, in which status: the list is rebuilt only when that changes (a task finishes, starts or
  // moves on), not on every progress message, so ticks and the cursor are not disturbed while choosing.
  const signature = (items: readonly (TaskPickItem | vscode.QuickPickItem)[]) => items.map((i) => `${keyOf(i) ?? i.label}|${i.description ?? ''}`).join('\n');
  let shown = signature(first);
  let timer: NodeJS.Timeout | undefined;
  const refresh = () => {
    timer = undefined;
    const items = build();
    const next = signature(items);
    if (next === shown) return;
    shown = next;
    const ticked = new Set(qp.selectedItems.map(keyOf));
    const active = new Set(qp.activeItems.map(keyOf));
    qp.items = items;
    if (opts.many) qp.selectedItems = items.filter((i) => ticked.has(keyOf(i)));
    const stillActive = items.filter((i) => active.has(keyOf(i)));
    if (stillActive.length) qp.activeItems = stillActive;
  };
  return new Promise<TaskRef[] | undefined>((resolve) => {
    let result: TaskRef[] | undefined;
    const subs = [
      // Coalesced: tasks reporting progress every second should not rebuild the list several times a second.
      registry.onDidChangeTasks(() => (timer ??= setTimeout(refresh, 200))),
      qp.onDidAccept(() => {
        const chosen = (opts.many ? qp.selectedItems : qp.activeItems).filter((p): p is TaskPickItem => 'ref' in p).map((p) => p.ref);
        result = chosen.length ? chosen : undefined;
        qp.hide();
      }),
      qp.onDidHide(() => {
        clearTimeout(timer);
        subs.forEach((s) => s.dispose());
        qp.dispose();
        resolve(result);
      }),
    ];
    qp.show();
  });
}
