import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'mcp-tasks-dev.mcp-tasks-vscode';

describe('activation', () => {
  it('is installed as the extension under development and activates', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded`);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('contributes the Tasks view in its own activity-bar container', async () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    assert.deepEqual(pkg.contributes.viewsContainers.activitybar.map((c: { id: string }) => c.id), ['mcpTasks']);
    // Focusing the view only succeeds when the workbench knows the view.
    await vscode.commands.executeCommand('mcpTasks.tasks.focus');
  });

  it('registers its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['mcpTasks.refresh']) assert.ok(commands.includes(c), `${c} is not registered`);
    await vscode.commands.executeCommand('mcpTasks.refresh');
  });
});
