/**
 * A 2026-07-28 HTTP server's configured headers go with every request (the session hands them to the
 * transport only when there are some: see modern/index.ts). A recording proxy on loopback passes each
 * request on to the fixture server and keeps the headers it saw.
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startHttpDemoServer2026, type HttpDemoServer2026 } from '../../fixtures/demo-server-2026/spawn';
import { RegistryHarness } from '../../support/registryHarness';
import { httpConfig } from '../../support/serverConfigs';
import { waitForStatus } from '../../support/waiting';

interface Seen {
  readonly method: string;
  readonly token: string | undefined;
}

/** Forwards every request to `target` as it came (Host aside), recording the JSON-RPC method and the token header. */
async function recordingProxy(target: URL, seen: Seen[]): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let method = req.method ?? '?';
      try {
        method = (JSON.parse(body.toString('utf8')) as { method?: string }).method ?? method;
      } catch {
        // not JSON (a GET or DELETE)
      }
      seen.push({ method, token: req.headers['x-team-token'] as string | undefined });
      const upstream = http.request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe('gen2026: configured HTTP headers', function () {
  this.timeout(30_000);
  let fixture: HttpDemoServer2026;
  let proxy: http.Server | undefined;
  let h: RegistryHarness | undefined;

  afterEach(async () => {
    await h?.dispose();
    proxy?.closeAllConnections();
    await new Promise((resolve) => proxy?.close(resolve) ?? resolve(undefined));
    await fixture?.stop();
  });

  for (const headers of [{ 'x-team-token': 'secret-1' }, {}] as Record<string, string>[]) {
    it(`are sent with every request (${Object.keys(headers).length ? 'a token header' : 'none configured'})`, async () => {
      fixture = await startHttpDemoServer2026();
      const seen: Seen[] = [];
      proxy = await recordingProxy(new URL(fixture.url), seen);
      const url = new URL(fixture.url);
      url.port = String((proxy.address() as AddressInfo).port);
      h = new RegistryHarness();
      const server = await h.connect({ ...httpConfig('headers', url.toString(), headers), protocol: '2026-07-28' });
      const task = await server.callToolAsTask('slow-job', { steps: 0, stepMs: 0 });
      await waitForStatus(server, task.taskId, 'completed', 10_000);
      await server.getTaskStatus(task.taskId);
      const methods = new Set(seen.map((s) => s.method));
      for (const m of ['server/discover', 'tools/call', 'tasks/get']) assert.ok(methods.has(m), `the proxy saw ${m} (saw ${[...methods].join(', ')})`);
      assert.deepEqual(
        seen.filter((s) => s.token !== headers['x-team-token']),
        [],
        'every request carried exactly the configured token',
      );
    });
  }
});
