// Status pushes that arrive twice (seen over Streamable HTTP in the wild; here the fault server's
// dup-notify sends every push twice) must make one store event, not two.
import * as assert from 'node:assert/strict';
import type { TaskChange } from '../../../src/core';
import { faultServerCommand } from '../../fixtures/fault-server/spawn';
import { RegistryHarness } from '../../support/registryHarness';
import { sleep, waitForStatus } from '../../support/waiting';

describe('duplicate status notifications', () => {
  let h: RegistryHarness;

  afterEach(() => h.dispose());

  it('fire the store once, and the push alone brings the news (no poll needed)', async () => {
    h = new RegistryHarness();
    const { command, args } = faultServerCommand(['--fault', 'dup-notify', '--poll-interval', '60000']);
    const server = await h.connect({ id: 'dups', name: 'dups', source: 'test', fromWorkspace: false, type: 'stdio', command, args, env: {} });
    const changes: TaskChange[] = [];
    server.store.onDidChange((c) => changes.push(c));
    const task = await server.callToolAsTask('job', { ms: 300, text: 'once' });
    await waitForStatus(server, task.taskId, 'completed', 3_000);
    await sleep(200);
    assert.ok(h.log.requests('dups', 'tasks/get') <= 1, 'the completion came by push: no poll but the first look after creation');
    const completions = changes.flatMap((c) => c.changed).filter((t) => t.taskId === task.taskId && t.status === 'completed');
    assert.equal(completions.length, 1, `${completions.length} completion events`);
  });
});
