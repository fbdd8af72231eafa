/**
 * A 2026-07-28 server that stops answering: every request in flight fails with a timeout after the
 * configured request timeout (one timer serves all pending requests, see modern/rawChannel.ts), and the
 * connection works again once the server answers again. The server is frozen with SIGSTOP (a real hang,
 * not a mock), over stdio and HTTP.
 */
import * as assert from 'node:assert/strict';
import type { TaskServer } from '../../../src/core/servers/TaskServer';
import { startHttpDemoServer2026, type HttpDemoServer2026 } from '../../fixtures/demo-server-2026/spawn';
import { GEN2026 } from '../../support/generations';
import { RegistryHarness } from '../../support/registryHarness';
import { httpConfig } from '../../support/serverConfigs';
import { waitForStatus } from '../../support/waiting';

const TIMEOUT_MS = 800;

for (const transport of ['stdio', 'http'] as const) {
  describe(`gen2026: request timeouts over ${transport}`, function () {
    this.timeout(60_000);
    let h: RegistryHarness;
    let http: HttpDemoServer2026 | undefined;
    let frozen: number | undefined;

    afterEach(async () => {
      if (frozen !== undefined) process.kill(frozen, 'SIGCONT');
      frozen = undefined;
      await h.dispose();
      await http?.stop();
      http = undefined;
    });

    it('fails every request in flight with a timeout when the server hangs, and recovers after', async () => {
      h = new RegistryHarness();
      let server: TaskServer;
      if (transport === 'stdio') {
        server = await h.connect(GEN2026.stdioConfig('s', ['--poll-interval', '60000']));
      } else {
        http = await startHttpDemoServer2026(['--poll-interval', '60000']);
        server = await h.connect(httpConfig('s', http.url));
      }
      // Short only now: the connect handshake uses the same setting, and the server takes a second or two to load.
      h.settings = { ...h.settings, requestTimeoutMs: TIMEOUT_MS };
      const task = await server.callToolAsTask('slow-job', { steps: 0, stepMs: 0 });
      await waitForStatus(server, task.taskId, 'completed', 10_000);
      const pid = transport === 'stdio' ? server.processId : http!.process.pid;
      assert.ok(pid !== undefined);
      process.kill(pid, 'SIGSTOP');
      frozen = pid;
      const t0 = performance.now();
      // Two requests, the second issued later: each fails at its own deadline.
      const first = server.getTaskStatus(task.taskId).then(() => 'answered', (err: Error) => err.message);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const second = server.getTaskStatus(task.taskId).then(() => 'answered', (err: Error) => err.message);
      const [a, b] = await Promise.all([first, second]);
      const elapsed = performance.now() - t0;
      assert.match(a, /timed out/i);
      assert.match(b, /timed out/i);
      assert.ok(elapsed >= TIMEOUT_MS + 250, `both timed out after ${elapsed.toFixed(0)} ms`);
      assert.ok(elapsed < TIMEOUT_MS + 300 + 5_000, `timed out only after ${elapsed.toFixed(0)} ms`);
      process.kill(pid, 'SIGCONT');
      frozen = undefined;
      const again = await server.getTaskStatus(task.taskId);
      assert.equal(again.status, 'completed');
    });
  });
}
