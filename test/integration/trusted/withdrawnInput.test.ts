import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TrackedTask } from '../../../src/core';
import { connectedServer, extensionApi, waitFor } from '../helpers';

/**
 * A question the server stops waiting for is withdrawn: the open form closes instead of taking an answer
 * nobody reads, and answering afterwards says so. The demo server's needs-input tool gives up after
 * `timeoutMs` (the SDK then sends notifications/cancelled for its elicitation).
 */
describe('input requests the server gave up on', () => {
  it('closes the open form when the server stops waiting, and a late answer is refused', async function () {
    this.timeout(60_000);
    const api = await extensionApi();
    const server = await connectedServer(api, 'demo');
    const task = await vscode.commands.executeCommand<TrackedTask>('mcpTasks.runToolAsTask', {
      serverId: 'demo',
      tool: 'needs-input',
      args: { question: 'Answer too late?', timeoutMs: 4_000 },
    });
    assert.ok(task, 'the task started');
    await waitFor('the question to arrive', () => server.store.get(task.taskId)?.inputRequest, 20_000);

    // The user opens the form (as the notification's Answer button does) and does not answer in time.
    let outcome: unknown = 'still open';
    const answering = vscode.commands.executeCommand<unknown>('mcpTasks.answerInput', { serverId: 'demo', taskId: task.taskId }).then((o) => (outcome = o));
    await waitFor('the server to give up (the task fails)', () => server.store.get(task.taskId)?.status === 'failed', 20_000);
    await waitFor('the form to close by itself', () => outcome !== 'still open', 5_000).catch(async (e) => {
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen'); // do not leave the form open for the next test
      throw e;
    });
    await answering;
    assert.equal(outcome, 'withdrawn', 'the form reports that the server stopped waiting');
    assert.equal(server.store.get(task.taskId)?.inputRequest, undefined, 'the tree no longer offers the question');

    // Answering again (a late click on the notification's Answer button, or the tree's action) says so.
    const late = await vscode.commands.executeCommand<unknown>('mcpTasks.answerInput', { serverId: 'demo', taskId: task.taskId });
    assert.equal(late, 'withdrawn');
  });
});
