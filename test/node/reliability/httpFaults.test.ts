// HTTP servers that misbehave: refused connections, 401/403, 500s, slow answers, a dropped event stream.
import * as assert from 'node:assert/strict';
import { closedPort, startHttpFaultServer, type HttpFaultServer } from '../../fixtures/fault-server/spawn';
import {
  assertResponsive,
  connected,
  failedState,
  guardUnhandledRejections,
  Harness,
  httpConfig,
  rejection,
  rit,
  sleep,
  stdioConfig,
  taskState,
  waitFor,
  within,
} from './harness';

describe('reliability: HTTP servers that misbehave', function () {
  this.timeout(30_000);
  guardUnhandledRejections();
  let h: Harness;
  let servers: HttpFaultServer[] = [];
  const serve = async (...args: string[]) => {
    const s = await startHttpFaultServer(args);
    servers.push(s);
    return s;
  };
  afterEach(async () => {
    await h?.dispose();
    await Promise.all(servers.map((s) => s.stop()));
    servers = [];
  });

  rit('connection refused: failed with a reason that says so, retried, others unaffected', async () => {
    h = new Harness();
    const port = await closedPort();
    const [srv, good] = h.start(httpConfig('refused', `http://127.0.0.1:${port}/mcp`), stdioConfig('healthy'));
    const failed = await failedState(srv!);
    assert.match(failed.reason, /refused|ECONNREFUSED/i, failed.reason);
    assert.ok(failed.retryAt !== undefined);
    await waitFor('a retry', () => (h.states.get('refused') ?? []).filter((s) => s.kind === 'connecting').length >= 2, 5_000);
    await connected(good!);
    await assertResponsive(good!);
  });

  for (const [status, type] of [[401, 'http'], [403, 'http'], [401, 'sse']] as const) {
    rit(`HTTP ${status} (${type}): failed with a reason that says it is an authentication problem, no SSE fallback`, async () => {
      h = new Harness();
      const server = await serve('--fault', `http-status=${status}`);
      const url = type === 'sse' ? server.url.replace(/\/mcp$/, '/sse') : server.url;
      const [srv] = h.start({ ...httpConfig(`auth-${status}-${type}`, url, { Authorization: 'Bearer wrong-token' }), type });
      const failed = await failedState(srv!);
      assert.match(failed.reason, /auth/i, failed.reason);
      assert.match(failed.reason, new RegExp(String(status)), failed.reason);
      // A legacy SSE attempt would not fix credentials: only the Streamable HTTP POST was tried.
      if (type === 'http') assert.ok(!/legacy SSE/i.test(h.log.text()), 'fell back to SSE on an auth error');
      const err = await rejection(srv!.listTools(), 'listTools on a server that refused us');
      assert.match(err.message, /auth/i);
    });
  }

  rit('the server process dies in the middle of a request: the request settles, the state says unreachable', async () => {
    h = new Harness();
    const server = await serve('--fault', 'exit-on=tasks/result');
    const [srv] = h.start(httpConfig('dies', server.url));
    await connected(srv!);
    const task = await srv!.callToolAsTask('job', { ms: 100 });
    const outcome = await within(5_000, 'getTaskResult while the server dies', srv!.getTaskResult(task.taskId));
    assert.equal(outcome.kind, 'error');
    const failed = await failedState(srv!, 5_000);
    assert.match(failed.reason, /refused|unreachable|closed|ECONNRESET|socket/i, failed.reason);
    assert.equal(srv!.store.get(task.taskId)?.status === 'expired', false, 'an unreachable server is not a forgotten task');
  });

  rit('HTTP 500 on connect: failed with a short reason (not the whole error page), retried', async () => {
    h = new Harness();
    const server = await serve('--fault', 'http-status=500');
    const [srv] = h.start(httpConfig('five-hundred', server.url));
    const failed = await failedState(srv!);
    assert.match(failed.reason, /500|Internal Server Error/, failed.reason);
    assert.ok(failed.reason.length <= 1_000, `a reason of ${failed.reason.length} characters`);
    await waitFor('a retry', () => (h.states.get('five-hundred') ?? []).filter((s) => s.kind === 'connecting').length >= 2, 5_000);
  });

  rit('HTTP 500s on polls: the task keeps its state with a short error, and recovers when the server does', async () => {
    h = new Harness();
    const server = await serve('--fault', 'no-notify');
    const [srv] = h.start(httpConfig('flaky', server.url));
    await connected(srv!);
    const task = await srv!.callToolAsTask('job', { ms: 1_500, text: 'made it' });
    await server.control({ add: ['http-500-on=tasks/get', 'http-500-on=tasks/list'] });
    const err = await rejection(srv!.getTaskStatus(task.taskId), 'tasks/get answered 500');
    assert.ok(err.message.length <= 1_000, `an error of ${err.message.length} characters`);
    const held = srv!.store.get(task.taskId)!;
    assert.equal(held.status, 'working');
    assert.ok(held.lastError && held.lastError.length <= 1_000, `lastError: ${held.lastError?.slice(0, 200)}`);
    assert.equal(srv!.state.kind, 'connected', 'a 500 is not a lost connection');
    await server.control({ remove: ['http-500-on'] });
    const done = await taskState(srv!, task.taskId, (t) => t.status === 'completed', 'completed once the server recovers', 10_000);
    assert.equal(done.lastError, undefined, 'the error is cleared by a good answer');
  });

  rit('slow answers within the timeout: everything works, and a fast server is not held up', async () => {
    h = new Harness({ settings: { requestTimeoutMs: 3_000 } });
    const server = await serve('--fault', 'slow=400');
    const [srv, good] = h.start(httpConfig('slow', server.url), stdioConfig('healthy'));
    await connected(srv!);
    await connected(good!);
    const task = await srv!.callToolAsTask('job', { ms: 100, text: 'slowly' });
    const result = srv!.getTaskResult(task.taskId);
    await assertResponsive(good!, 2_000);
    const outcome = await within(8_000, 'a slow result', result);
    assert.equal(outcome.kind === 'result' && outcome.result.content?.[0]?.text, 'slowly');
  });

  rit('answers slower than the timeout: failed with a timeout, and retried', async () => {
    h = new Harness({ settings: { requestTimeoutMs: 1_000 } });
    const server = await serve('--fault', 'slow=3000');
    const [srv, good] = h.start(httpConfig('too-slow', server.url), stdioConfig('healthy'));
    const failed = await failedState(srv!, 5_000);
    assert.match(failed.reason, /time/i, failed.reason);
    await connected(good!);
    await assertResponsive(good!);
  });

  rit('a dropped event stream is reopened and status pushes arrive again', async () => {
    // Polls so rare that only a push can bring the completion quickly.
    h = new Harness({ settings: { maxPollIntervalMs: 60_000, minPollIntervalMs: 30_000 } });
    const server = await serve('--poll-interval', '60000', '--fault', 'drop-sse=300:1');
    const [srv] = h.start(httpConfig('dropped', server.url));
    await connected(srv!);
    await waitFor('the event stream to be cut and reopened', async () => (await server.control()).sseOpened >= 2, 8_000);
    const task = await srv!.callToolAsTask('job', { ms: 500 });
    const done = await taskState(srv!, task.taskId, (t) => t.status === 'completed', 'completed by a push', 4_000);
    assert.equal(done.status, 'completed');
    assert.equal(srv!.state.kind, 'connected');
  });

  rit('a dropped legacy SSE stream: the connection is made again and the tasks carry on', async () => {
    h = new Harness();
    const server = await serve('--poll-interval', '200', '--fault', 'drop-sse=400:1');
    const url = server.url.replace(/\/mcp$/, '/sse');
    const [srv] = h.start({ ...httpConfig('legacy', url), type: 'sse' });
    await connected(srv!);
    const task = await srv!.callToolAsTask('job', { ms: 1_200, text: 'over sse' });
    await waitFor('the stream to be cut', async () => (await server.control()).sseOpened >= 1 && /cutting event stream/.test(server.stderr()), 5_000);
    const done = await taskState(srv!, task.taskId, (t) => t.status === 'completed', 'completed after the drop', 10_000);
    assert.equal(done.startedByUs, true);
    await connected(srv!);
    // The connection works after the drop: a new task runs to its end.
    const after = await within(5_000, 'a task after the drop', srv!.callToolAsTask('job', { ms: 50, text: 'again' }));
    const outcome = await within(5_000, 'its result', srv!.getTaskResult(after.taskId));
    assert.equal(outcome.kind === 'result' && outcome.result.content?.[0]?.text, 'again');
  });

  rit('a token revoked mid-session: the next request fails as an auth problem, the task keeps its state', async () => {
    h = new Harness();
    const server = await serve('--fault', 'no-notify');
    const [srv] = h.start(httpConfig('revoked', server.url, { Authorization: 'Bearer soon-revoked' }));
    await connected(srv!);
    const task = await srv!.callToolAsTask('job', { ms: 60_000 });
    await server.control({ add: ['http-status=401'] });
    const err = await rejection(srv!.getTaskStatus(task.taskId), 'a poll after the token was revoked');
    assert.match(err.message, /auth/i, err.message);
    await sleep(50);
    assert.equal(srv!.store.get(task.taskId)?.status, 'working', 'the task is not expired by an auth error');
  });
});
