import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { extensionApi } from '../helpers';

const marker = path.join(os.tmpdir(), 'mcp-tasks-untrusted-marker');

describe('untrusted workspace', () => {
  before(() => fs.rmSync(marker, { force: true }));

  it('runs in restricted mode', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('never starts a stdio command defined by the workspace, and says why in the tree', async () => {
    const api = await extensionApi();
    assert.equal(api.registry.get('workspace-command'), undefined, 'the server was handed to the core');
    const problem = api.tree.getChildren().find((n) => n.kind === 'problem' && n.label === 'workspace-command');
    assert.ok(problem, 'the tree shows the held-back server');
    assert.match(String(api.tree.getTreeItem(problem).description), /not trusted/);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(fs.existsSync(marker), false, 'the workspace command ran');
  });
});
