import * as assert from 'node:assert/strict';
import { connectedServer, extensionApi, waitFor } from '../helpers';

describe('status bar', () => {
  it('counts running tasks', async () => {
    const api = await extensionApi();
    const server = await connectedServer(api, 'demo');
    const task = await server.callToolAsTask('endless-job', { tickMs: 500 });
    await waitFor('the status bar to count it', () => /\d+ MCP tasks?/.test(api.statusBar.text));
    assert.ok(api.statusBar.counts().running >= 1);
    await server.cancelTask(task.taskId);
  });
});
