// Inventory: sweeping a server that lists (pages, a cap, loadMore, periodic discovery, one list instead
// of N gets), the known-ids fallback, and what survives a restart of the registry (both generations: on
// 2026-07-28, which has no tasks/list, the inventory is the known ids only).
import * as assert from 'node:assert/strict';
import { startHttpDemoServer } from '../../fixtures/demo-server/spawn';
import { GEN2025, GEN2026, type HttpFixture } from '../../support/generations';
import { httpConfig } from '../../support/serverConfigs';
import { RegistryHarness } from '../../support/registryHarness';
import { makeTasksElsewhere } from '../../support/sideClient';
import { sleep, waitConnected, waitForStatus, waitForTask } from '../../support/waiting';

describe('task inventory', () => {
  const harnesses: RegistryHarness[] = [];
  const servers: HttpFixture[] = [];

  async function demo(args: string[] = []): Promise<HttpFixture> {
    const s = await startHttpDemoServer(args);
    servers.push(s);
    return s;
  }

  function harness(options: ConstructorParameters<typeof RegistryHarness>[0] = {}): RegistryHarness {
    const h = new RegistryHarness(options);
    harnesses.push(h);
    return h;
  }

  afterEach(async () => {
    await Promise.all(harnesses.splice(0).map((h) => h.dispose()));
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });

  it('sweeps every page up to the cap, then loadMore() fetches the rest', async () => {
    const demoServer = await demo(['--page-size', '5']);
    const h = harness({ maxListedTasks: 12 });
    const server = await h.connect(httpConfig('listing', demoServer.url));
    // Only the sweep under test may list: background polls would add pages of their own.
    h.registry.setPollingPaused(true);
    const elsewhere = await makeTasksElsewhere(demoServer.url, 20);
    const before = h.log.requests('listing', 'tasks/list');
    await server.refresh();
    assert.equal(h.log.requests('listing', 'tasks/list') - before, 3, 'three pages of 5 reach the cap of 12');
    assert.equal(server.store.size, 15);
    assert.equal(server.hasMore, true);
    assert.ok(server.store.list().every((t) => !t.startedByUs), 'tasks created elsewhere are not ours');
    await server.loadMore();
    assert.equal(server.store.size, 20);
    await server.loadMore();
    assert.equal(server.hasMore, false);
    assert.deepEqual(new Set(server.store.list().map((t) => t.taskId)), new Set(elsewhere));
  });

  it('finds tasks started elsewhere on its own, by sweeping now and then', async () => {
    const demoServer = await demo();
    const h = harness({ settings: { maxPollIntervalMs: 300 } });
    const server = await h.connect(httpConfig('discover', demoServer.url));
    const [id] = await makeTasksElsewhere(demoServer.url, 1);
    const found = await waitForTask(server, id!, 'to be discovered', () => true, 3_000);
    assert.equal(found.status, 'working');
    assert.equal(found.startedByUs, false);
  });

  it('polls many due tasks with one tasks/list instead of one tasks/get each', async () => {
    const demoServer = await demo(['--no-notifications', '--poll-interval', '100']);
    const h = harness();
    h.registry.setPollingPaused(true);
    const server = await h.connect(httpConfig('batch', demoServer.url));
    const created = await Promise.all([1, 2, 3, 4].map((i) => server.callToolAsTask('slow-job', { steps: 20, stepMs: 100, label: `b${i}` })));
    await sleep(300);
    const gets = h.log.requests('batch', 'tasks/get');
    const lists = h.log.requests('batch', 'tasks/list');
    assert.equal(created.every((t) => server.store.get(t.taskId)?.statusMessage === undefined), true, 'nothing polled while paused');
    h.registry.setPollingPaused(false);
    await sleep(700);
    assert.equal(h.log.requests('batch', 'tasks/get') - gets, 0, 'no tasks/get');
    assert.ok(h.log.requests('batch', 'tasks/list') - lists >= 3, 'a list per interval');
    for (const t of created) {
      assert.match(server.store.get(t.taskId)?.statusMessage ?? '', /^step \d+\/20$/);
    }
  });

  it('falls back to the known ids when the server does not declare tasks/list: tasks/get each, never tasks/list', async () => {
    const demoServer = await demo(['--poll-interval', '100', '--no-notifications', '--no-list']);
    const h = harness();
    const server = await h.connect(httpConfig('known', demoServer.url));
    assert.equal(server.state.kind === 'connected' && server.state.capabilities.list, false);
    const [other] = await makeTasksElsewhere(demoServer.url, 1);
    const mine = await server.callToolAsTask('slow-job', { steps: 2, stepMs: 100 });
    await waitForStatus(server, mine.taskId, 'completed');
    await server.refresh();
    assert.equal(server.store.get(other!), undefined, 'a task we did not create cannot be found without tasks/list');
    const page = await server.listTasks();
    assert.deepEqual(page.tasks.map((t) => t.taskId), [mine.taskId]);
    assert.equal(h.log.requests('known', 'tasks/list'), 0);
    assert.ok(h.log.requests('known', 'tasks/get') >= 2, 'the task was followed with tasks/get');
  });

  it('keeps a plain answer (2026-07-28, not a task) out of the remembered ids: no tasks/get for it, and a restart does not show it expired', async () => {
    const fixture = await GEN2026.startHttp(['--poll-interval', '100']);
    servers.push(fixture);
    const first = harness();
    const server1 = await first.connect(httpConfig('plain', fixture.url));
    const plain = await server1.callToolAsTask('quick-echo', { text: 'x' });
    assert.match(plain.taskId, /^immediate-/);
    await sleep(400);
    assert.equal(server1.store.get(plain.taskId)?.status, 'completed');
    assert.equal(first.log.requests('plain', 'tasks/get'), 0, 'nothing to ask the server about');
    await first.dispose();

    const second = harness({ storage: first.storage });
    second.registry.setConfigs([httpConfig('plain', fixture.url)]);
    const server2 = second.registry.get('plain')!;
    await waitConnected(server2);
    await server2.refresh();
    assert.equal(server2.store.get(plain.taskId), undefined, 'not a task the server could be asked about again');
  });

  const restartCases = [
    ...[false, true].map((noList) => ({ gen: GEN2025, inventory: noList ? 'known ids only' : 'server lists', args: noList ? ['--no-list'] : [] })),
    // 2026-07-28 has no tasks/list at all: the known ids are the only inventory.
    { gen: GEN2026, inventory: 'known ids only', args: [] as string[] },
  ];
  for (const { gen, inventory, args } of restartCases) {
    it(`remembers the tasks it created across a restart (new registry, same storage; ${inventory}; ${gen.name})`, async () => {
      const fixture = await gen.startHttp(['--poll-interval', '100', ...args, ...gen.ttlArgs(120_000)]);
      servers.push(fixture);
      const first = harness();
      const server1 = await first.connect(httpConfig('persist', fixture.url));
      assert.equal(server1.state.kind === 'connected' && server1.state.capabilities.generation, gen.name);
      const running = await server1.callToolAsTask('slow-job', { steps: 8, stepMs: 100 }, 120_000);
      const done = await server1.callToolAsTask('failing-job', { afterMs: 10, reason: 'nope' });
      await waitForStatus(server1, done.taskId, 'failed');
      await first.dispose();

      const second = harness({ storage: first.storage });
      second.registry.setConfigs([httpConfig('persist', fixture.url)]);
      const server2 = second.registry.get('persist')!;
      const early = server2.store.get(running.taskId);
      assert.equal(early?.startedByUs, true, 'shown at once, before the server answers');
      assert.equal(early?.toolName, 'slow-job');
      assert.deepEqual(early?.toolArgs, { steps: 8, stepMs: 100 }, 'the arguments are remembered too');
      assert.equal(server2.store.get(done.taskId)?.startedByUs, true, 'the finished one too');
      const again = await waitForStatus(server2, running.taskId, 'completed', 5_000);
      assert.equal(again.toolName, 'slow-job');
      assert.deepEqual(again.toolArgs, { steps: 8, stepMs: 100 });
      assert.equal(again.ttl, 120_000);
      const failed = await waitForStatus(server2, done.taskId, 'failed');
      assert.equal(failed.statusMessage, 'nope');
      assert.equal(failed.startedByUs, true);
      if (!gen.lists) {
        // Nothing else can be found: the inventory after the restart is exactly the remembered ids.
        await server2.refresh();
        assert.deepEqual(new Set(server2.store.list().map((t) => t.taskId)), new Set([running.taskId, done.taskId]));
        if (gen.inlineResults) {
          const outcome = await server2.getTaskResult(running.taskId);
          assert.equal(outcome.kind === 'result' && outcome.result.content?.[0]?.text, 'done: slow-job after 8 steps');
        }
      }
    });
  }
});
