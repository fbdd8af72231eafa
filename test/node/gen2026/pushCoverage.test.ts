/**
 * Issue 13 item 2 (2026-07-28): a server whose tasks sit still has nothing to push, so it can never prove its
 * pushes by pushing. Its acknowledgement of a listen naming the tasks is what says their changes will be
 * pushed: such tasks are polled only at the slow safety net, on every server, busy or not (at 10 servers ×
 * 1,000 quiet tasks, the nine servers with no change were polled at the quiet rate, ~300 tasks/get a second).
 * A server that does not honour the task filter (acknowledges an empty one) keeps the normal rate. Requests
 * are counted by the real fixture server (`--stats-file`), over stdio and HTTP.
 */
import * as assert from 'node:assert/strict';
import type { TaskServer } from '../../../src/core/servers/TaskServer';
import { CountingServer2026 } from '../../support/countingServer2026';
import { sleep, waitFor } from '../../support/waiting';

const QUIET = { steps: 2, stepMs: 600_000 };
const TASKS = 20;
/** The user's upper bound on a poll interval: the safety net of pushes not yet known to arrive. */
const MAX_POLL_MS = 1_000;

for (const transport of ['stdio', 'http'] as const) {
  describe(`gen2026: quiet tasks whose listen the server acknowledged, over ${transport}`, function () {
    this.timeout(60_000);
    let fixture: CountingServer2026;
    const gets = (): number => fixture.count('tasks/get');
    const connect = (extra: string[] = []): Promise<TaskServer> => fixture.connect(transport, ['--poll-interval', '200', ...extra]);

    async function quietTasks(server: TaskServer): Promise<string[]> {
      const ids: string[] = [];
      for (let i = 0; i < TASKS; i++) ids.push((await server.callToolAsTask('slow-job', QUIET)).taskId);
      return ids;
    }

    beforeEach(() => {
      fixture = new CountingServer2026({ minPollIntervalMs: 50, maxPollIntervalMs: MAX_POLL_MS });
    });
    afterEach(() => fixture.dispose());

    it('polls them only at the slow safety net, though nothing was ever pushed', async () => {
      const server = await connect();
      const ids = await quietTasks(server);
      const gap = (id: string) => (server.nextPollAt(id) ?? Infinity) - Date.now();
      await waitFor('every quiet task at the slow safety net', () => ids.every((id) => gap(id) > MAX_POLL_MS * 2), 8_000).catch(() => {
        throw new Error(`next polls in ${ids.map((id) => Math.round(gap(id))).join(', ')} ms; expected beyond ${MAX_POLL_MS * 2} ms`);
      });
      const before = gets();
      await sleep(3_000);
      // Without trust the quiet rate (≤ 1 s here) would poll each of them about three times.
      assert.ok(gets() - before <= 2, `tasks/get in 3 s: ${gets() - before} for ${TASKS} quiet tasks`);
    });

    it('keeps polling them at the normal rate when the server does not honour the task filter', async () => {
      const server = await connect(['--no-notifications']);
      const ids = await quietTasks(server);
      await sleep(1_500);
      const before = gets();
      await sleep(3_000);
      assert.ok(gets() - before >= TASKS, `tasks/get in 3 s: ${gets() - before} for ${TASKS} tasks that nothing pushes`);
      assert.ok(ids.every((id) => (server.nextPollAt(id) ?? Infinity) - Date.now() <= MAX_POLL_MS), 'each polled within the user\'s maximum interval');
    });
  });
}
