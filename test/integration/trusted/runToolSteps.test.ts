import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TrackedTask } from '../../../src/core';
import { connectedServer, extensionApi } from '../helpers';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs a quick input command as a user's key press would, after the input has had time to show. */
async function press(command: string): Promise<void> {
  await pause(600);
  await vscode.commands.executeCommand(command);
}

/**
 * Run Tool as Task is one multi-step input: Back (the title bar's arrow, `workbench.action.quickInputBack`)
 * goes from an argument to the one before and from the first argument to the tool list.
 */
describe('Run Tool as Task steps', () => {
  it('goes back from the arguments to the tool list, and runs the tool picked then', async function () {
    this.timeout(60_000);
    const api = await extensionApi();
    await connectedServer(api, 'demo');
    // The server is given, so the steps are: the tool list, then one per argument.
    const running = vscode.commands.executeCommand<TrackedTask | undefined>('mcpTasks.runToolAsTask', { serverId: 'demo' });
    let finished = false;
    void running.then(() => (finished = true), () => (finished = true));
    try {
      await press('quickInput.accept'); // the first tool: slow-job
      await press('quickInput.accept'); // its steps (default 5)
      await press('workbench.action.quickInputBack'); // from stepMs back to steps
      await press('workbench.action.quickInputBack'); // from steps back to the tool list
      await press('quickInput.next'); // the second tool: failing-job
      await press('quickInput.accept');
      await press('quickInput.accept'); // afterMs (default 500)
      await press('quickInput.accept'); // reason (default)
      const task = await Promise.race([running, pause(10_000).then(() => 'still asking' as const)]);
      assert.notEqual(task, 'still asking', 'the form finished');
      assert.equal((task as TrackedTask | undefined)?.toolName, 'failing-job', 'the tool picked after going back runs');
    } finally {
      if (!finished) await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    }
  });
});
