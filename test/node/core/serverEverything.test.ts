// The published server-everything over stdio: a real server nobody here wrote. Its one task tool,
// simulate-research-query, takes four 1 s stages, so the three flows run side by side.
import * as assert from 'node:assert/strict';
import type { TaskOutcome, TrackedTask } from '../../../src/core/model/TaskModel';
import type { TaskServer } from '../../../src/core/servers/TaskServer';
import { TaskCapabilityError } from '../../../src/core/protocol/taskGating';
import { everythingConfig } from '../../support/serverConfigs';
import { RegistryHarness } from '../../support/registryHarness';
import { waitForStatus, waitForTask } from '../../support/waiting';

describe('server-everything over stdio', function () {
  this.timeout(30_000);
  let h: RegistryHarness;
  let server: TaskServer;
  let plain: TrackedTask;
  let toCancel: TrackedTask;
  let ambiguous: TrackedTask;
  const statusesSeen = new Map<string, Set<string>>();

  before(async () => {
    h = new RegistryHarness();
    h.elicitation.autoAnswer = (request) => {
      const schema = request.requestedSchema as { properties: { interpretation: { oneOf: Array<{ const: string }> } } };
      return { action: 'accept', content: { interpretation: schema.properties.interpretation.oneOf[0]!.const } };
    };
    server = await h.connect(everythingConfig('everything'));
    server.store.onDidChange((c) => c.changed.forEach((t) => statusesSeen.set(t.taskId, (statusesSeen.get(t.taskId) ?? new Set()).add(t.status))));
    [plain, toCancel, ambiguous] = await Promise.all([
      server.callToolAsTask('simulate-research-query', { topic: 'MCP tasks' }),
      server.callToolAsTask('simulate-research-query', { topic: 'cancel me' }),
      server.callToolAsTask('simulate-research-query', { topic: 'python', ambiguous: true }),
    ]);
  });

  after(() => h.dispose());

  it('declares list, cancel and task-augmented tools/call; only the research tool runs as a task', async () => {
    assert.equal(server.state.kind === 'connected' && server.state.serverName, 'mcp-servers/everything');
    assert.deepEqual(server.state.kind === 'connected' && server.state.capabilities, { generation: '2025-11-25', list: true, cancel: true, toolCall: true });
    const tools = await server.listTools();
    assert.equal(tools.find((t) => t.name === 'simulate-research-query')?.taskSupport, 'required');
    assert.equal(tools.find((t) => t.name === 'echo')?.taskSupport, 'forbidden');
    await assert.rejects(server.callToolAsTask('echo', { message: 'hi' }), TaskCapabilityError);
  });

  it('cancels mid-flight; the result is then -32603 "no result stored"', async () => {
    await waitForTask(server, toCancel.taskId, 'to reach its second stage', (t) => t.statusMessage === 'Analyzing content...', 5_000);
    const cancelled = await server.cancelTask(toCancel.taskId);
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.statusMessage, 'Client cancelled task execution.');
    const outcome = await server.getTaskResult(toCancel.taskId);
    assert.equal(outcome.kind === 'error' && outcome.code, -32603);
    assert.match(outcome.kind === 'error' ? outcome.message : '', /no result stored/);
  });

  it('creates, polls through the stages and fetches the report', async () => {
    const messages = new Set<string>();
    const sub = server.store.onDidChange((c) => c.changed.filter((t) => t.taskId === plain.taskId).forEach((t) => messages.add(t.statusMessage ?? '')));
    const done = await waitForStatus(server, plain.taskId, 'completed', 10_000);
    sub.dispose();
    assert.equal(done.ttl, 300_000, 'the server sets its own ttl');
    assert.equal(done.pollInterval, 1_000);
    assert.ok(messages.has('Synthesizing findings...'), [...messages].join(' | '));
    const outcome: TaskOutcome = await server.getTaskResult(plain.taskId);
    assert.match(outcome.kind === 'result' ? outcome.result.content?.[0]?.text ?? '' : '', /^# Research Report: MCP tasks/);
  });

  it('goes through input_required when the query is ambiguous, and uses the answer', async () => {
    const done = await waitForStatus(server, ambiguous.taskId, 'completed', 15_000);
    assert.ok(statusesSeen.get(ambiguous.taskId)?.has('input_required'), 'the store showed input_required');
    const request = h.elicitation.requests.find((r) => r.taskId === ambiguous.taskId);
    assert.ok(request, 'the elicitation named the related task');
    assert.match(request.message, /python/);
    assert.equal(done.inputRequest, undefined);
    const outcome = await server.getTaskResult(ambiguous.taskId);
    assert.match(outcome.kind === 'result' ? outcome.result.content?.[0]?.text ?? '' : '', /Clarification\*\*: programming/);
  });

  it('lists all three tasks through tasks/list', async () => {
    const page = await server.listTasks();
    const ids = page.tasks.map((t) => t.taskId);
    for (const t of [plain, toCancel, ambiguous]) {
      assert.ok(ids.includes(t.taskId));
    }
  });
});
