/**
 * 2026-07-28 tasks end to end through TaskServer (tracker, results, inputs) against the real fixture, over
 * stdio and Streamable HTTP: results inline, failures, plain answers, cancel, input through the host's
 * elicitation port, unknown ids, pushes (and polling without them), a 20 MB result, a crash mid-task.
 */
import * as assert from 'node:assert/strict';
import type { ServerConfig } from '../../../src/core/config/ServerConfig';
import type { TaskServer } from '../../../src/core/servers/TaskServer';
import { demoServer2026StdioCommand, startHttpDemoServer2026, type HttpDemoServer2026 } from '../../fixtures/demo-server-2026/spawn';
import { RegistryHarness } from '../../support/registryHarness';
import { httpConfig } from '../../support/serverConfigs';
import { waitFor, waitForStatus, waitForTask } from '../../support/waiting';

function stdio2026(id: string, args: string[] = []): ServerConfig {
  const { command, args: argv } = demoServer2026StdioCommand(args);
  return { id, name: id, source: 'test', fromWorkspace: false, type: 'stdio', command, args: argv, env: {} };
}

function text(result: unknown): string {
  return ((result as { content?: Array<{ text?: string }> }).content ?? []).map((c) => c.text ?? '').join('');
}

for (const transport of ['stdio', 'http'] as const) {
  describe(`gen2026: tasks over ${transport}`, function () {
    this.timeout(60_000);
    let h: RegistryHarness;
    let http: HttpDemoServer2026 | undefined;

    async function connect(args: string[] = ['--poll-interval', '200']): Promise<TaskServer> {
      if (transport === 'stdio') return h.connect(stdio2026('s', args));
      http = await startHttpDemoServer2026(args);
      return h.connect(httpConfig('s', http.url));
    }

    beforeEach(() => {
      h = new RegistryHarness();
    });
    afterEach(async () => {
      await h.dispose();
      await http?.stop();
      http = undefined;
    });

    it('runs a tool as a task to completion with its inline result', async () => {
      const server = await connect();
      const task = await server.callToolAsTask('slow-job', { steps: 2, stepMs: 100, label: 'x' });
      assert.equal(task.startedByUs, true);
      assert.equal(task.toolName, 'slow-job');
      await waitForStatus(server, task.taskId, 'completed');
      const outcome = await server.getTaskResult(task.taskId);
      assert.equal(outcome.kind, 'result');
      assert.equal(text(outcome.kind === 'result' && outcome.result), 'done: x after 2 steps');
    });

    it('shows a failed task with its error as the outcome, and an isError result as completed', async () => {
      const server = await connect();
      const failed = await server.callToolAsTask('failing-job', { afterMs: 100, reason: 'boom' });
      const toolError = await server.callToolAsTask('failing-job', { afterMs: 100, reason: 'tool said no', kind: 'tool-error' });
      await waitForStatus(server, failed.taskId, 'failed');
      await waitForStatus(server, toolError.taskId, 'completed');
      const error = await server.getTaskResult(failed.taskId);
      assert.deepEqual(error.kind === 'error' && { code: error.code, message: error.message }, { code: -32603, message: 'boom' });
      const result = await server.getTaskResult(toolError.taskId);
      assert.equal(result.kind === 'result' && result.result.isError, true);
      assert.equal(text(result.kind === 'result' && result.result), 'tool said no');
    });

    it('shows a plain (non-task) answer as a finished entry with its result', async () => {
      const server = await connect();
      const task = await server.callToolAsTask('maybe-task', { text: 'now' });
      assert.match(task.taskId, /^immediate-/);
      assert.equal(task.status, 'completed');
      const outcome = await server.getTaskResult(task.taskId);
      assert.equal(text(outcome.kind === 'result' && outcome.result), 'echo: now');
      assert.equal(server.store.get(task.taskId)?.status, 'completed');
    });

    it('cancels a running task', async () => {
      const server = await connect();
      const task = await server.callToolAsTask('endless-job', { tickMs: 100 });
      await waitForTask(server, task.taskId, 'a tick', (t) => /tick/.test(t.statusMessage ?? ''));
      await server.cancelTask(task.taskId);
      await waitForStatus(server, task.taskId, 'cancelled');
    });

    it('asks the host elicitation port for a task input and answers with tasks/update', async () => {
      const server = await connect();
      const task = await server.callToolAsTask('needs-input', { question: 'Colour?' });
      await waitFor('the elicitation', () => h.elicitation.pending === 1);
      assert.deepEqual(
        { taskId: h.elicitation.requests[0]!.taskId, message: h.elicitation.requests[0]!.message },
        { taskId: task.taskId, message: 'Colour?' },
      );
      const waiting = server.store.get(task.taskId);
      assert.equal(waiting?.status, 'input_required');
      assert.equal(waiting?.inputRequest?.key, 'answer');
      h.elicitation.answerNext({ action: 'accept', content: { answer: 'blue' } });
      await waitForStatus(server, task.taskId, 'completed');
      const outcome = await server.getTaskResult(task.taskId);
      assert.equal(text(outcome.kind === 'result' && outcome.result), 'answer: blue');
      assert.equal(h.elicitation.requests.length, 1, 'the same input key is asked once, whatever the polls');
    });

    it('shows an id the server does not know as expired', async () => {
      const server = await connect();
      const task = await server.getTaskStatus('no-such-task');
      assert.equal(task.status, 'expired');
    });

    it('follows a task through pushes (a 20 s poll interval would miss every step)', async () => {
      const server = await connect(['--poll-interval', '20000']);
      const seen = new Set<string>();
      server.store.onDidChange((c) => c.changed.forEach((t) => t.statusMessage && seen.add(t.statusMessage)));
      const task = await server.callToolAsTask('slow-job', { steps: 4, stepMs: 250 });
      await waitForStatus(server, task.taskId, 'completed', 5_000);
      assert.ok(['step 2/4', 'step 3/4'].every((m) => seen.has(m)), `saw ${[...seen].join(', ')}`);
    });

    it('sees the end by polling when the server never pushes', async () => {
      const server = await connect(['--poll-interval', '200', '--no-notifications']);
      const task = await server.callToolAsTask('slow-job', { steps: 2, stepMs: 150 });
      await waitForStatus(server, task.taskId, 'completed', 8_000);
    });
  });
}

describe('gen2026: large results and crashes (stdio)', function () {
  this.timeout(120_000);
  let h: RegistryHarness;
  afterEach(() => h.dispose());

  it('gets a 20 MB result', async () => {
    h = new RegistryHarness({ settings: { requestTimeoutMs: 60_000 } });
    const server = await h.connect(stdio2026('big', ['--poll-interval', '200']));
    const task = await server.callToolAsTask('large-result', { sizeMb: 20 });
    await waitForStatus(server, task.taskId, 'completed', 60_000);
    const outcome = await server.getTaskResult(task.taskId);
    assert.equal(text(outcome.kind === 'result' && outcome.result).length, 20 * 1024 * 1024);
  });

  it('reconnects after the server is killed mid-task and shows the lost task as expired', async () => {
    h = new RegistryHarness();
    const server = await h.connect(stdio2026('crash', ['--poll-interval', '200']));
    const task = await server.callToolAsTask('endless-job', { tickMs: 100 });
    const pid = server.processId;
    assert.ok(pid !== undefined);
    process.kill(pid, 'SIGKILL');
    await waitFor('a new process', () => server.state.kind === 'connected' && server.processId !== undefined && server.processId !== pid, 20_000);
    await waitForStatus(server, task.taskId, 'expired', 10_000);
  });
});
