/**
 * Issue 13 (2026-07-28 under load): the keep-alive race of `loopbackFetch`. Our agent drops an idle socket
 * after 4 s, the fixture's Node server after 5 s; when the core's event loop is busy past both (10,000 tasks
 * arriving), the next request takes a pooled socket the server has already closed and fails with "socket
 * hang up" (a task listen that fails so is the symptom seen in the bench). A request that never got an
 * answer because its reused socket was closed under it is sent again on a fresh one, as Node's docs advise.
 */
import * as assert from 'node:assert/strict';
import { loopbackFetch } from '../../../src/core/connection/loopbackFetch';
import { startHttpDemoServer2026, type HttpDemoServer2026 } from '../../fixtures/demo-server-2026/spawn';

const PING = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });
const INIT: RequestInit = { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: PING };

/** Blocks the event loop, as 10,000 tasks arriving at once do. */
function busy(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // spin
  }
}

describe('gen2026: loopback fetch after the event loop was busy past the server keep-alive timeout', function () {
  this.timeout(30_000);
  let http: HttpDemoServer2026;
  before(async () => {
    http = await startHttpDemoServer2026();
  });
  after(async () => {
    await http.stop();
  });

  it('answers a request sent on a pooled socket the server has closed meanwhile', async () => {
    const first = await loopbackFetch(http.url, INIT);
    await first.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Past the server's 5 s keep-alive timeout (its check runs up to ~1 s late), our 4 s idle timer not yet run.
    busy(7_000);
    const second = await loopbackFetch(http.url, INIT).catch((err: unknown) => err as Error);
    assert.ok(second instanceof Response, `rejected: ${second instanceof Error ? `${second.message} (${String((second.cause as Error | undefined)?.message)})` : String(second)}`);
    assert.equal(second.status, first.status);
  });
});
