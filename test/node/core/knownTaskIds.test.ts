import * as assert from 'node:assert/strict';
import { KNOWN_TASK_GRACE_MS, KnownTaskIds, MAX_REMEMBERED_ARGS_CHARS, mergeKnownTasks, rememberedArgs } from '../../../src/core/tasks/KnownTaskIds';
import { MemoryStorage } from '../../support/memoryStorage';

describe('KnownTaskIds', () => {
  it('keeps small tool arguments for labels after a restart, never large ones (the state file stays small)', () => {
    assert.deepEqual(rememberedArgs({ topic: 'x', n: 2 }), { topic: 'x', n: 2 });
    assert.equal(rememberedArgs({ blob: 'x'.repeat(MAX_REMEMBERED_ARGS_CHARS) }), undefined);
  });

  it('persists per server and reads back in a new instance', async () => {
    const storage = new MemoryStorage();
    const a = new KnownTaskIds(storage, 'srv-a', assert.fail);
    a.add({ taskId: 't1', toolName: 'slow-job', createdAt: 1_000, ttl: 60_000 });
    a.add({ taskId: 't2', createdAt: 2_000, ttl: null });
    new KnownTaskIds(storage, 'srv-b', assert.fail).add({ taskId: 'other', createdAt: 3_000 });
    await a.flushed();
    const again = new KnownTaskIds(storage, 'srv-a', assert.fail);
    assert.deepEqual(again.all(), [
      { taskId: 't1', toolName: 'slow-job', createdAt: 1_000, ttl: 60_000 },
      { taskId: 't2', createdAt: 2_000, ttl: null },
    ]);
  });

  it('writes the newest list once the write before it is done, not once per task (VS Code sends the whole state each time)', async () => {
    // A storage as slow as VS Code's workspace state (each write goes to the main process): starting 10,000
    // tasks wrote the growing list 10,000 times and kept the extension host busy for a minute (bench, 2026).
    class SlowStorage extends MemoryStorage {
      writes = 0;
      override async set(key: string, value: unknown): Promise<void> {
        this.writes++;
        await new Promise((r) => setTimeout(r, 20));
        await super.set(key, value);
      }
    }
    const storage = new SlowStorage();
    const known = new KnownTaskIds(storage, 's', assert.fail);
    for (let i = 0; i < 200; i++) known.add({ taskId: `t${i}`, createdAt: i, ttl: null });
    known.settle('t0', false, 500);
    await known.flushed();
    assert.ok(storage.writes <= 3, `${storage.writes} writes for 200 adds`);
    const saved = new KnownTaskIds(storage, 's', assert.fail).all();
    assert.equal(saved.length, 200, 'every id saved');
    assert.equal(saved[0]!.settledAt, 500, 'the last change saved');
  });

  it('prunes an entry once its ttl and the grace period have passed, unless it is still live', () => {
    const known = new KnownTaskIds(new MemoryStorage(), 's', assert.fail);
    known.add({ taskId: 'short', createdAt: 0, ttl: 1_000 });
    known.add({ taskId: 'live', createdAt: 0, ttl: 1_000 });
    known.add({ taskId: 'forever', createdAt: 0, ttl: null });
    assert.deepEqual(known.prune(1_000 + KNOWN_TASK_GRACE_MS), [], 'not before ttl + grace');
    assert.deepEqual(known.prune(1_001 + KNOWN_TASK_GRACE_MS, (id) => id === 'live'), ['short']);
    assert.equal(known.has('forever'), true, 'an unlimited ttl is kept');
  });

  it('counts the ttl from when the task ended, and drops lost unlimited tasks after the grace period', () => {
    const known = new KnownTaskIds(new MemoryStorage(), 's', assert.fail);
    known.add({ taskId: 'long', createdAt: 0, ttl: 1_000 });
    known.add({ taskId: 'lost', createdAt: 0, ttl: null });
    known.settle('long', false, 50_000);
    known.settle('lost', true, 10_000);
    assert.deepEqual(known.prune(10_000 + KNOWN_TASK_GRACE_MS), []);
    assert.deepEqual(known.prune(10_001 + KNOWN_TASK_GRACE_MS), ['lost']);
    assert.deepEqual(known.prune(50_000 + KNOWN_TASK_GRACE_MS), [], 'created at 0 with a 1 s ttl, but it ran until 50 s');
    assert.deepEqual(known.prune(51_001 + KNOWN_TASK_GRACE_MS), ['long']);
  });

  it('caps the list, forgetting settled and old entries first', () => {
    const known = new KnownTaskIds(new MemoryStorage(), 's', assert.fail, 3);
    known.add({ taskId: 'old-running', createdAt: 1 });
    known.add({ taskId: 'done', createdAt: 2 });
    known.settle('done', false, 3);
    known.add({ taskId: 'b', createdAt: 4 });
    known.add({ taskId: 'c', createdAt: 5 });
    assert.deepEqual(known.all().map((k) => k.taskId), ['old-running', 'b', 'c']);
    known.add({ taskId: 'd', createdAt: 6 });
    assert.deepEqual(known.all().map((k) => k.taskId), ['b', 'c', 'd']);
  });

  it('ignores malformed stored entries', () => {
    const storage = new MemoryStorage();
    void storage.set('mcpTasks.knownTasks/s', [{ taskId: 'ok', createdAt: 1 }, { taskId: 3 }, 'junk', null]);
    assert.deepEqual(new KnownTaskIds(storage, 's', assert.fail).all().map((k) => k.taskId), ['ok']);
  });

  it('merges two writers of one list: union by taskId, fields either knew, own drops kept, capped', () => {
    const key = 'mcpTasks.knownTasks/srv';
    const base = [{ taskId: 'a', createdAt: 1 }, { taskId: 'gone', createdAt: 2 }];
    const ours = [{ taskId: 'a', createdAt: 1, ttl: 1_000 }, { taskId: 'mine', createdAt: 5 }];
    const theirs = [{ taskId: 'a', createdAt: 1, settledAt: 9, expired: true }, { taskId: 'gone', createdAt: 2 }, { taskId: 'theirs', createdAt: 4 }];
    assert.deepEqual(mergeKnownTasks(key, ours, theirs, base), [
      { taskId: 'a', createdAt: 1, ttl: 1_000, settledAt: 9, expired: true },
      { taskId: 'theirs', createdAt: 4 },
      { taskId: 'mine', createdAt: 5 },
    ]);
    assert.deepEqual(mergeKnownTasks(key, ours, theirs, base, 2), [{ taskId: 'theirs', createdAt: 4 }, { taskId: 'mine', createdAt: 5 }], 'the cap drops settled entries first');
    assert.deepEqual(mergeKnownTasks('other', [1], [2], []), [1], 'other keys: last writer wins');
  });
});
