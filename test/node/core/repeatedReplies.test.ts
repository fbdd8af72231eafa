// A reply that says again what is held (most gets and listings: finished tasks) takes a short way through the
// tracker: no copy, no event, only the confirmation time moves. What must not change with it: a reply that
// differs in anything shown (status message, last update, who started it) is still merged and announced, a
// finished task is never taken back into the poll schedule, and a running task repeated still counts as
// unchanged (it stays polled). Real fixture servers over stdio, both generations.
import * as assert from 'node:assert/strict';
import type { TaskChange } from '../../../src/core';
import { DEFAULT_CORE_SETTINGS } from '../../../src/core/model/ports';
import type { TrackedTask } from '../../../src/core/model/TaskModel';
import type { TaskSnapshot } from '../../../src/core/protocol/TaskProtocol';
import type { TaskServer } from '../../../src/core/servers/TaskServer';
import { TaskTracker } from '../../../src/core/tasks/TaskTracker';
import { GENERATIONS } from '../../support/generations';
import { MemoryStorage } from '../../support/memoryStorage';
import { RegistryHarness } from '../../support/registryHarness';
import { sleep, waitFor } from '../../support/waiting';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** What the server said about a task, as the protocol reads it (the held task without our notes). */
function snapshotOf(task: TrackedTask): TaskSnapshot {
  const { taskId, status, statusMessage, createdAt, lastUpdatedAt, ttl, pollInterval } = task;
  return {
    taskId,
    status,
    ...(statusMessage !== undefined ? { statusMessage } : {}),
    ...(createdAt !== undefined ? { createdAt } : {}),
    ...(lastUpdatedAt !== undefined ? { lastUpdatedAt } : {}),
    ...(ttl !== undefined ? { ttl } : {}),
    ...(pollInterval !== undefined ? { pollInterval } : {}),
  };
}

function changesOf(events: TaskChange[], taskId: string): TrackedTask[] {
  return events.flatMap((e) => e.changed.filter((t) => t.taskId === taskId));
}

describe('replies that repeat what is held', () => {
  for (const gen of GENERATIONS) {
    describe(`a real server (${gen.name})`, () => {
      let h: RegistryHarness;
      let server: TaskServer;
      beforeEach(async () => {
        h = new RegistryHarness({ settings: { minPollIntervalMs: 50, maxPollIntervalMs: 2_000 } });
        server = await h.connect(gen.stdioConfig('repeat', ['--poll-interval', '100', '--no-notifications']));
      });
      afterEach(() => h.dispose());

      async function finishedTask(): Promise<TrackedTask> {
        const { taskId } = await server.callToolAsTask('slow-job', { steps: 1, stepMs: 50 });
        await waitFor('the task completes', () => server.store.get(taskId)?.status === 'completed', 10_000);
        return server.store.get(taskId)!;
      }

      it('a finished task asked about again: the held object, a newer confirmation time, no event', async () => {
        const held = await finishedTask();
        await tick();
        const events: TaskChange[] = [];
        const sub = server.store.onDidChange((e) => events.push(e));
        const confirmed = held.fetchedAt;
        await sleep(5);
        for (let i = 0; i < 3; i++) assert.equal(await server.getTaskStatus(held.taskId), held, 'not copied');
        if (gen.lists) assert.equal((await server.listTasks()).tasks.find((t) => t.taskId === held.taskId), held, 'a listing of it too');
        await tick();
        sub.dispose();
        assert.deepEqual(changesOf(events, held.taskId), [], 'nothing changed');
        assert.ok(held.fetchedAt > confirmed, 'the confirmation time moved');
        assert.equal(held.toolName, 'slow-job', 'what this client knows of it is kept');
        assert.equal(server.nextPollAt(held.taskId), undefined, 'not polled');
      });

      it('a finished task is not put back in the poll schedule (its result fetched, or a listing asking for a look)', async () => {
        const held = await finishedTask();
        await server.getTaskResult(held.taskId);
        // Fetching a result asks for a look at the final status, which a task seen ended does not need: a repeated
        // reply about it settles nothing any more (see TaskTracker.apply), so it must not be taken back at all.
        assert.equal(server.nextPollAt(held.taskId), undefined, 'not polled after its result');
        (server as unknown as { tracker: TaskTracker }).tracker.follow([held.taskId]);
        assert.equal(server.nextPollAt(held.taskId), undefined, 'not polled when a listing asks for a look');
        await sleep(400);
        assert.equal(server.nextPollAt(held.taskId), undefined, 'still not polled four intervals later');
        assert.equal(server.store.get(held.taskId), held);
      });

      it('through the tracker: a repeat is no change; a different message, a later update or who started it is', async () => {
        const real = await finishedTask();
        const tracker = new TaskTracker('t', new MemoryStorage(), () => DEFAULT_CORE_SETTINGS, () => undefined);
        const events: TaskChange[] = [];
        tracker.store.onDidChange((e) => events.push(e));
        try {
          const said = snapshotOf(real);
          const first = tracker.apply(said);
          await tick();
          assert.equal(changesOf(events, real.taskId).length, 1, 'first sight');

          assert.equal(tracker.apply({ ...said }), first, 'an equal reply (a new object) gives the held task');
          await tick();
          assert.equal(changesOf(events, real.taskId).length, 1, 'and no event');

          const message = tracker.apply({ ...said, statusMessage: `${said.statusMessage ?? ''} (again)` });
          await tick();
          assert.notEqual(message, first);
          assert.equal(tracker.store.get(real.taskId)?.statusMessage, `${said.statusMessage ?? ''} (again)`);
          assert.equal(changesOf(events, real.taskId).length, 2, 'a different status message is a change');

          const later = new Date(Date.parse(said.lastUpdatedAt!) + 1_000).toISOString();
          tracker.apply({ ...said, statusMessage: message.statusMessage!, lastUpdatedAt: later });
          await tick();
          assert.equal(tracker.store.get(real.taskId)?.lastUpdatedAt, later);
          assert.equal(changesOf(events, real.taskId).length, 3, 'a later update is a change');

          tracker.apply({ ...said, statusMessage: message.statusMessage!, lastUpdatedAt: later }, { startedByUs: true, toolName: 'slow-job' });
          await tick();
          assert.equal(tracker.store.get(real.taskId)?.toolName, 'slow-job');
          assert.equal(changesOf(events, real.taskId).length, 4, 'learning who started it is a change');

          const running = { ...said, taskId: `${real.taskId}-running`, status: 'working' as const };
          const held = tracker.apply(running);
          assert.equal(tracker.apply({ ...running }), held, 'a running task repeated: the held task');
          assert.ok(tracker.nextPollAt(running.taskId) !== undefined, 'and still polled (it may change)');
        } finally {
          await tracker.dispose();
        }
      });
    });
  }
});
