// Stdio servers that misbehave at the process level: exit at start, exit mid-request, garbage on stdout,
// a stderr flood, never answering. Each runs next to a healthy server that must keep working.
import * as assert from 'node:assert/strict';
import {
  assertResponsive,
  cleanupTempDirs,
  connected,
  failedState,
  guardUnhandledRejections,
  Harness,
  rejection,
  rit,
  sleep,
  stdioConfig,
  taskState,
  tempDir,
  waitFor,
  within,
} from './harness';
import * as path from 'node:path';

describe('reliability: stdio servers that misbehave', function () {
  this.timeout(30_000);
  guardUnhandledRejections();
  let h: Harness;
  afterEach(async () => {
    await h?.dispose();
    cleanupTempDirs();
  });

  rit('a server that exits at start is shown failed with the reason, retried, and the others keep working', async () => {
    h = new Harness();
    const [bad, good] = h.start(stdioConfig('exits', ['--fault', 'exit-at-start']), stdioConfig('healthy'));
    const failed = await failedState(bad!);
    assert.match(failed.reason, /closed|exit/i, failed.reason);
    // "Connection closed" alone leaves the user guessing: the reason carries what the server last said.
    assert.match(failed.reason, /exit-at-start: exiting before reading anything/, failed.reason);
    assert.ok(failed.retryAt !== undefined, 'a retry is scheduled');
    // It keeps being retried (with backoff), never connected, never hanging the registry.
    await waitFor('a second attempt', () => (h.states.get('exits') ?? []).filter((s) => s.kind === 'connecting').length >= 2, 5_000);
    // What the server said before dying reaches the log.
    await waitFor('its stderr in the log', () => h.log.count('exits', /exit-at-start/) > 0, 3_000);
    const err = await rejection(within(1_000, 'callToolAsTask on a failed server', bad!.callToolAsTask('job', {})), 'calling a failed server');
    assert.match(err.message, /not connected/);
    await connected(good!);
    await assertResponsive(good!);
  });

  rit('a server that exits in the middle of a request: the request settles, the server reconnects, the task carries on', async () => {
    h = new Harness();
    const state = path.join(tempDir(), 'state.json');
    const [srv] = h.start(stdioConfig('dies', ['--state-file', state, '--fault', 'exit-on=tasks/result']));
    await connected(srv!);
    const firstPid = srv!.processId;
    const task = await srv!.callToolAsTask('job', { ms: 300, text: 'survived' });
    // The server dies on this very request, without answering it.
    const outcome = await within(5_000, 'getTaskResult while the server dies', srv!.getTaskResult(task.taskId));
    assert.equal(outcome.kind, 'error');
    assert.equal(srv!.cachedOutcome(task.taskId), undefined, 'a dropped connection is not a final answer');
    const lost = await waitFor('the lost connection to show', () => h.states.get('dies')!.find((s) => s.kind === 'failed'), 3_000);
    assert.match(lost.kind === 'failed' ? lost.reason : '', /exit-on: exiting on tasks\/result/, JSON.stringify(lost));
    await waitFor('a new server process', () => srv!.state.kind === 'connected' && srv!.processId !== firstPid, 10_000);
    // Known tasks are asked about again after the reconnect; this one was kept by the restarted server.
    const done = await taskState(srv!, task.taskId, (t) => t.status === 'completed', 'completed after the reconnect');
    assert.equal(done.startedByUs, true);
    const again = await within(5_000, 'getTaskResult after the reconnect', srv!.getTaskResult(task.taskId));
    assert.equal(again.kind, 'result');
    assert.equal(again.kind === 'result' && again.result.content?.[0]?.text, 'survived');
  });

  rit('garbage on stdout is logged and skipped; the protocol keeps working', async () => {
    h = new Harness();
    const [srv, good] = h.start(stdioConfig('garbage', ['--fault', 'garbage-stdout=50']), stdioConfig('healthy'));
    await connected(srv!);
    await connected(good!);
    const task = await within(5_000, 'callToolAsTask through garbage', srv!.callToolAsTask('job', { ms: 100, text: 'clean' }));
    const outcome = await within(5_000, 'getTaskResult through garbage', srv!.getTaskResult(task.taskId));
    assert.equal(outcome.kind === 'result' && outcome.result.content?.[0]?.text, 'clean');
    await taskState(srv!, task.taskId, (t) => t.status === 'completed', 'completed');
    // Reported, so the user can see why the server looks odd...
    await waitFor('a protocol error in the log', () => h.log.count('garbage', /protocol error|not valid JSON|JSON/i) > 0, 3_000);
    // ...plainly: one short line each, with the garbage's control bytes (NUL here) escaped, not a
    // multi-line validator dump.
    for (const line of h.log.of('garbage').filter((l) => /protocol error/.test(l.message))) {
      assert.ok(line.message.length <= 500, `a protocol error line of ${line.message.length} characters`);
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(line.message, /[\u0000-\u001f\u007f]/, `control characters in ${JSON.stringify(line.message)}`);
    }
    await assertResponsive(good!);
  });

  rit('a stderr flood stays readable and bounded in the log, and nothing stalls', async () => {
    h = new Harness();
    const [srv, good] = h.start(stdioConfig('flood', ['--fault', 'flood-stderr=20']), stdioConfig('healthy'));
    await connected(srv!, 15_000);
    await connected(good!);
    // Work goes on on both servers while the flood runs.
    await assertResponsive(srv!, 8_000);
    await assertResponsive(good!, 5_000);
    await waitFor('the flood to reach the log', () => h.log.count('flood', /long line/) > 0 || h.log.count('flood', /dropped|suppressed|skipped/i) > 0, 10_000);
    const lines = h.log.of('flood');
    const longest = lines.reduce((n, l) => Math.max(n, l.message.length), 0);
    assert.ok(longest <= 5_000, `a log line of ${longest} characters`);
    const logged = lines.reduce((n, l) => n + l.message.length, 0);
    // The server wrote over 21 MB; a log (the Output panel) must not take it all.
    assert.ok(logged < 2 * 1024 * 1024, `${(logged / 1024 / 1024).toFixed(1)} MB of stderr logged`);
  });

  rit('a server that never answers initialize fails with a timeout, and the registry stays responsive', async () => {
    h = new Harness({ settings: { requestTimeoutMs: 1_000 } });
    const [mute, good] = h.start(stdioConfig('mute', ['--fault', 'hang=initialize']), stdioConfig('healthy'));
    await connected(good!);
    await assertResponsive(good!);
    const failed = await failedState(mute!, 5_000);
    assert.match(failed.reason, /time/i, failed.reason);
    // Replacing the configuration and disposing do not wait for the mute server.
    await within(2_000, 'setConfigs while a server hangs', Promise.resolve(h.registry.setConfigs([good!.config])));
    assert.equal(h.registry.get('mute'), undefined);
    await assertResponsive(good!);
  });

  rit('requests a server never answers time out; the task keeps its state and shows the error', async () => {
    h = new Harness({ settings: { requestTimeoutMs: 1_000 } });
    const [srv, good] = h.start(stdioConfig('deaf', ['--fault', 'hang=tasks/get', '--fault', 'no-notify']), stdioConfig('healthy'));
    await connected(srv!);
    const task = await srv!.callToolAsTask('job', { ms: 60_000 });
    const started = Date.now();
    const err = await rejection(within(4_000, 'getTaskStatus on a hung server', srv!.getTaskStatus(task.taskId)), 'tasks/get that is never answered');
    assert.ok(Date.now() - started < 3_000, `took ${Date.now() - started} ms`);
    assert.match(err.message, /time/i);
    const held = srv!.store.get(task.taskId);
    assert.equal(held?.status, 'working', 'a timeout is not news about the task');
    assert.match(held?.lastError ?? '', /time/i);
    await assertResponsive(good!);
    // Other requests to the same server still work.
    await within(3_000, 'listTools on the server whose tasks/get hangs', srv!.listTools());
  });

  rit('a completed task whose result the server never sends: getTaskResult gives up instead of waiting for ever', async () => {
    h = new Harness({ settings: { requestTimeoutMs: 1_000 } });
    const [srv] = h.start(stdioConfig('no-result', ['--fault', 'hang=tasks/result']));
    await connected(srv!);
    const task = await srv!.callToolAsTask('job', { ms: 0 });
    await taskState(srv!, task.taskId, (t) => t.status === 'completed', 'completed');
    const outcome = await within(5_000, 'getTaskResult of a completed task whose result never comes', srv!.getTaskResult(task.taskId));
    assert.equal(outcome.kind, 'error');
    assert.match(outcome.kind === 'error' ? outcome.message : '', /time/i);
    assert.equal(srv!.cachedOutcome(task.taskId), undefined, 'a timeout is not cached as the answer');
  });

  rit('dispose does not wait for requests a server never answers', async () => {
    h = new Harness({ settings: { requestTimeoutMs: 30_000 } });
    const [srv] = h.start(stdioConfig('hung', ['--fault', 'hang=tasks/get', '--fault', 'hang=tasks/result']));
    await connected(srv!);
    const task = await srv!.callToolAsTask('job', { ms: 60_000 });
    const pending = [srv!.getTaskStatus(task.taskId).catch(() => undefined), srv!.getTaskResult(task.taskId)];
    await sleep(100);
    await within(5_000, 'registry.dispose() with hung requests', h.registry.dispose());
    await within(5_000, 'the hung requests to settle after dispose', Promise.all(pending));
  });
});
