import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { connectedServer, extensionApi, waitFor } from '../helpers';

describe('multi-root workspace', () => {
  it('runs with two folders', () => {
    assert.deepEqual(vscode.workspace.workspaceFolders?.map((f) => f.name), ['first', 'second']);
  });

  it('sees mcpTasks.servers set in one folder\'s settings, with ${workspaceFolder} as that folder', async () => {
    const api = await extensionApi();
    const server = await waitFor('the folder\'s server to be configured', () => api.registry.servers().find((s) => s.config.name === 'from-second-folder'));
    assert.equal(server.config.source, 'folder settings (second)');
    // It connects only if ${workspaceFolder} meant the second folder (the path is relative to it).
    await connectedServer(api, server.id);
    const row = api.tree.getChildren().find((n) => n.kind === 'server' && n.serverId === server.id);
    assert.ok(row, 'the tree shows it');
  });
});
