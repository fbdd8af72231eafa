// VS Code (an SDK 1.x client speaking 2025-11-25 only) reaches a 2026-07-28 server through the bridge: the
// real 2026 fixture over stdio behind the extension's own connection, and the bridge answering VS Code in
// 2025 terms through the core. Tasks it starts land in the tracker as VS Code's; our cancel, the server's
// errors, questions and plain answers all reach VS Code as a 2025 server would send them.
import * as assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ElicitRequestSchema, RELATED_TASK_META_KEY, ResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { McpBridge } from '../../../src/core/bridge/McpBridge';
import type { TaskServer } from '../../../src/core/servers/TaskServer';
import { connectBridgeClient } from '../../support/bridgeClient';
import { GEN2026 } from '../../support/generations';
import { RegistryHarness } from '../../support/registryHarness';
import { waitFor, waitForStatus, waitForTask } from '../../support/waiting';


interface WireTask {
  taskId: string;
  status: string;
  statusMessage?: string;
  createdAt?: string;
  lastUpdatedAt?: string;
  ttl?: number | null;
  pollInterval?: number;
}

type ToolResult = { content?: Array<{ text?: string }>; isError?: boolean; resultType?: unknown; _meta?: Record<string, unknown> };

describe('bridge: VS Code reaches a 2026-07-28 server through the extension, as a 2025-11-25 server', function () {
  this.timeout(20_000);
  let h: RegistryHarness;
  let server: TaskServer;
  let bridge: McpBridge;
  let client: Client;

  const call = (name: string, args: Record<string, unknown>, task?: Record<string, unknown>) =>
    client.request({ method: 'tools/call', params: { name, arguments: args, ...(task ? { task } : {}) } }, ResultSchema);
  const start = async (name: string, args: Record<string, unknown>): Promise<WireTask> => ((await call(name, args, { ttl: 60_000 })) as unknown as { task: WireTask }).task;
  const get = async (taskId: string) => (await client.request({ method: 'tasks/get', params: { taskId } }, ResultSchema)) as unknown as WireTask;
  const result = async (taskId: string) => (await client.request({ method: 'tasks/result', params: { taskId } }, ResultSchema)) as ToolResult;

  before(async () => {
    h = new RegistryHarness();
    server = await h.connect(GEN2026.stdioConfig('modern', ['--poll-interval', '200']));
    bridge = new McpBridge(h.registry, { log: h.log, settings: () => h.settings, cancelAbandoned: () => false });
    ({ client } = await connectBridgeClient(bridge, 'modern'));
  });

  after(async () => {
    await client?.close();
    await bridge?.dispose();
    await h?.dispose();
  });

  it('answers initialize as a 2025-11-25 server with tasks: the server\'s name, task-augmented tools/call, list and cancel', () => {
    assert.equal(client.getServerVersion()?.name, GEN2026.serverName);
    const caps = client.getServerCapabilities();
    assert.ok(caps?.tools, 'tools declared');
    assert.ok(caps?.tasks?.requests?.tools?.call, 'task-augmented tools/call declared');
    assert.ok(caps?.tasks?.cancel);
    assert.ok(caps?.tasks?.list);
  });

  it('lists the server\'s tools, each one a task may come from (taskSupport optional), without resultType', async () => {
    const listed = (await client.request({ method: 'tools/list', params: {} }, ResultSchema)) as { tools: Array<{ name: string; execution?: { taskSupport?: string } }>; resultType?: unknown };
    const slow = listed.tools.find((t) => t.name === 'slow-job');
    assert.ok(slow, 'slow-job listed');
    assert.equal(slow.execution?.taskSupport, 'optional');
    assert.equal(listed.resultType, undefined);
    // The SDK's own typed call accepts the page (VS Code reads it with the same schemas).
    const typed = await client.listTools();
    assert.ok(typed.tools.some((t) => t.name === 'needs-input'));
  });

  it('a task VS Code starts is VS Code\'s in the store (tool, arguments); tasks/get follows it to completed, tasks/result gives its result', async () => {
    const args = { steps: 3, stepMs: 200, label: 'from-vscode' };
    const created = await start('slow-job', args);
    assert.equal(created.status, 'working');
    assert.equal(typeof created.createdAt, 'string');
    assert.ok(created.ttl === null || typeof created.ttl === 'number');
    const tracked = await waitForTask(server, created.taskId, 'tracked', () => true);
    assert.equal(tracked.toolName, 'slow-job');
    assert.deepEqual(tracked.toolArgs, args);
    assert.equal(tracked.startedBy, 'vscode');
    const seen = await waitFor('completed through tasks/get', async () => ((await get(created.taskId)).status === 'completed' ? true : undefined), 8_000);
    assert.ok(seen);
    const reply = await result(created.taskId);
    assert.match(reply.content?.[0]?.text ?? '', /from-vscode/);
    assert.equal(reply.resultType, undefined, 'no 2026-only resultType');
    assert.deepEqual(reply._meta?.[RELATED_TASK_META_KEY], { taskId: created.taskId });
    const listed = (await client.request({ method: 'tasks/list', params: {} }, ResultSchema)) as { tasks: WireTask[] };
    assert.ok(listed.tasks.some((t) => t.taskId === created.taskId && t.status === 'completed'));
  });

  it('a failed task: VS Code sees failed, and tasks/result answers with the task\'s error', async () => {
    const created = await start('failing-job', { afterMs: 100, reason: 'the disk is on fire' });
    await waitFor('failed through tasks/get', async () => ((await get(created.taskId)).status === 'failed' ? true : undefined), 8_000);
    await assert.rejects(result(created.taskId), /the disk is on fire/);
  });

  it('a tool error (isError) is a completed task whose result says so', async () => {
    const created = await start('failing-job', { afterMs: 100, reason: 'no such file', kind: 'tool-error' });
    const reply = await result(created.taskId);
    assert.equal(reply.isError, true);
    assert.match(JSON.stringify(reply.content), /no such file/);
  });

  it('our cancel (from the tree) is what VS Code then sees; VS Code\'s tasks/cancel reaches the server', async () => {
    const created = await start('slow-job', { steps: 50, stepMs: 200 });
    await waitForTask(server, created.taskId, 'tracked', (t) => t.status === 'working');
    await server.cancelTask(created.taskId);
    await waitFor('cancelled through tasks/get', async () => ((await get(created.taskId)).status === 'cancelled' ? true : undefined), 8_000);

    const second = await start('slow-job', { steps: 50, stepMs: 200 });
    await client.request({ method: 'tasks/cancel', params: { taskId: second.taskId } }, ResultSchema);
    await waitForStatus(server, second.taskId, 'cancelled');
  });

  it('pushes the status of VS Code\'s tasks (notifications/tasks/status)', async () => {
    const pushed: string[] = [];
    client.fallbackNotificationHandler = async (n) => void pushed.push(`${n.method} ${(n.params as { status?: string } | undefined)?.status ?? ''}`);
    const created = await start('slow-job', { steps: 2, stepMs: 100 });
    await waitForStatus(server, created.taskId, 'completed');
    await waitFor('the completed push', () => pushed.includes('notifications/tasks/status completed'), 3_000);
  });

  it('puts the question of an input_required task to VS Code (related to the task); its answer completes the task', async () => {
    const asked: Array<{ message: string; related: unknown }> = [];
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      asked.push({ message: request.params.message, related: request.params._meta?.[RELATED_TASK_META_KEY] });
      return { action: 'accept', content: { answer: 'teal' } };
    });
    const created = await start('needs-input', { question: 'Colour?' });
    const reply = await result(created.taskId);
    assert.deepEqual(asked, [{ message: 'Colour?', related: { taskId: created.taskId } }]);
    assert.equal(reply.content?.[0]?.text, 'answer: teal');
    await waitForStatus(server, created.taskId, 'completed');
  });

  it('a plain answer to a task-augmented call is a task already completed, with the answer as its result', async () => {
    const created = await start('quick-echo', { text: 'hi' });
    assert.equal(created.status, 'completed');
    assert.equal((await get(created.taskId)).status, 'completed');
    assert.equal((await result(created.taskId)).content?.[0]?.text, 'echo: hi');
    assert.equal(server.store.get(created.taskId)?.startedBy, 'vscode');
  });

  it('a call without task gets the plain result (after the task, when the server made one)', async () => {
    assert.equal(((await call('quick-echo', { text: 'plain' })) as ToolResult).content?.[0]?.text, 'echo: plain');
    const slow = (await call('slow-job', { steps: 2, stepMs: 100, label: 'waited' })) as ToolResult;
    assert.match(slow.content?.[0]?.text ?? '', /waited/);
  });

  it('answers a task VS Code did not start, and a method the server does not have, with clear errors', async () => {
    const ours = await server.callToolAsTask('slow-job', { steps: 2, stepMs: 100 });
    await assert.rejects(get(ours.taskId), (e: { code?: number }) => e.code === -32602);
    await assert.rejects(get('no-such-task'), (e: { code?: number }) => e.code === -32602);
    await assert.rejects(call('no-such-tool', {}, {}), (e: { code?: number; message: string }) => e.code === -32602 && /no-such-tool/.test(e.message));
    // Passed on: the server's own answer (bridge2026Forwarding.test.ts has the methods it does have).
    await assert.rejects(client.request({ method: 'vendor/unknown', params: {} }, ResultSchema), (e: { code?: number }) => e.code === -32601);
  });
});
