// A server restarted while tasks run: after the reconnect the known tasks are polled again; those the
// server forgot become expired, the rest carry on. Over stdio (the process crashes) and over HTTP (the
// process is killed and a new one listens on the same port with the same state).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { TaskServerApi } from '../../../src/core';
import type { TrackedTask } from '../../../src/core/model/TaskModel';
import { startHttpFaultServer, statePid, type HttpFaultServer } from '../../fixtures/fault-server/spawn';
import {
  cleanupTempDirs,
  connected,
  guardUnhandledRejections,
  Harness,
  httpConfig,
  rit,
  sleep,
  stdioConfig,
  taskState,
  tempDir,
  waitFor,
} from './harness';

interface Scenario {
  /** Finishes 1.5 s after creation: completed after the restart. */
  readonly finishes: TrackedTask;
  /** Runs on (60 s): still working after the restart, and still polled. */
  readonly runs: TrackedTask;
  /** Not persisted by the server: forgotten by the restarted one. */
  readonly forgotten: TrackedTask[];
}

async function startTasks(srv: TaskServerApi): Promise<Scenario> {
  const finishes = await srv.callToolAsTask('job', { ms: 1_500, text: 'finished across a restart' });
  const runs = await srv.callToolAsTask('job', { ms: 60_000 });
  const forgotten = [await srv.callToolAsTask('job', { ms: 60_000, persist: false }), await srv.callToolAsTask('job', { ms: 2_000, persist: false })];
  await sleep(150); // the server writes its state file at most every 50 ms
  return { finishes, runs, forgotten };
}

async function checkAfterRestart(srv: TaskServerApi, s: Scenario): Promise<void> {
  for (const t of s.forgotten) {
    const gone = await taskState(srv, t.taskId, (x) => x.status === 'expired', 'expired: the restarted server forgot it');
    assert.equal(gone.startedByUs, true, 'still shown as ours');
  }
  const done = await taskState(srv, s.finishes.taskId, (x) => x.status === 'completed', 'completed after the restart');
  assert.equal(done.startedByUs, true);
  const runs = srv.store.get(s.runs.taskId)!;
  assert.equal(runs.status, 'working');
  // Still polled: a fresh answer arrives after the reconnect.
  const seenAt = runs.fetchedAt;
  await taskState(srv, s.runs.taskId, (x) => x.fetchedAt > seenAt, 'polled again', 5_000);
  const outcome = await srv.getTaskResult(s.finishes.taskId);
  assert.equal(outcome.kind === 'result' && outcome.result.content?.[0]?.text, 'finished across a restart');
}

describe('reliability: a server restarted while tasks run', function () {
  this.timeout(30_000);
  guardUnhandledRejections();
  let h: Harness;
  let http: HttpFaultServer[] = [];
  afterEach(async () => {
    await h?.dispose();
    await Promise.all(http.map((s) => s.stop()));
    http = [];
    cleanupTempDirs();
  });

  rit('stdio: the process crashes; after the reconnect forgotten tasks are expired, the rest carry on', async () => {
    h = new Harness({ settings: { maxPollIntervalMs: 1_000 } });
    const state = path.join(tempDir(), 'state.json');
    const [srv] = h.start(stdioConfig('crashy', ['--state-file', state, '--poll-interval', '300']));
    await connected(srv!);
    const scenario = await startTasks(srv!);
    const pid = statePid(state)!;
    assert.equal(pid, srv!.processId);
    process.kill(pid, 'SIGKILL');
    await waitFor('a new server process', () => srv!.state.kind === 'connected' && srv!.processId !== pid, 10_000);
    await checkAfterRestart(srv!, scenario);
  });

  rit('HTTP: the server goes away and comes back on the same port; tasks are re-polled', async () => {
    h = new Harness({ settings: { maxPollIntervalMs: 1_000 } });
    const state = path.join(tempDir(), 'state.json');
    const args = ['--state-file', state, '--poll-interval', '300'];
    const first = await startHttpFaultServer(args);
    http.push(first);
    const [srv] = h.start(httpConfig('restarty', first.url));
    await connected(srv!);
    const scenario = await startTasks(srv!);
    await first.kill();
    // Down for a moment: polls fail (recorded on the tasks), then the new process answers.
    await sleep(400);
    const second = await startHttpFaultServer(args, { port: first.port });
    http.push(second);
    await checkAfterRestart(srv!, scenario);
    assert.equal(srv!.state.kind, 'connected');
  });

  rit('Restart Server (restart()) re-polls every known task at once', async () => {
    h = new Harness({ settings: { maxPollIntervalMs: 1_000 } });
    const state = path.join(tempDir(), 'state.json');
    const [srv] = h.start(stdioConfig('restarted', ['--state-file', state]));
    await connected(srv!);
    const scenario = await startTasks(srv!);
    const pid = srv!.processId;
    await srv!.restart();
    await waitFor('a new process', () => srv!.state.kind === 'connected' && srv!.processId !== pid, 10_000);
    await checkAfterRestart(srv!, scenario);
  });
});
