import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { McpTasksExtensionApi } from '../../../src/extension';
import { waitFor } from '../helpers';

const EXTENSION_ID = 'mcp-tasks-dev.mcp-tasks-vscode';

describe('activation', () => {
  // Runs first, before any test opens the view.
  it('activates after startup unasked, and connects nothing before the view is seen', async () => {
    const ext = vscode.extensions.getExtension<McpTasksExtensionApi>(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded`);
    await waitFor('activation after startup (onStartupFinished)', () => ext.isActive);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const started = ext.exports.registry.servers().filter((s) => s.state.kind !== 'disconnected');
    assert.deepEqual(started.map((s) => `${s.id}: ${s.state.kind}`), [], 'no server connects before the view is seen (nothing of ours runs)');
  });

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
