import * as vscode from 'vscode';
import { type ServerRegistryApi, type TrackedTask, describeStatus, errorMessage, isCancellable, isTerminal, shortId, shownStatus, statusWords, taskTitle } from '../core';
import { resultUri } from '../views/TaskResultDocumentProvider';
import type { AnswerOutcome, InputRequestPrompter } from '../platform/InputRequestPrompter';
import { pickTasks } from './pickTasks';
import { isTaskRef, resolveTaskRef, type TaskRef } from './taskRef';

/**
 * Task commands: from the tree they act on the selected task(s); from the palette they offer a pick list.
 * They call the core and let the store's events update the views.
 */
export function registerTaskCommands(registry: ServerRegistryApi, prompter: InputRequestPrompter): vscode.Disposable[] {
  /** The refs a command acts on: the clicked node plus a multi-selection, or a pick list. */
  const targets = async (arg: unknown, selection: unknown, pick: Parameters<typeof pickTasks>[1]): Promise<TaskRef[] | undefined> => {
    if (Array.isArray(selection) && selection.every(isTaskRef) && selection.length > 1) return selection;
    if (isTaskRef(arg)) return [arg];
    return pickTasks(registry, pick);
  };

  return [
    vscode.commands.registerCommand('mcpTasks.getTaskStatus', async (arg?: unknown): Promise<TrackedTask | undefined> => {
      const [ref] = (await targets(arg, undefined, { title: 'Get Task Status', which: () => true, many: false, noneMessage: 'No MCP tasks to show.' })) ?? [];
      if (!ref) return undefined;
      const { server, task } = resolveTaskRef(registry, ref);
      try {
        const fresh = task.status === 'expired' ? task : await server.getTaskStatus(task.taskId);
        void vscode.window.showInformationMessage(`“${taskTitle(fresh)}” on ${server.config.name}: ${describeStatus(fresh)}${fresh.statusMessage && fresh.toolName ? ` — ${fresh.statusMessage}` : ''}`);
        return fresh;
      } catch (e) {
        void vscode.window.showErrorMessage(`Could not get the status of task ${shortId(task.taskId)} on ${server.config.name}: ${errorMessage(e)}`);
        return server.store.get(task.taskId);
      }
    }),

    vscode.commands.registerCommand('mcpTasks.openTaskResult', async (arg?: unknown): Promise<vscode.Uri | undefined> => {
      const [ref] = (await targets(arg, undefined, { title: 'Open Task Result', which: () => true, many: false, noneMessage: 'No MCP tasks to open.' })) ?? [];
      if (!ref) return undefined;
      const { server, task } = resolveTaskRef(registry, ref);
      const uri = resultUri(server, task);
      // Rendered, like a README: Markdown source would show escapes and fences. The preview runs no
      // scripts and follows the document as it updates itself.
      await vscode.workspace.openTextDocument(uri);
      try {
        await vscode.commands.executeCommand('markdown.showPreview', uri);
      } catch {
        await vscode.window.showTextDocument(uri, { preview: true }); // the built-in Markdown extension is disabled
      }
      return uri;
    }),

    vscode.commands.registerCommand('mcpTasks.cancelTask', async (arg?: unknown, selection?: unknown): Promise<TrackedTask[]> => {
      const refs = await targets(arg, selection, {
        title: 'Cancel Tasks',
        which: (t) => isCancellable(t.status),
        many: true,
        noneMessage: 'No running MCP tasks to cancel.',
      });
      if (!refs?.length) return [];
      // Named as its row was before the cancel (the server's message may then say only that it was cancelled).
      const named: string[] = [];
      const results = await Promise.allSettled(refs.map(async (ref) => {
        const { server, task } = resolveTaskRef(registry, ref);
        // A task with no tool is titled by its status message: "task" says that "tick 10" is a task, not a tick.
        const name = `${task.toolName ? '' : 'task '}“${taskTitle(task)}” on ${server.config.name}`;
        if (!isCancellable(task.status)) throw new Error(`${name} is already ${statusWords(task.status)}`);
        const cancelled = await server.cancelTask(task.taskId);
        named.push(name);
        return cancelled;
      }));
      const done = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      const failed = results.flatMap((r) => (r.status === 'rejected' ? [errorMessage(r.reason)] : []));
      if (done.length) void vscode.window.showInformationMessage(done.length === 1 ? `Cancelled ${named[0]}.` : `Cancelled ${done.length} tasks.`);
      if (failed.length) void vscode.window.showErrorMessage(`Could not cancel: ${failed.join('; ')}`);
      return done;
    }),

    vscode.commands.registerCommand('mcpTasks.copyTaskId', async (arg?: unknown): Promise<string | undefined> => {
      const [ref] = (await targets(arg, undefined, { title: 'Copy Task ID', which: () => true, many: false, noneMessage: 'No MCP tasks.' })) ?? [];
      if (!ref) return undefined;
      await vscode.env.clipboard.writeText(ref.taskId);
      return ref.taskId;
    }),

    vscode.commands.registerCommand('mcpTasks.saveTaskResult', async (arg?: unknown): Promise<vscode.Uri | undefined> => {
      const [ref] = (await targets(arg, undefined, { title: 'Save Task Result', which: (t) => isTerminal(t.status), many: false, noneMessage: 'No finished MCP tasks.' })) ?? [];
      if (!ref) return undefined;
      const { server, task } = resolveTaskRef(registry, ref);
      const outcome = await server.getTaskResult(task.taskId);
      const target = await vscode.window.showSaveDialog({ title: 'Save Task Result', filters: { JSON: ['json'] }, defaultUri: vscode.Uri.file(`${task.toolName ?? 'task'}-${shortId(task.taskId)}.json`) });
      if (!target) return undefined;
      await vscode.workspace.fs.writeFile(target, Buffer.from(JSON.stringify(outcome.kind === 'result' ? outcome.result : outcome, null, 2)));
      return target;
    }),

    /** Returns what came of it: 'answered', 'dismissed', 'answering', 'none' (no question yet), 'withdrawn'. */
    vscode.commands.registerCommand('mcpTasks.answerInput', async (arg?: unknown): Promise<AnswerOutcome | undefined> => {
      const [ref] = (await targets(arg, undefined, { title: 'Answer Input Request', which: (t) => shownStatus(t) === 'input_required', many: false, noneMessage: 'No MCP task is waiting for input.' })) ?? [];
      if (!ref) return undefined;
      const outcome = await prompter.answer(ref.serverId, ref.taskId);
      if (outcome === 'none') void vscode.window.showInformationMessage('The server has not sent its question yet; it will appear as a notification.');
      return outcome;
    }),
  ];
}
