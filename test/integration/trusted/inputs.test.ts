import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { connectedServer, extensionApi, waitFor } from '../helpers';

/**
 * `${input:...}`: asked through an input box, kept in SecretStorage, forgotten on request.
 * The test workspace's mcp.json is rewritten for the duration and put back.
 */
describe('server inputs', () => {
  const file = path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, '.vscode', 'mcp.json');
  let original: string;

  before(() => {
    original = fs.readFileSync(file, 'utf8');
  });

  after(async () => {
    fs.writeFileSync(file, original);
    const api = await extensionApi();
    await waitFor('the input server to be removed', () => !api.registry.get('with-input'), 10_000);
  });

  it('asks through an input box, keeps the answer in secret storage, and forgets it on request', async () => {
    const api = await extensionApi();
    const demo = JSON.parse(original.replace(/\/\/.*$/gm, '').replace(/,(\s*[}\]])/g, '$1')).servers.demo;
    fs.writeFileSync(
      file,
      JSON.stringify({
        inputs: [{ id: 'demoToken', type: 'promptString', description: 'Token for the demo', password: true, default: 'tok-default-123456' }],
        servers: { demo, 'with-input': { ...demo, env: { DEMO_TOKEN: '${input:demoToken}' } } },
      }),
    );
    // The input box opens with the default filled in: accept it, as a user pressing Enter would.
    await waitFor('the input to be asked and the server to start', async () => {
      await vscode.commands.executeCommand('quickInput.accept');
      return api.registry.get('with-input');
    }, 20_000);
    const server = await connectedServer(api, 'with-input');
    assert.equal(server.config.type === 'stdio' && server.config.env.DEMO_TOKEN, 'tok-default-123456');

    const forgotten = await vscode.commands.executeCommand<number>('mcpTasks.clearSavedInputs');
    assert.equal(forgotten, 1, 'one saved answer');
    assert.equal(await vscode.commands.executeCommand<number>('mcpTasks.clearSavedInputs'), 0, 'nothing left after forgetting');
  });
});
