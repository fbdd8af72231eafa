// The registry and each server's lifecycle: configuration diffs, removal while polling, pausing, the
// reconnect after a crash, restart(), the HTTP→SSE fallback, failures, timeouts and what is logged.
import * as assert from 'node:assert/strict';
import type { ConnectionState } from '../../../src/core';
import type { TaskServer } from '../../../src/core/servers/TaskServer';
import { RESUME_FIRST_MS } from '../../../src/core/servers/ServerRegistry';
import { startHttpDemoServer, type HttpDemoServer } from '../../fixtures/demo-server/spawn';
import { demoStdioConfig, httpConfig } from '../../support/serverConfigs';
import { RegistryHarness } from '../../support/registryHarness';
import { sleep, waitConnected, waitFor, waitForStatus, waitForTask } from '../../support/waiting';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('server registry', () => {
  let h: RegistryHarness;
  let http: HttpDemoServer;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  before(async () => {
    http = await startHttpDemoServer(['--poll-interval', '100']);
    process.on('unhandledRejection', onUnhandled);
  });

  after(async () => {
    process.off('unhandledRejection', onUnhandled);
    await http.stop();
  });

  beforeEach(() => {
    h = new RegistryHarness();
  });

  afterEach(async () => {
    await h.dispose();
    assert.deepEqual(unhandled, [], 'no unhandled rejections');
  });

  it('adds, keeps, restarts on change and removes servers by diffing configs', async () => {
    let fired = 0;
    h.registry.onDidChangeServers(() => fired++);
    const a = demoStdioConfig('a');
    const b = httpConfig('b', http.url);
    h.registry.setConfigs([a, b]);
    assert.equal(fired, 1);
    const [serverA, serverB] = [h.registry.get('a')!, h.registry.get('b')!];
    await Promise.all([waitConnected(serverA), waitConnected(serverB)]);
    const task = await serverA.callToolAsTask('slow-job', { steps: 50, stepMs: 100 });
    const pid = serverA.processId!;

    h.registry.setConfigs([{ ...a }, { ...b, headers: {} }]);
    assert.equal(fired, 1, 'equal content is no change');
    assert.equal(h.registry.get('a'), serverA);

    h.registry.setConfigs([{ ...a, args: [...a.args, '--poll-interval', '150'] }, b]);
    assert.equal(fired, 2);
    assert.equal(h.registry.get('a'), serverA, 'a changed server is the same object, reconnected');
    await waitFor('a new process', () => serverA.state.kind === 'connected' && serverA.processId !== pid && serverA.processId);
    assert.equal(isAlive(pid), false, 'the old process was stopped');
    await waitForStatus(serverA, task.taskId, 'expired', 5_000); // the new process has never seen it

    h.registry.setConfigs([b]);
    assert.equal(fired, 3);
    assert.deepEqual(h.registry.servers().map((s) => s.id), ['b']);
    await waitFor('a to stop', () => serverA.state.kind === 'disconnected');
  });

  it('stops cleanly when a server is removed while its tasks are polled', async () => {
    const server = await h.connect(demoStdioConfig('busy', ['--no-notifications', '--poll-interval', '50']));
    const tasks = await Promise.all([1, 2, 3].map(() => server.callToolAsTask('endless-job', { tickMs: 50 })));
    await waitForTask(server, tasks[0]!.taskId, 'to tick', (t) => /tick/.test(t.statusMessage ?? ''));
    const pending = server.getTaskResult(tasks[1]!.taskId); // blocks on the server
    const pid = server.processId!;
    let events = 0;
    server.store.onDidChange(() => events++);
    h.registry.setConfigs([]);
    await waitFor('the process to exit', () => !isAlive(pid), 5_000);
    const outcome = await pending;
    assert.equal(outcome.kind, 'error', 'a pending result resolves as an error, it does not reject');
    const eventsAtStop = events;
    await sleep(300);
    assert.equal(events, eventsAtStop, 'no more store events');
    assert.equal(server.state.kind, 'disconnected');
    assert.equal(server.store.get(tasks[0]!.taskId)?.status, 'working', 'the last known state stays readable');
  });

  it('polls nothing while paused and polls soon after resuming', async () => {
    const server = await h.connect(demoStdioConfig('pause', ['--no-notifications', '--poll-interval', '100']));
    h.registry.setPollingPaused(true);
    const task = await server.callToolAsTask('slow-job', { steps: 20, stepMs: 100 });
    const before = h.log.requests('pause', 'tasks/get');
    await sleep(400);
    assert.equal(h.log.requests('pause', 'tasks/get'), before);
    assert.equal(server.store.get(task.taskId)?.statusMessage, undefined);
    h.registry.setPollingPaused(false);
    // One server: its turn comes RESUME_FIRST_MS after the resume (test/node/polling/staggeredResume.test.ts).
    await waitFor('a poll soon after resuming', () => h.log.requests('pause', 'tasks/get') > before, RESUME_FIRST_MS + 150);
    await waitForTask(server, task.taskId, 'to show progress', (t) => /^step/.test(t.statusMessage ?? ''), 1_000);
  });

  it('reconnects after the server process dies, and polls the known tasks again', async () => {
    const server = await h.connect(demoStdioConfig('crashy'));
    const task = await server.callToolAsTask('endless-job', { tickMs: 100 });
    const states: ConnectionState[] = [];
    server.onDidChangeState((s) => states.push(s));
    const pid = server.processId!;
    process.kill(pid, 'SIGKILL');
    await waitFor('a reconnect', () => server.state.kind === 'connected' && server.processId !== pid, 5_000);
    const failed = states.find((s) => s.kind === 'failed');
    assert.ok(failed && failed.kind === 'failed' && failed.retryAt !== undefined, 'a failed state with the retry time came first');
    assert.match(failed.kind === 'failed' ? failed.reason : '', /closed/);
    await waitForStatus(server, task.taskId, 'expired', 5_000);
  });

  it('restart() reconnects and polls the known tasks again (HTTP: the server still has them)', async () => {
    const server = await h.connect(httpConfig('restartable', http.url));
    const task = await server.callToolAsTask('slow-job', { steps: 10, stepMs: 100 });
    const asked = () => h.log.requests('restartable', 'tasks/get') + h.log.requests('restartable', 'tasks/list');
    const states: string[] = [];
    server.onDidChangeState((s) => states.push(s.kind));
    await server.restart();
    const before = asked();
    await waitConnected(server);
    assert.deepEqual(states.slice(0, 2), ['disconnected', 'connecting']);
    await waitFor('the known task to be asked about again', () => asked() > before);
    await waitForStatus(server, task.taskId, 'completed', 5_000);
  });

  it('falls back from Streamable HTTP to SSE when the endpoint refuses it, and runs tasks over SSE', async () => {
    const sseUrl = http.url.replace(/\/mcp$/, '/sse');
    const fallback = await h.connect(httpConfig('fallback', sseUrl, {}, 'http'));
    assert.equal(fallback.state.kind === 'connected' && fallback.state.transport, 'sse');
    assert.ok(h.log.lines.some((e) => e.serverId === 'fallback' && /trying legacy SSE/.test(e.message)));
    const sse = await h.connect(httpConfig('sse-only', sseUrl, {}, 'sse'));
    assert.equal(sse.state.kind === 'connected' && sse.state.transport, 'sse');
    const task = await sse.callToolAsTask('slow-job', { steps: 2, stepMs: 50 });
    await waitForStatus(sse, task.taskId, 'completed');
    const outcome = await sse.getTaskResult(task.taskId);
    assert.equal(outcome.kind, 'result');
  });

  it('reports a server that cannot start as failed with a retry time, and keeps retrying with backoff', async () => {
    h.registry.setConfigs([
      { ...demoStdioConfig('missing'), command: '/nonexistent/mcp-server' },
      httpConfig('refused', 'http://127.0.0.1:9/mcp'),
    ]);
    for (const id of ['missing', 'refused']) {
      const server: TaskServer = h.registry.get(id)!;
      const attempts: number[] = [];
      server.onDidChangeState((s) => s.kind === 'connecting' && attempts.push(s.attempt));
      const failed = await waitFor(`${id} to fail`, () => (server.state.kind === 'failed' ? server.state : undefined));
      assert.ok(failed.retryAt! > Date.now() - 50);
      await waitFor(`${id} to retry`, () => attempts.length >= 2 && attempts, 3_000);
      assert.ok(attempts[1]! > attempts[0]!, 'the attempt count grows');
      await assert.rejects(server.callToolAsTask('slow-job', {}), /not connected/);
    }
  });

  it('logs stderr line by line, but never env or header values', async () => {
    const secret = 'hunter2-secret-value';
    await h.connect(demoStdioConfig('logged', [], { DEMO_TOKEN: secret }));
    await h.connect(httpConfig('headers', http.url, { Authorization: `Bearer ${secret}` }));
    await waitFor('a stderr line', () => h.log.lines.some((e) => e.serverId === 'logged' && /^\[stderr\] .*serving stdio/.test(e.message)));
    assert.equal(h.log.text().includes(secret), false);
  });

  it('keeps waiting for a result across request timeouts while the task runs', async () => {
    const server = await h.connect(demoStdioConfig('slow-result'));
    // Short enough that tasks/result times out while the task runs; set once connected, since the timeout
    // also bounds the handshake (a Node process starting the fixture needs more than 300 ms).
    h.settings = { ...h.settings, requestTimeoutMs: 300 };
    const task = await server.callToolAsTask('slow-job', { steps: 4, stepMs: 250 });
    const outcome = await server.getTaskResult(task.taskId);
    assert.equal(outcome.kind, 'result');
    assert.ok(h.log.requests('slow-result', 'tasks/result') >= 2, 'asked again after a timeout');
    assert.equal(server.cachedOutcome(task.taskId), outcome);
  });
});
