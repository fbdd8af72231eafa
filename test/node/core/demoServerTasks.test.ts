// Every task operation and status against the demo task server, over stdio and over Streamable HTTP.
import * as assert from 'node:assert/strict';
import type { ServerConfig } from '../../../src/core/config/ServerConfig';
import type { TaskServer } from '../../../src/core/servers/TaskServer';
import { TaskCapabilityError } from '../../../src/core/protocol/taskGating';
import { TaskRequestError } from '../../../src/core/util/errors';
import type { TaskChange } from '../../../src/core';
import { startHttpDemoServer, type HttpDemoServer } from '../../fixtures/demo-server/spawn';
import { demoStdioConfig, httpConfig } from '../../support/serverConfigs';
import { RegistryHarness } from '../../support/registryHarness';
import { sleep, waitFor, waitForStatus, waitForTask } from '../../support/waiting';

interface TransportCase {
  readonly name: 'stdio' | 'http';
  /** Starts what the config needs (the HTTP server) and returns the config. */
  setUp(id: string, args: string[]): Promise<ServerConfig>;
  tearDown(): Promise<void>;
}

function stdioCase(): TransportCase {
  return { name: 'stdio', setUp: async (id, args) => demoStdioConfig(id, args), tearDown: async () => undefined };
}

function httpCase(): TransportCase {
  const servers: HttpDemoServer[] = [];
  return {
    name: 'http',
    async setUp(id, args) {
      const server = await startHttpDemoServer(args);
      servers.push(server);
      return httpConfig(id, server.url);
    },
    async tearDown() {
      await Promise.all(servers.splice(0).map((s) => s.stop()));
    },
  };
}

for (const transport of [stdioCase(), httpCase()]) {
  describe(`demo server over ${transport.name}`, function () {
    let h: RegistryHarness;
    let server: TaskServer;

    before(async () => {
      h = new RegistryHarness();
      // The server suggests polling every 200 ms: quick, and above the 50 ms floor of the test settings.
      server = await h.connect(await transport.setUp('demo', ['--poll-interval', '200']));
    });

    after(async () => {
      await h.dispose();
      await transport.tearDown();
    });

    it('connects over the configured transport and reports the task capabilities', () => {
      assert.equal(server.state.kind, 'connected');
      if (server.state.kind !== 'connected') return;
      assert.equal(server.state.transport, transport.name);
      assert.equal(server.state.serverName, 'mcp-tasks-demo');
      assert.deepEqual(server.state.capabilities, { generation: '2025-11-25', list: true, cancel: true, toolCall: true });
    });

    it('maps each tool\'s execution.taskSupport, absent meaning forbidden', async () => {
      const tools = new Map((await server.listTools()).map((t) => [t.name, t.taskSupport]));
      assert.equal(tools.get('slow-job'), 'required');
      assert.equal(tools.get('maybe-task'), 'optional');
      assert.equal(tools.get('quick-echo'), 'forbidden');
      assert.equal(tools.get('make-tasks'), 'forbidden');
    });

    it('runs a tool as a task: working with step messages, then completed, result fetched once', async () => {
      const messages = new Set<string>();
      const sub = server.store.onDidChange((c) => c.changed.forEach((t) => t.statusMessage && messages.add(t.statusMessage)));
      const created = await server.callToolAsTask('slow-job', { steps: 3, stepMs: 150, label: 'unit' });
      assert.equal(created.status, 'working');
      assert.equal(created.startedByUs, true);
      assert.equal(created.toolName, 'slow-job');
      assert.equal(server.store.get(created.taskId)?.taskId, created.taskId);

      const done = await waitForStatus(server, created.taskId, 'completed');
      sub.dispose();
      assert.ok(messages.has('step 1/3') && messages.has('step 2/3'), `saw ${[...messages].join(', ')}`);
      assert.equal(server.nextPollAt(created.taskId), undefined, 'a terminal task is not polled');
      assert.equal(done.startedByUs, true);

      const before = h.log.requests('demo', 'tasks/result');
      const first = await server.getTaskResult(created.taskId);
      const second = await server.getTaskResult(created.taskId);
      assert.equal(first.kind, 'result');
      if (first.kind !== 'result') return;
      assert.equal(first.result.content?.[0]?.text, 'done: unit after 3 steps');
      assert.equal(second, first, 'the second call returns the cached outcome');
      assert.equal(server.cachedOutcome(created.taskId), first);
      assert.equal(h.log.requests('demo', 'tasks/result') - before, 1, 'tasks/result was sent exactly once');
    });

    it('waits on tasks/result while the task still runs', async () => {
      const created = await server.callToolAsTask('slow-job', { steps: 2, stepMs: 200 });
      const outcome = await server.getTaskResult(created.taskId);
      assert.equal(outcome.kind, 'result');
      assert.ok(Date.parse(created.createdAt!) + 350 <= outcome.receivedAt, 'the result came after the work finished');
      await waitForStatus(server, created.taskId, 'completed');
    });

    it('shows a failed task with its reason, and its isError result', async () => {
      const created = await server.callToolAsTask('failing-job', { afterMs: 100, reason: 'disk on fire' });
      const failed = await waitForStatus(server, created.taskId, 'failed');
      assert.equal(failed.statusMessage, 'disk on fire');
      const outcome = await server.getTaskResult(created.taskId);
      assert.equal(outcome.kind, 'result');
      assert.equal(outcome.kind === 'result' && outcome.result.isError, true);
    });

    it('goes through input_required: the elicitation reaches the handler and is shown on the task', async () => {
      const created = await server.callToolAsTask('needs-input', { question: 'Which colour?' });
      const waiting = await waitForTask(server, created.taskId, 'to show its input request', (t) => t.status === 'input_required' && t.inputRequest !== undefined);
      assert.equal(waiting.inputRequest?.message, 'Which colour?');
      assert.deepEqual(Object.keys((waiting.inputRequest?.requestedSchema as { properties: object }).properties), ['answer']);
      const request = h.elicitation.requests.at(-1)!;
      assert.equal(request.serverId, 'demo');
      assert.equal(request.taskId, created.taskId, 'the elicitation carries the related task');

      h.elicitation.answerNext({ action: 'accept', content: { answer: 'teal' } });
      const done = await waitForStatus(server, created.taskId, 'completed');
      assert.equal(done.inputRequest, undefined, 'the input request is cleared once answered');
      const outcome = await server.getTaskResult(created.taskId);
      assert.equal(outcome.kind === 'result' && outcome.result.content?.[0]?.text, 'answer: teal');
    });

    it('cancels a running task; cancelling again and fetching its result fail with the server\'s codes', async () => {
      const created = await server.callToolAsTask('endless-job', { tickMs: 100 });
      await waitForTask(server, created.taskId, 'to tick', (t) => t.statusMessage?.startsWith('tick') ?? false);
      const cancelled = await server.cancelTask(created.taskId);
      assert.equal(cancelled.status, 'cancelled');
      assert.equal(server.store.get(created.taskId)?.status, 'cancelled');
      assert.equal(server.nextPollAt(created.taskId), undefined);

      await assert.rejects(server.cancelTask(created.taskId), (err: unknown) => err instanceof TaskRequestError && err.code === -32602 && /already cancelled/.test(err.message));

      const before = h.log.requests('demo', 'tasks/result');
      const outcome = await server.getTaskResult(created.taskId);
      assert.equal(outcome.kind, 'error');
      assert.equal(outcome.kind === 'error' && outcome.code, -32603);
      assert.equal(await server.getTaskResult(created.taskId), outcome, 'the error is final for a cancelled task: cached');
      assert.equal(h.log.requests('demo', 'tasks/result') - before, 1);
      await sleep(300);
      assert.equal(server.store.get(created.taskId)?.status, 'cancelled', 'a late tick never brings it back to working');
    });

    it('turns an id the server does not know into an expired task (-32602), for get, result and cancel', async () => {
      const expired = await server.getTaskStatus('no-such-task');
      assert.equal(expired.status, 'expired');
      assert.equal(server.store.get('no-such-task')?.status, 'expired', 'kept in the store, not dropped');
      const outcome = await server.getTaskResult('no-such-task-2');
      assert.equal(outcome.kind === 'error' && outcome.code, -32602);
      assert.equal(server.store.get('no-such-task-2')?.status, 'expired');
      await assert.rejects(server.cancelTask('no-such-task-3'), (err: unknown) => err instanceof TaskRequestError && err.code === -32602 && /no longer knows/.test(err.message));
    });

    it('marks a task expired once its short ttl has passed on the server', async () => {
      const created = await server.callToolAsTask('endless-job', { tickMs: 100 }, 400);
      assert.equal(created.ttl, 400);
      const expired = await waitForStatus(server, created.taskId, 'expired', 5_000);
      assert.equal(expired.startedByUs, true);
      assert.equal(expired.toolName, 'endless-job');
    });

    it('refuses a forbidden tool and an unknown tool without sending tools/call', async () => {
      const before = h.log.requests('demo', 'tools/call');
      await assert.rejects(server.callToolAsTask('quick-echo', { text: 'x' }), (err: unknown) => err instanceof TaskCapabilityError && /taskSupport: forbidden/.test(err.message));
      await assert.rejects(server.callToolAsTask('no-such-tool', {}), (err: unknown) => err instanceof TaskCapabilityError && /no tool named/.test(err.message));
      assert.equal(h.log.requests('demo', 'tools/call'), before);
    });

    it('runs an optional tool as a task', async () => {
      const created = await server.callToolAsTask('maybe-task', { text: 'hey', delayMs: 100 });
      await waitForStatus(server, created.taskId, 'completed');
      const outcome = await server.getTaskResult(created.taskId);
      assert.equal(outcome.kind === 'result' && outcome.result.content?.[0]?.text, 'echo: hey');
    });

    it('never fires the same visible state twice (notifications and polls both report it)', async () => {
      const events: TaskChange[] = [];
      const sub = server.store.onDidChange((c) => events.push(c));
      const created = await server.callToolAsTask('slow-job', { steps: 4, stepMs: 120 });
      await waitForStatus(server, created.taskId, 'completed');
      await sleep(400); // late polls and pushes of the final state
      sub.dispose();
      const states = events.flatMap((e) => e.changed.filter((t) => t.taskId === created.taskId)).map((t) => JSON.stringify({ ...t, fetchedAt: 0 }));
      assert.ok(states.length >= 3, `expected several updates, got ${states.length}`);
      for (let i = 1; i < states.length; i++) {
        assert.notEqual(states[i], states[i - 1], `event ${i} repeats the previous state`);
      }
    });

    it('fetches a large result once', async () => {
      const created = await server.callToolAsTask('large-result', { sizeMb: 3 });
      const outcome = await server.getTaskResult(created.taskId);
      assert.equal(outcome.kind, 'result');
      const text = outcome.kind === 'result' ? outcome.result.content?.[0]?.text ?? '' : '';
      assert.equal(text.length, 3 * 1024 * 1024);
      await waitForStatus(server, created.taskId, 'completed');
    });

    it('pages tasks/list and rejects a bad cursor with -32602', async () => {
      await Promise.all([1, 2, 3].map(() => server.callToolAsTask('slow-job', { steps: 1, stepMs: 50 })));
      const first = await server.listTasks();
      assert.ok(first.tasks.length > 0);
      const all = new Set(first.tasks.map((t) => t.taskId));
      let cursor = first.nextCursor;
      let pages = 1;
      while (cursor !== undefined) {
        const page = await server.listTasks(cursor);
        page.tasks.forEach((t) => all.add(t.taskId));
        cursor = page.nextCursor;
        pages++;
      }
      assert.ok(pages >= 2, 'the demo server pages by 10 and holds more than 10 tasks by now');
      for (const t of server.store.list().filter((t) => t.status !== 'expired')) {
        assert.ok(all.has(t.taskId), `listed ${t.taskId}`);
      }
      await assert.rejects(server.listTasks('bogus-cursor'), (err: unknown) => err instanceof TaskRequestError && err.code === -32602);
    });

    it('waits for the store to settle', async () => {
      await waitFor('no running demo tasks', () => server.store.list().every((t) => t.status !== 'working'), 10_000);
    });
  });
}
