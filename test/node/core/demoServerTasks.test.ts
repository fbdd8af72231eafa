// Every task operation and status against the demo task server of each protocol generation (2025-11-25 and
// 2026-07-28: the same cast of tools), over stdio and over Streamable HTTP. Where the generations differ on
// purpose (results inline, input through tasks/update, no tasks/list, no taskSupport), each asserts its own.
import * as assert from 'node:assert/strict';
import type { ServerConfig } from '../../../src/core/config/ServerConfig';
import type { TaskServer } from '../../../src/core/servers/TaskServer';
import { TaskCapabilityError } from '../../../src/core/protocol/taskGating';
import { TaskRequestError } from '../../../src/core/util/errors';
import type { TaskChange } from '../../../src/core';
import { GENERATIONS, type Generation, type HttpFixture, type RequestCounter } from '../../support/generations';
import { httpConfig } from '../../support/serverConfigs';
import { RegistryHarness } from '../../support/registryHarness';
import { sleep, waitFor, waitForStatus, waitForTask } from '../../support/waiting';

interface TransportCase {
  readonly name: 'stdio' | 'http';
  /** Starts what the config needs (the HTTP server) and returns the config. */
  setUp(id: string, args: string[]): Promise<ServerConfig>;
  tearDown(): Promise<void>;
}

function stdioCase(gen: Generation): TransportCase {
  return { name: 'stdio', setUp: async (id, args) => gen.stdioConfig(id, args), tearDown: async () => undefined };
}

function httpCase(gen: Generation): TransportCase {
  const servers: HttpFixture[] = [];
  return {
    name: 'http',
    async setUp(id, args) {
      const server = await gen.startHttp(args);
      servers.push(server);
      return httpConfig(id, server.url);
    },
    async tearDown() {
      await Promise.all(servers.splice(0).map((s) => s.stop()));
    },
  };
}

function text(outcome: Awaited<ReturnType<TaskServer['getTaskResult']>>): string {
  return outcome.kind === 'result' ? (outcome.result.content ?? []).map((c) => c.text ?? '').join('') : '';
}

for (const gen of GENERATIONS) {
  for (const transport of [stdioCase(gen), httpCase(gen)]) {
    describe(`demo server over ${transport.name} (${gen.name})`, function () {
      let h: RegistryHarness;
      let server: TaskServer;
      let requests: RequestCounter;

      before(async () => {
        h = new RegistryHarness();
        requests = gen.counter(h.log, 'demo');
        // The server suggests polling every 200 ms: quick, and above the 50 ms floor of the test settings.
        server = await h.connect(await transport.setUp('demo', ['--poll-interval', '200', ...requests.args]));
      });

      after(async () => {
        await h.dispose();
        await transport.tearDown();
      });

      it('connects over the configured transport and reports the task capabilities', () => {
        assert.equal(server.state.kind, 'connected');
        if (server.state.kind !== 'connected') return;
        assert.equal(server.state.transport, transport.name);
        assert.equal(server.state.serverName, gen.serverName);
        assert.deepEqual(server.state.capabilities, gen.capabilities);
      });

      it(gen.declaresTaskSupport ? "maps each tool's execution.taskSupport, absent meaning forbidden" : 'counts every tool as optional (2026-07-28 tools carry no taskSupport)', async () => {
        const tools = new Map((await server.listTools()).map((t) => [t.name, t.taskSupport]));
        const expected = gen.declaresTaskSupport
          ? { 'slow-job': 'required', 'maybe-task': 'optional', 'quick-echo': 'forbidden', 'make-tasks': 'forbidden' }
          : { 'slow-job': 'optional', 'maybe-task': 'optional', 'quick-echo': 'optional', 'make-tasks': 'optional' };
        for (const [name, support] of Object.entries(expected)) assert.equal(tools.get(name), support, name);
      });

      it(`runs a tool as a task: working with step messages, then completed, result fetched once (${gen.inlineResults ? 'inline, no tasks/result' : 'one tasks/result'})`, async () => {
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

        const resultsBefore = requests.count('tasks/result');
        const getsBefore = requests.count('tasks/get');
        const first = await server.getTaskResult(created.taskId);
        const second = await server.getTaskResult(created.taskId);
        assert.equal(first.kind, 'result');
        assert.equal(text(first), 'done: unit after 3 steps');
        assert.equal(second, first, 'the second call returns the cached outcome');
        assert.equal(server.cachedOutcome(created.taskId), first);
        if (gen.inlineResults) {
          assert.equal(requests.count('tasks/result'), 0, 'tasks/result does not exist in 2026-07-28');
          assert.ok(requests.count('tasks/get') - getsBefore <= 1, 'the result came with the completed state: at most one look');
        } else {
          assert.equal(requests.count('tasks/result') - resultsBefore, 1, 'tasks/result was sent exactly once');
        }
      });

      it('waits for the result while the task still runs', async () => {
        const created = await server.callToolAsTask('slow-job', { steps: 2, stepMs: 200 });
        const outcome = await server.getTaskResult(created.taskId);
        assert.equal(outcome.kind, 'result');
        assert.ok(Date.parse(created.createdAt!) + 350 <= outcome.receivedAt, 'the result came after the work finished');
        await waitForStatus(server, created.taskId, 'completed');
      });

      if (gen.inlineResults) {
        it('shows a failed task with its error as the outcome, and an isError result as completed', async () => {
          const failed = await server.callToolAsTask('failing-job', { afterMs: 100, reason: 'disk on fire' });
          const toolError = await server.callToolAsTask('failing-job', { afterMs: 100, reason: 'tool said no', kind: 'tool-error' });
          const shown = await waitForStatus(server, failed.taskId, 'failed');
          assert.equal(shown.statusMessage, 'disk on fire');
          await waitForStatus(server, toolError.taskId, 'completed');
          const error = await server.getTaskResult(failed.taskId);
          assert.deepEqual(error.kind === 'error' && { code: error.code, message: error.message }, { code: -32603, message: 'disk on fire' });
          const result = await server.getTaskResult(toolError.taskId);
          assert.equal(result.kind === 'result' && result.result.isError, true);
          assert.equal(text(result), 'tool said no');
        });
      } else {
        it('shows a failed task with its reason, and its isError result', async () => {
          const created = await server.callToolAsTask('failing-job', { afterMs: 100, reason: 'disk on fire' });
          const failed = await waitForStatus(server, created.taskId, 'failed');
          assert.equal(failed.statusMessage, 'disk on fire');
          const outcome = await server.getTaskResult(created.taskId);
          assert.equal(outcome.kind, 'result');
          assert.equal(outcome.kind === 'result' && outcome.result.isError, true);
        });
      }

      it(`goes through input_required: the request reaches the handler, is shown on the task, and the answer goes back (${gen.inlineResults ? 'tasks/update' : 'the elicitation reply'})`, async () => {
        const asked = h.elicitation.requests.length;
        const updates = requests.count('tasks/update');
        const created = await server.callToolAsTask('needs-input', { question: 'Which colour?' });
        const waiting = await waitForTask(server, created.taskId, 'to show its input request', (t) => t.status === 'input_required' && t.inputRequest !== undefined);
        assert.equal(waiting.inputRequest?.message, 'Which colour?');
        assert.deepEqual(Object.keys((waiting.inputRequest?.requestedSchema as { properties: object }).properties), ['answer']);
        await waitFor('the elicitation', () => h.elicitation.pending === 1);
        const request = h.elicitation.requests.at(-1)!;
        assert.equal(request.serverId, 'demo');
        assert.equal(request.taskId, created.taskId, 'the elicitation carries the related task');

        h.elicitation.answerNext({ action: 'accept', content: { answer: 'teal' } });
        const done = await waitForStatus(server, created.taskId, 'completed');
        assert.equal(done.inputRequest, undefined, 'the input request is cleared once answered');
        const outcome = await server.getTaskResult(created.taskId);
        assert.equal(text(outcome), 'answer: teal');
        assert.equal(h.elicitation.requests.length - asked, 1, 'asked once, whatever the polls and pushes');
        if (gen.inlineResults) assert.equal(requests.count('tasks/update') - updates, 1, 'answered with one tasks/update');
      });

      it('cancels a running task; what cancelling again and fetching its result do is the generation\'s', async () => {
        const created = await server.callToolAsTask('endless-job', { tickMs: 100 });
        await waitForTask(server, created.taskId, 'to tick', (t) => t.statusMessage?.startsWith('tick') ?? false);
        const cancelled = await server.cancelTask(created.taskId);
        assert.equal(cancelled.status, 'cancelled');
        assert.equal(server.store.get(created.taskId)?.status, 'cancelled');
        assert.equal(server.nextPollAt(created.taskId), undefined);

        // Cancelling again is refused on both: 2025-11-25 answers -32602; a 2026-07-28 server would acknowledge
        // it, so the client looks first and sends no tasks/cancel for a task that has ended.
        const cancels = requests.count('tasks/cancel');
        await assert.rejects(server.cancelTask(created.taskId), (err: unknown) => err instanceof TaskRequestError && err.code === -32602 && /already cancelled/.test(err.message));
        if (gen.inlineResults) assert.equal(requests.count('tasks/cancel'), cancels, 'no tasks/cancel for an ended task');

        const method = gen.inlineResults ? 'tasks/get' : 'tasks/result';
        const before = requests.count(method);
        const outcome = await server.getTaskResult(created.taskId);
        assert.equal(outcome.kind, 'error');
        assert.equal(outcome.kind === 'error' && outcome.code, -32603);
        if (!gen.inlineResults) assert.equal(requests.count(method) - before, 1, 'one tasks/result');
        const asked = requests.count(method);
        assert.equal(await server.getTaskResult(created.taskId), outcome, 'the error is final for a cancelled task: cached');
        assert.equal(requests.count(method), asked, 'the cached error costs no request');
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

      it(`marks a task expired once its short ttl has passed on the server (${gen.inlineResults ? 'the server\'s --ttl' : 'the ttl the client asked for'})`, async () => {
        const short = await h.connect(await transport.setUp('short', ['--poll-interval', '200', ...gen.ttlArgs(400)]));
        const created = await short.callToolAsTask('endless-job', { tickMs: 100 }, 400);
        assert.equal(created.ttl, 400);
        const expired = await waitForStatus(short, created.taskId, 'expired', 5_000);
        assert.equal(expired.startedByUs, true);
        assert.equal(expired.toolName, 'endless-job');
      });

      if (gen.declaresTaskSupport) {
        it('refuses a forbidden tool and an unknown tool without sending tools/call', async () => {
          const before = requests.count('tools/call');
          await assert.rejects(server.callToolAsTask('quick-echo', { text: 'x' }), (err: unknown) => err instanceof TaskCapabilityError && /taskSupport: forbidden/.test(err.message));
          await assert.rejects(server.callToolAsTask('no-such-tool', {}), (err: unknown) => err instanceof TaskCapabilityError && /no tool named/.test(err.message));
          assert.equal(requests.count('tools/call'), before);
        });
      } else {
        it('shows a plain answer as a finished entry with its result, and refuses an unknown tool without tools/call', async () => {
          const before = requests.count('tools/call');
          await assert.rejects(server.callToolAsTask('no-such-tool', {}), (err: unknown) => err instanceof TaskCapabilityError && /no tool named/.test(err.message));
          assert.equal(requests.count('tools/call'), before);
          const plain = await server.callToolAsTask('quick-echo', { text: 'x' });
          assert.equal(requests.count('tools/call'), before + 1);
          assert.match(plain.taskId, /^immediate-/);
          assert.equal(plain.status, 'completed');
          assert.equal(plain.startedByUs, true);
          assert.equal(server.store.get(plain.taskId)?.status, 'completed');
          assert.equal(text(await server.getTaskResult(plain.taskId)), 'echo: x');
        });
      }

      it('runs an optional tool as a task', async () => {
        const created = await server.callToolAsTask('maybe-task', { text: 'hey', delayMs: 100 });
        assert.doesNotMatch(created.taskId, /^immediate-/, 'a delay makes it a real task');
        await waitForStatus(server, created.taskId, 'completed');
        const outcome = await server.getTaskResult(created.taskId);
        assert.equal(text(outcome), 'echo: hey');
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
        assert.equal(text(outcome).length, 3 * 1024 * 1024);
        await waitForStatus(server, created.taskId, 'completed');
      });

      if (gen.lists) {
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
      } else {
        it('has no tasks/list: the inventory is the ids it knows, one page, and tasks/list is never sent', async () => {
          const created = await Promise.all([1, 2, 3].map(() => server.callToolAsTask('slow-job', { steps: 1, stepMs: 50 })));
          for (const t of created) await waitForStatus(server, t.taskId, 'completed');
          await server.refresh();
          const page = await server.listTasks();
          const listed = new Set(page.tasks.map((t) => t.taskId));
          assert.equal(page.nextCursor, undefined, 'one page: the known ids');
          for (const t of created) assert.ok(listed.has(t.taskId), `lists ${t.taskId}`);
          // Plain answers (immediate-…) are entries of ours, not server tasks: nothing to list or ask about.
          for (const t of server.store.list().filter((t) => !t.taskId.startsWith('immediate-'))) {
            if (t.status !== 'expired') assert.ok(listed.has(t.taskId), `lists every live or finished id it knows: ${t.taskId}`);
          }
          assert.ok([...listed].every((id) => server.store.get(id) !== undefined), 'lists nothing it does not know');
          assert.equal(requests.count('tasks/list'), 0, 'tasks/list was never sent');
        });
      }

      it('waits for the store to settle', async () => {
        await waitFor('no running demo tasks', () => server.store.list().every((t) => t.status !== 'working'), 10_000);
      });
    });
  }
}
