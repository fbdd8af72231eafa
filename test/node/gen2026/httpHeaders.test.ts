/**
 * A 2026-07-28 HTTP server's configured headers go with every request (the session hands them to the
 * transport only when there are some: see modern/index.ts). A recording proxy on loopback sees each request.
 */
import * as assert from 'node:assert/strict';
import { startHttpDemoServer2026, type HttpDemoServer2026 } from '../../fixtures/demo-server-2026/spawn';
import { recordingProxy, type RecordingProxy } from '../../support/recordingProxy';
import { RegistryHarness } from '../../support/registryHarness';
import { httpConfig } from '../../support/serverConfigs';
import { waitForStatus } from '../../support/waiting';

describe('gen2026: configured HTTP headers', function () {
  this.timeout(30_000);
  let fixture: HttpDemoServer2026;
  let proxy: RecordingProxy | undefined;
  let h: RegistryHarness | undefined;

  afterEach(async () => {
    await h?.dispose();
    await proxy?.close();
    await fixture?.stop();
  });

  for (const headers of [{ 'x-team-token': 'secret-1' }, {}] as Record<string, string>[]) {
    it(`are sent with every request (${Object.keys(headers).length ? 'a token header' : 'none configured'})`, async () => {
      fixture = await startHttpDemoServer2026();
      proxy = await recordingProxy(fixture.url);
      const seen = proxy.seen;
      h = new RegistryHarness();
      const server = await h.connect({ ...httpConfig('headers', proxy.url, headers), protocol: '2026-07-28' });
      const task = await server.callToolAsTask('slow-job', { steps: 0, stepMs: 0 });
      await waitForStatus(server, task.taskId, 'completed', 10_000);
      await server.getTaskStatus(task.taskId);
      const methods = new Set(seen.map((s) => s.method));
      for (const m of ['server/discover', 'tools/call', 'tasks/get']) assert.ok(methods.has(m), `the proxy saw ${m} (saw ${[...methods].join(', ')})`);
      assert.deepEqual(
        seen.filter((s) => s.headers['x-team-token'] !== headers['x-team-token']).map((s) => s.method),
        [],
        'every request carried exactly the configured token',
      );
    });
  }
});
