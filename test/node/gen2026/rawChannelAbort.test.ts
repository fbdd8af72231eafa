/**
 * Aborting a request sent over the 2026 raw channel fails it and tells the server (notifications/cancelled),
 * for both kinds of signal: a caller's own (the bridge's forwarded requests) is acted on at once; the fresh
 * one ext-tasks makes for each operation is watched only once the request has waited ABORT_WATCH_MS (see
 * modern/pendingRequests.ts), and an abort meanwhile is acted on then. The server is frozen with SIGSTOP so
 * the requests stay pending (a real hang, not a mock); its stats file counts the cancels it received.
 */
import * as assert from 'node:assert/strict';
import { framedParams } from '../../../src/core/connection/modern/framing';
import { ABORT_WATCH_MS } from '../../../src/core/connection/modern/pendingRequests';
import { RawChannel, type RawReply } from '../../../src/core/connection/modern/rawChannel';
import { CALL_ID_META_KEY } from '../../../src/core/connection/modern/session';
import { createStdioTransport, type StdioTransport } from '../../../src/core/connection/stdioTransport';
import { GEN2026, serverStats } from '../../support/generations';
import { waitFor } from '../../support/waiting';

const CLIENT = { name: 'raw-channel-test', version: '0.0.0' };

/** What the request has come to once the microtasks queued now have run (no timer can fire meanwhile). */
async function stateOf(request: Promise<unknown>): Promise<string> {
  let state = 'pending';
  request.then(
    () => (state = 'resolved'),
    (err: Error) => (state = `rejected: ${err.message}`),
  );
  for (let i = 0; i < 10; i++) await Promise.resolve();
  return state;
}

describe('gen2026: aborting a raw channel request', function () {
  this.timeout(30_000);
  let transport: StdioTransport;
  let channel: RawChannel;
  let frozen: number | undefined;

  afterEach(async () => {
    if (frozen !== undefined) process.kill(frozen, 'SIGCONT');
    frozen = undefined;
    await channel?.close();
  });

  it("fails it and sends notifications/cancelled: a caller's signal at once, ext-tasks' once the request has waited", async () => {
    const stats = serverStats();
    transport = createStdioTransport(GEN2026.stdioConfig('abort', stats.args), () => undefined);
    channel = new RawChannel(transport, CALL_ID_META_KEY);
    await channel.start();
    const get = (signal: AbortSignal, own: boolean): Promise<RawReply> => {
      const params = framedParams({ taskId: 'no-such-task' }, CLIENT);
      return own ? channel.request('tasks/get', params, 20_000, signal) : channel.dispatch({ method: 'tasks/get', params }, { signal, context: { requestTimeoutMs: 20_000 } });
    };
    // The server answers (an unknown task: an error reply) before it is frozen.
    const answered = await get(new AbortController().signal, false);
    assert.equal(answered.kind, 'error');
    process.kill(transport.pid!, 'SIGSTOP');
    frozen = transport.pid!;

    const own = new AbortController();
    const ownRequest = get(own.signal, true);
    own.abort();
    assert.equal(await stateOf(ownRequest), 'rejected: tasks/get: aborted');

    const extTasks = new AbortController();
    const extRequest = get(extTasks.signal, false);
    extTasks.abort();
    const t0 = performance.now();
    assert.equal(await stateOf(extRequest), 'pending', 'not watched yet');
    await assert.rejects(extRequest, /tasks\/get: aborted/);
    assert.ok(performance.now() - t0 < ABORT_WATCH_MS + 5_000, 'acted on once it had waited');

    // Watched by now: a later abort is acted on at once.
    const late = new AbortController();
    const lateRequest = get(late.signal, false);
    await new Promise((resolve) => setTimeout(resolve, ABORT_WATCH_MS * 3));
    assert.equal(await stateOf(lateRequest), 'pending');
    late.abort();
    assert.equal(await stateOf(lateRequest), 'rejected: tasks/get: aborted');

    process.kill(frozen, 'SIGCONT');
    frozen = undefined;
    await waitFor('the server saw the three cancels', () => stats.count('notifications/cancelled') === 3, 10_000);
  });
});
