import * as vscode from 'vscode';
import { errorMessage, isTerminal, type ServerRegistryApi, taskTitle } from '../core';
import { resultTextUri } from '../views/TaskResultDocumentProvider';
import { pickTasks } from './pickTasks';
import { isTaskRef, resolveTaskRef } from './taskRef';

/**
 * The whole text of a finished task's result, as a plain-text document: the result document (Markdown,
 * rendered) shows only the start of a large result, so that it opens at once.
 */
export function registerResultCommands(registry: ServerRegistryApi): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('mcpTasks.openTaskResultText', async (arg?: unknown): Promise<vscode.Uri | undefined> => {
      const [ref] = isTaskRef(arg) ? [arg] : ((await pickTasks(registry, { title: 'Open Whole Task Result as Text', which: (t) => isTerminal(t.status), many: false, noneMessage: 'No finished MCP tasks.' })) ?? []);
      if (!ref) return undefined;
      const { server, task } = resolveTaskRef(registry, ref);
      try {
        await server.getTaskResult(task.taskId); // cached by the core: what the document shows
      } catch (e) {
        void vscode.window.showErrorMessage(`Could not fetch the result of “${taskTitle(task)}” on ${server.config.name}: ${errorMessage(e)}`);
        return undefined;
      }
      const uri = resultTextUri(server, task);
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
      return uri;
    }),
  ];
}
