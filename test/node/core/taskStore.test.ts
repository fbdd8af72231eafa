import * as assert from 'node:assert/strict';
import type { TaskChange } from '../../../src/core';
import type { TaskSnapshot } from '../../../src/core/protocol/TaskProtocol';
import { TaskStore } from '../../../src/core/tasks/TaskStore';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const iso = (ms: number) => new Date(T0 + ms).toISOString();

function snap(taskId: string, status: TaskSnapshot['status'], updatedMs: number, extra: Partial<TaskSnapshot> = {}): TaskSnapshot {
  return { taskId, status, createdAt: iso(0), lastUpdatedAt: iso(updatedMs), ttl: 60_000, pollInterval: 1_000, ...extra };
}

function recorder(store: TaskStore): TaskChange[] {
  const events: TaskChange[] = [];
  store.onDidChange((e) => events.push(e));
  return events;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('TaskStore', () => {
  it('batches the updates of one tick into one event naming only what changed', async () => {
    const store = new TaskStore('s');
    store.apply(snap('a', 'working', 0));
    store.apply(snap('b', 'working', 0));
    await tick();
    const events = recorder(store);
    for (let i = 0; i < 5; i++) {
      store.apply(snap(`n${i}`, 'working', 0));
    }
    store.apply(snap('a', 'working', 10, { statusMessage: 'step 1' }));
    store.apply(snap('b', 'working', 0)); // same as held
    await tick();
    assert.equal(events.length, 1);
    assert.deepEqual(events[0]!.changed.map((t) => t.taskId).sort(), ['a', 'n0', 'n1', 'n2', 'n3', 'n4']);
    assert.equal(events[0]!.serverId, 's');
  });

  it('fires nothing for an update equal to what is held, even with a newer fetchedAt', async () => {
    const store = new TaskStore('s');
    store.apply(snap('a', 'working', 0, { statusMessage: 'x' }), {}, 1);
    await tick();
    const events = recorder(store);
    store.apply(snap('a', 'working', 0, { statusMessage: 'x' }), {}, 2);
    await tick();
    assert.equal(events.length, 0);
    assert.equal(store.get('a')?.fetchedAt, 2, 'the confirmation time is still recorded');
  });

  it('never replaces a newer lastUpdatedAt with an older one', () => {
    const store = new TaskStore('s');
    store.apply(snap('a', 'working', 20, { statusMessage: 'step 2' }));
    store.apply(snap('a', 'working', 10, { statusMessage: 'step 1' }));
    assert.equal(store.get('a')?.statusMessage, 'step 2');
  });

  it('never takes a terminal task back to running, whatever the timestamps say', () => {
    const store = new TaskStore('s');
    store.apply(snap('a', 'completed', 10));
    store.apply(snap('a', 'working', 30));
    assert.equal(store.get('a')?.status, 'completed');
    store.apply(snap('b', 'cancelled', 10));
    store.apply(snap('b', 'input_required', 30));
    assert.equal(store.get('b')?.status, 'cancelled');
  });

  it('merges who started a task whatever the order (a push may beat the create reply)', () => {
    const store = new TaskStore('s');
    store.apply(snap('a', 'working', 10, { statusMessage: 'step 1' }));
    assert.equal(store.get('a')?.startedByUs, false);
    store.apply(snap('a', 'working', 0), { startedByUs: true, toolName: 'slow-job' });
    const held = store.get('a')!;
    assert.equal(held.startedByUs, true);
    assert.equal(held.toolName, 'slow-job');
    assert.equal(held.statusMessage, 'step 1', 'the older create reply did not replace the newer state');
  });

  it('lists newest first by createdAt, then by first sight', () => {
    const store = new TaskStore('s');
    store.apply(snap('old', 'working', 0, { createdAt: iso(0) }));
    store.apply(snap('new', 'working', 0, { createdAt: iso(5_000) }));
    store.apply(snap('same1', 'working', 0, { createdAt: iso(1_000) }));
    store.apply(snap('same2', 'working', 0, { createdAt: iso(1_000) }));
    assert.deepEqual(store.list().map((t) => t.taskId), ['new', 'same2', 'same1', 'old']);
    assert.equal(store.size, 4);
  });

  it('keeps an input request only while the task is input_required', () => {
    const store = new TaskStore('s');
    store.apply(snap('a', 'input_required', 10));
    store.setInputRequest('a', { message: 'Which?', receivedAt: 1 });
    store.apply(snap('a', 'input_required', 20, { statusMessage: 'still waiting' }));
    assert.equal(store.get('a')?.inputRequest?.message, 'Which?');
    store.apply(snap('a', 'working', 30));
    assert.equal(store.get('a')?.inputRequest, undefined);
  });

  it('marks a task expired (never drops it), and a good answer clears lastError', async () => {
    const store = new TaskStore('s');
    store.apply(snap('a', 'working', 10));
    store.setLastError('a', 'timed out');
    assert.equal(store.get('a')?.lastError, 'timed out');
    store.apply(snap('a', 'working', 20));
    assert.equal(store.get('a')?.lastError, undefined);
    const expired = store.markExpired('a');
    assert.equal(expired.status, 'expired');
    assert.equal(store.markExpired('never-seen', { startedByUs: true, toolName: 'x' }).startedByUs, true);
  });

  it('holds every fact a report and its attribution give, and no key for what was not said', () => {
    const store = new TaskStore('s');
    const args = { steps: 3 };
    store.apply(snap('odd', 'unknown', 10, { rawStatus: 'paused', statusMessage: 'held' }), { startedByUs: true, toolName: 't', toolArgs: args, startedBy: 'vscode', abandoned: true }, 5);
    assert.deepStrictEqual(store.get('odd'), {
      serverId: 's', taskId: 'odd', status: 'unknown', rawStatus: 'paused', statusMessage: 'held', createdAt: iso(0), lastUpdatedAt: iso(10),
      ttl: 60_000, pollInterval: 1_000, startedByUs: true, toolName: 't', toolArgs: args, startedBy: 'vscode', abandoned: true, fetchedAt: 5,
    });
    store.apply({ taskId: 'bare', status: 'completed' }, {}, 6);
    assert.deepStrictEqual(store.get('bare'), { serverId: 's', taskId: 'bare', status: 'completed', startedByUs: false, fetchedAt: 6 });
    assert.deepStrictEqual(Object.keys(store.get('bare')!).sort(), ['fetchedAt', 'serverId', 'startedByUs', 'status', 'taskId']);
    store.apply(snap('plain', 'working', 10, { statusMessage: 'step 1' }), {}, 7);
    assert.deepStrictEqual(store.get('plain'), {
      serverId: 's', taskId: 'plain', status: 'working', statusMessage: 'step 1', createdAt: iso(0), lastUpdatedAt: iso(10),
      ttl: 60_000, pollInterval: 1_000, startedByUs: false, fetchedAt: 7,
    });
  });
});
