/**
 * What only the 2026-07-28 path has, through TaskServer against the real fixture: following a task by pushes
 * alone (and by polls when the server never pushes), over stdio and Streamable HTTP; a 20 MB result; a crash
 * mid-task. The operations both generations share (results, failures, plain answers, cancel, input, unknown
 * ids) run for both in test/node/core/demoServerTasks.test.ts; faults in test/node/reliability/gen2026Faults.
 */
import * as assert from 'node:assert/strict';
import type { ServerConfig } from '../../../src/core/config/ServerConfig';
import type { TaskServer } from '../../../src/core/servers/TaskServer';
import { startHttpDemoServer2026, type HttpDemoServer2026 } from '../../fixtures/demo-server-2026/spawn';
import { GEN2026 } from '../../support/generations';
import { RegistryHarness } from '../../support/registryHarness';
import { httpConfig } from '../../support/serverConfigs';
import { waitFor, waitForStatus } from '../../support/waiting';

const stdio2026 = (id: string, args: string[] = []): ServerConfig => GEN2026.stdioConfig(id, args);

function text(result: unknown): string {
  return ((result as { content?: Array<{ text?: string }> }).content ?? []).map((c) => c.text ?? '').join('');
}

for (const transport of ['stdio', 'http'] as const) {
  describe(`gen2026: pushes and polls over ${transport}`, function () {
    this.timeout(60_000);
    let h: RegistryHarness;
    let http: HttpDemoServer2026 | undefined;

    async function connect(args: string[] = ['--poll-interval', '200']): Promise<TaskServer> {
      if (transport === 'stdio') return h.connect(stdio2026('s', args));
      http = await startHttpDemoServer2026(args);
      return h.connect(httpConfig('s', http.url));
    }

    beforeEach(() => {
      h = new RegistryHarness();
    });
    afterEach(async () => {
      await h.dispose();
      await http?.stop();
      http = undefined;
    });

    it('follows a task through pushes (a 20 s poll interval would miss every step)', async () => {
      const server = await connect(['--poll-interval', '20000']);
      const seen = new Set<string>();
      server.store.onDidChange((c) => c.changed.forEach((t) => t.statusMessage && seen.add(t.statusMessage)));
      const task = await server.callToolAsTask('slow-job', { steps: 4, stepMs: 250 });
      await waitForStatus(server, task.taskId, 'completed', 5_000);
      assert.ok(['step 2/4', 'step 3/4'].every((m) => seen.has(m)), `saw ${[...seen].join(', ')}`);
    });

    it('sees the end by polling when the server never pushes', async () => {
      const server = await connect(['--poll-interval', '200', '--no-notifications']);
      const task = await server.callToolAsTask('slow-job', { steps: 2, stepMs: 150 });
      await waitForStatus(server, task.taskId, 'completed', 8_000);
    });
  });
}

describe('gen2026: large results and crashes (stdio)', function () {
  this.timeout(120_000);
  let h: RegistryHarness;
  afterEach(() => h.dispose());

  it('gets a 20 MB result', async () => {
    h = new RegistryHarness({ settings: { requestTimeoutMs: 60_000 } });
    const server = await h.connect(stdio2026('big', ['--poll-interval', '200']));
    const task = await server.callToolAsTask('large-result', { sizeMb: 20 });
    await waitForStatus(server, task.taskId, 'completed', 60_000);
    const outcome = await server.getTaskResult(task.taskId);
    assert.equal(text(outcome.kind === 'result' && outcome.result).length, 20 * 1024 * 1024);
  });

  it('reconnects after the server is killed mid-task and shows the lost task as expired', async () => {
    h = new RegistryHarness();
    const server = await h.connect(stdio2026('crash', ['--poll-interval', '200']));
    const task = await server.callToolAsTask('endless-job', { tickMs: 100 });
    const pid = server.processId;
    assert.ok(pid !== undefined);
    process.kill(pid, 'SIGKILL');
    await waitFor('a new process', () => server.state.kind === 'connected' && server.processId !== undefined && server.processId !== pid, 20_000);
    await waitForStatus(server, task.taskId, 'expired', 10_000);
  });
});
