// The editor activates at every startup but connects only what is worth it before anyone looks: servers
// with a task of ours still running (its end is announced). The rest connect when asked (the view opens).
import * as assert from 'node:assert/strict';
import { hasLiveRememberedTasks } from '../../../src/core';
import { startHttpDemoServer, type HttpDemoServer } from '../../fixtures/demo-server/spawn';
import { RegistryHarness } from '../../support/registryHarness';
import { httpConfig } from '../../support/serverConfigs';
import { sleep, waitConnected, waitForStatus } from '../../support/waiting';

describe('connect policy: only servers with our running tasks until asked', () => {
  let busy: HttpDemoServer;
  let idle: HttpDemoServer;
  const harnesses: RegistryHarness[] = [];
  before(async () => {
    [busy, idle] = await Promise.all([startHttpDemoServer(['--poll-interval', '100']), startHttpDemoServer(['--poll-interval', '100'])]);
  });
  after(async () => {
    await Promise.all(harnesses.map((h) => h.dispose()));
    await Promise.all([busy.stop(), idle.stop()]);
  });

  it('connects the server that remembers a running task of ours, leaves the other alone, and connects it when asked', async () => {
    const first = new RegistryHarness();
    harnesses.push(first);
    const server = await first.connect(httpConfig('busy', busy.url));
    const task = await server.callToolAsTask('slow-job', { steps: 20, stepMs: 100 }, 60_000);
    await first.dispose();
    assert.equal(hasLiveRememberedTasks(first.storage, [...first.storage.data.keys()]), true, 'the running task is remembered as live');

    const second = new RegistryHarness({ storage: first.storage });
    harnesses.push(second);
    second.registry.setConnectAll(false);
    second.registry.setConfigs([httpConfig('busy', busy.url), httpConfig('idle', idle.url)]);
    const busyAgain = second.registry.get('busy')!;
    const idleServer = second.registry.get('idle')!;
    assert.equal(busyAgain.store.get(task.taskId)?.startedByUs, true, 'the remembered task is shown before any connection');
    await waitConnected(busyAgain);
    await waitForStatus(busyAgain, task.taskId, 'completed', 10_000);
    await sleep(300);
    assert.equal(idleServer.state.kind, 'disconnected', 'a server with nothing of ours running is not connected');

    second.registry.setConnectAll(true);
    await waitConnected(idleServer);
  });

  it('nothing remembered as running: nothing to connect at startup', async () => {
    const h = new RegistryHarness();
    harnesses.push(h);
    const server = await h.connect(httpConfig('done', busy.url));
    const task = await server.callToolAsTask('slow-job', { steps: 1, stepMs: 10 });
    await waitForStatus(server, task.taskId, 'completed');
    await h.dispose();
    assert.equal(hasLiveRememberedTasks(h.storage, [...h.storage.data.keys()]), false);
  });
});
