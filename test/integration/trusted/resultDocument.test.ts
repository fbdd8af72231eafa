import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { connectedServer, extensionApi, waitFor } from '../helpers';

const KB = 1024;

describe('large results', () => {
  // The same on a server of each protocol generation (2026-07-28 results come inline with the status).
  for (const serverId of ['demo', 'demo2026']) {
    it(`opens a 12 MB result as a short document saying how to see the rest, and the whole text as plain text (${serverId})`, async function () {
      this.timeout(120_000);
      const api = await extensionApi();
      const server = await connectedServer(api, serverId);
      const task = await server.callToolAsTask('large-result', { sizeMb: 12 });
      await waitFor('the large task to complete', () => server.store.get(task.taskId)?.status === 'completed', 30_000);
      const uri = await vscode.commands.executeCommand<vscode.Uri>('mcpTasks.openTaskResult', { serverId, taskId: task.taskId });
      const doc = await vscode.workspace.openTextDocument(uri);
      await waitFor('the result to arrive', () => doc.getText().includes('## Content'), 30_000);
      const text = doc.getText();
      // What opens (and what the Markdown preview renders) is small enough to open at once, as a README does.
      assert.ok(text.length < 600 * KB, `the document holds ${text.length} characters`);
      assert.match(text, /11\.8 MB more text not shown\. "MCP Tasks: Open Whole Task Result as Text" shows all of it/);
      assert.match(text, /too large to show here/);

      const outcome = await server.getTaskResult(task.taskId);
      const whole = outcome.kind === 'result' ? outcome.result.content?.map((c) => c.text ?? '').join('\n\n') : undefined;
      assert.equal(whole?.length, 12 * KB * KB);
      const textUri = await vscode.commands.executeCommand<vscode.Uri>('mcpTasks.openTaskResultText', { serverId, taskId: task.taskId });
      const wholeDoc = await vscode.workspace.openTextDocument(textUri);
      assert.equal(wholeDoc.languageId, 'plaintext', 'no Markdown tokenizer or language server runs over megabytes');
      assert.equal(wholeDoc.getText().length, whole.length);
      assert.ok(wholeDoc.getText() === whole, 'the plain-text document is the whole text, unchanged');
      assert.ok(vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === textUri.toString()), 'the whole text is shown');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });
  }
});
