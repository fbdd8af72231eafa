import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TrackedTask } from '../../../src/core/model/TaskModel';
import { connectedServer, extensionApi, waitFor } from '../helpers';

/** The repository's fault server (compiled beside these tests): `hang=METHOD` never answers METHOD. */
const FAULT_SERVER = path.resolve(__dirname, '../../fixtures/fault-server/main.js');

describe('servers that stop answering', () => {
  const cfg = () => vscode.workspace.getConfiguration('mcpTasks');

  before(async () => {
    await cfg().update('requestTimeoutMs', 1500, vscode.ConfigurationTarget.Workspace);
    await cfg().update(
      'servers',
      {
        'silent-start': { command: process.execPath, args: [FAULT_SERVER, '--fault', 'hang=initialize'] },
        'silent-polls': { command: process.execPath, args: [FAULT_SERVER, '--fault', 'hang=tasks/get', '--fault', 'hang=tasks/list'] },
      },
      vscode.ConfigurationTarget.Workspace,
    );
  });

  after(async () => {
    await cfg().update('servers', undefined, vscode.ConfigurationTarget.Workspace);
    await cfg().update('requestTimeoutMs', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('keeps the tree and the other servers responsive, and times the silent requests out with a clear error', async () => {
    const api = await extensionApi();
    const silent = await connectedServer(api, 'silent-polls');
    await waitFor('the silent-start server to show', () => api.registry.get('silent-start'));
    const stuck = await silent.callToolAsTask('endless', {});

    // The tree answers at once, whatever the servers do.
    const t0 = Date.now();
    const roots = api.tree.getChildren();
    for (const r of roots) api.tree.getTreeItem(r);
    assert.ok(roots.some((r) => r.kind === 'server' && r.serverId === 'silent-start'));
    assert.ok(Date.now() - t0 < 200, `building the tree took ${Date.now() - t0} ms`);

    // Another server's commands complete as usual meanwhile.
    const demo = await connectedServer(api, 'demo');
    const t1 = Date.now();
    const task = await vscode.commands.executeCommand<TrackedTask>('mcpTasks.runToolAsTask', { serverId: 'demo', tool: 'slow-job', args: { steps: 1, stepMs: 10 } });
    await waitFor('the demo task to complete', () => demo.store.get(task.taskId)?.status === 'completed', 10_000);
    assert.ok(Date.now() - t1 < 5_000, `the demo server took ${Date.now() - t1} ms`);

    // Asking the silent server gives up after the configured timeout and says so; the task keeps its state.
    const t2 = Date.now();
    const after = await vscode.commands.executeCommand<TrackedTask>('mcpTasks.getTaskStatus', { serverId: 'silent-polls', taskId: stuck.taskId });
    assert.ok(Date.now() - t2 < 10_000, `get status took ${Date.now() - t2} ms`);
    assert.equal(after.status, 'working', 'the last known status is kept');
    await waitFor('the error to be recorded on the task', () => /timed out/i.test(silent.store.get(stuck.taskId)?.lastError ?? ''), 10_000);
    const silentStart = api.registry.get('silent-start')!;
    assert.notEqual(silentStart.state.kind, 'connected');
  });
});
