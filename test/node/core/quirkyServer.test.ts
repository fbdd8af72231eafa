// A server that declares less and sends odd data: no tasks/list (inventory from known ids), no
// tasks/cancel (refused before sending), and a status the spec does not define (kept as unknown).
import * as assert from 'node:assert/strict';
import { TaskCapabilityError } from '../../../src/core/protocol/taskGating';
import type { TaskServer } from '../../../src/core/servers/TaskServer';
import { quirkyConfig } from '../../support/serverConfigs';
import { RegistryHarness } from '../../support/registryHarness';
import { sleep, waitFor, waitForStatus } from '../../support/waiting';

describe('a server with fewer capabilities and odd task data', () => {
  let h: RegistryHarness;
  let server: TaskServer;

  before(async () => {
    h = new RegistryHarness();
    server = await h.connect(quirkyConfig('quirky'));
  });

  after(() => h.dispose());

  it('reports what the server declared: tasks without list or cancel', () => {
    assert.equal(server.state.kind === 'connected' && JSON.stringify(server.state.capabilities), JSON.stringify({ generation: '2025-11-25', list: false, cancel: false, toolCall: true }));
  });

  it('keeps an unknown status as unknown with the raw value, tolerating pollInterval 0 and a negative ttl', async () => {
    const created = await server.callToolAsTask('odd-job', {});
    assert.equal(created.status, 'working', 'the create reply itself was well-formed');
    const odd = await waitForStatus(server, created.taskId, 'unknown');
    assert.equal(odd.rawStatus, 'paused');
    assert.equal(odd.pollInterval, 100, 'a pollInterval of 0 does not replace the one we knew');
    assert.equal(odd.ttl, 60_000, 'nor does a negative ttl');
    const polls = h.log.requests('quirky', 'tasks/get');
    await sleep(300);
    const more = h.log.requests('quirky', 'tasks/get') - polls;
    assert.ok(more >= 1 && more <= 8, `an unknown status keeps being polled, at a sane pace (${more} polls in 300 ms)`);
    assert.ok(h.log.lines.some((e) => e.level === 'warn' && /unknown status "paused"/.test(e.message)), 'the odd data was logged');
  });

  it('refuses to cancel without sending tasks/cancel', async () => {
    const created = await server.callToolAsTask('plain-job', { stepMs: 2_000 });
    await assert.rejects(server.cancelTask(created.taskId), (err: unknown) => err instanceof TaskCapabilityError && err.message === 'server does not support cancelling tasks');
    assert.equal(h.log.requests('quirky', 'tasks/cancel'), 0);
  });

  it('inventories from known ids (no tasks/list is ever sent) and pages them', async () => {
    const created = await server.callToolAsTask('plain-job', { stepMs: 100 });
    await waitForStatus(server, created.taskId, 'completed');
    const page = await server.listTasks(undefined, 2);
    assert.equal(page.tasks.length, 2);
    assert.equal(page.tasks[0]!.taskId, created.taskId, 'newest first');
    assert.ok(page.nextCursor);
    const rest = await server.listTasks(page.nextCursor, 10);
    assert.equal(rest.tasks.length, 1);
    assert.equal(rest.nextCursor, undefined);
    await server.refresh();
    await assert.rejects(server.listTasks('bogus'), /invalid cursor/);
    assert.equal(h.log.requests('quirky', 'tasks/list'), 0);
    assert.equal(server.hasMore, false);
  });

  it('survives a restart of the registry: known ids come back (the new process has forgotten them: expired)', async () => {
    const ids = server.store.list().map((t) => t.taskId);
    const createdBefore = new Map(server.store.list().map((t) => [t.taskId, Date.parse(t.createdAt!)]));
    await h.dispose();
    h = new RegistryHarness({ storage: h.storage });
    h.registry.setConfigs([quirkyConfig('quirky')]);
    server = h.registry.get('quirky')!;
    assert.deepEqual(server.store.list().map((t) => t.taskId).sort(), [...ids].sort(), 'shown before the server answers');
    assert.ok(server.store.list().every((t) => t.startedByUs));
    // Remembered tasks keep their creation time (our clock, so within a second of the server's): they
    // sort and show their age as before, not as the newest tasks.
    for (const t of server.store.list()) {
      assert.ok(Math.abs(Date.parse(t.createdAt ?? '') - createdBefore.get(t.taskId)!) < 1000, `createdAt of ${t.taskId}: ${t.createdAt}`);
    }
    await waitFor('every remembered task to be expired', () => server.store.list().every((t) => t.status === 'expired'));
    assert.equal(server.store.get(ids[0]!)?.toolName !== undefined, true);
  });
});
