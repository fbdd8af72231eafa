// Status pushes that arrive twice (seen over Streamable HTTP in the wild) must make one store event, not two.
// 2025-11-25: the fault server's dup-notify sends every notifications/tasks/status twice; 2026-07-28: the 2026
// fixture's `--fault duplicate-pushes` sends every notifications/tasks twice.
import * as assert from 'node:assert/strict';
import type { ServerConfig } from '../../../src/core/config/ServerConfig';
import type { TaskChange } from '../../../src/core';
import { faultServerCommand } from '../../fixtures/fault-server/spawn';
import { GEN2026, GENERATIONS, type Generation, type RequestCounter } from '../../support/generations';
import { RegistryHarness } from '../../support/registryHarness';
import { sleep, waitForStatus } from '../../support/waiting';

interface DuplicatingServer {
  config(id: string, counter: RequestCounter): ServerConfig;
  readonly tool: string;
  readonly args: Record<string, unknown>;
}

function duplicating(gen: Generation): DuplicatingServer {
  if (gen === GEN2026) {
    return {
      config: (id, counter) => GEN2026.stdioConfig(id, ['--fault', 'duplicate-pushes', '--poll-interval', '60000', ...counter.args]),
      tool: 'slow-job',
      args: { steps: 1, stepMs: 300, label: 'once' },
    };
  }
  const { command, args } = faultServerCommand(['--fault', 'dup-notify', '--poll-interval', '60000']);
  return {
    config: (id) => ({ id, name: id, source: 'test', fromWorkspace: false, type: 'stdio', command, args, env: {} }),
    tool: 'job',
    args: { ms: 300, text: 'once' },
  };
}

for (const gen of GENERATIONS) {
  describe(`duplicate status notifications (${gen.name})`, () => {
    let h: RegistryHarness;

    afterEach(() => h.dispose());

    it('fire the store once, and the push alone brings the news (no poll needed)', async () => {
      h = new RegistryHarness();
      const fixture = duplicating(gen);
      const requests = gen.counter(h.log, 'dups');
      const server = await h.connect(fixture.config('dups', requests));
      const changes: TaskChange[] = [];
      server.store.onDidChange((c) => changes.push(c));
      const task = await server.callToolAsTask(fixture.tool, fixture.args);
      await waitForStatus(server, task.taskId, 'completed', 3_000);
      await sleep(200);
      assert.ok(requests.count('tasks/get') <= 1, `the completion came by push: no poll but the first look after creation (${requests.count('tasks/get')})`);
      const completions = changes.flatMap((c) => c.changed).filter((t) => t.taskId === task.taskId && t.status === 'completed');
      assert.equal(completions.length, 1, `${completions.length} completion events`);
      const states = changes.flatMap((c) => c.changed).filter((t) => t.taskId === task.taskId).map((t) => JSON.stringify({ ...t, fetchedAt: 0 }));
      for (let i = 1; i < states.length; i++) assert.notEqual(states[i], states[i - 1], `event ${i} repeats the previous state`);
    });
  });
}
