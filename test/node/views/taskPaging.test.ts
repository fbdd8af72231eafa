// The view's order and paging of one server's tasks (pure functions; the tree itself is tested in the
// extension host, test/integration/trusted/paging.test.ts).
import * as assert from 'node:assert/strict';
import type { TrackedStatus, TrackedTask } from '../../../src/core';
import { compareNames, firstPage, movesInOrder, PAGE_SIZE, ServerOrder, showMoreLabel, viewOrder } from '../../../src/views/taskPaging';

const task = (taskId: string, status: TrackedStatus, createdAt = '2026-01-01T00:00:00Z'): TrackedTask => ({ serverId: 's', taskId, status, createdAt, fetchedAt: 0, startedByUs: false });
const ids = (ts: readonly TrackedTask[]) => ts.map((t) => t.taskId).join(' ');

describe('view order and paging', () => {
  it('puts live tasks first, then finished ones, each keeping the newest-first order', () => {
    const newestFirst = [task('a', 'completed'), task('b', 'working'), task('c', 'failed'), task('d', 'input_required'), task('e', 'unknown'), task('f', 'expired')];
    assert.equal(ids(viewOrder(newestFirst, () => true)), 'b d e a c f');
    assert.equal(ids(viewOrder(newestFirst, (t) => t.status !== 'completed')), 'b d e c f', 'the filter applies');
  });

  it('labels the Show more row with the next step and what is left', () => {
    assert.equal(showMoreLabel(9_880), 'Show 100 more (9,880 not shown)');
    assert.equal(showMoreLabel(1_234_567), 'Show 100 more (1,234,567 not shown)');
    assert.equal(showMoreLabel(1_000), 'Show 100 more (1,000 not shown)');
    assert.equal(showMoreLabel(42), 'Show 42 more');
    assert.equal(showMoreLabel(100), 'Show 100 more');
  });

  it('says which changes can move a task: a status class, a creation time, the filter — not a message', () => {
    const w = task('a', 'working');
    assert.equal(movesInOrder(w, { ...w, statusMessage: 'step 2/5' }, true), false);
    assert.equal(movesInOrder(w, { ...w, status: 'input_required' }, true), false, 'still live');
    assert.equal(movesInOrder(w, { ...w, status: 'completed' }, true), true);
    assert.equal(movesInOrder(w, { ...w, createdAt: '2026-02-01T00:00:00Z' }, true), true);
    assert.equal(movesInOrder(w, w, false), true, 'filtered out');
    assert.equal(movesInOrder(undefined, w, true), true, 'a new task');
    assert.equal(movesInOrder(undefined, w, false), false, 'a new task the filter hides');
  });

  it('pages a big server and orders again only when a change can move a task', () => {
    let listed = 0;
    let tasks = Array.from({ length: 250 }, (_, i) => task(`t${String(i).padStart(3, '0')}`, i % 5 === 0 ? 'completed' : 'working'));
    const order = new ServerOrder(() => (listed++, tasks), () => true);
    const first = order.page(PAGE_SIZE);
    assert.equal(first.tasks.length, 100);
    assert.equal(first.remaining, 150);
    assert.ok(first.tasks.every((t) => t.status === 'working'), '200 live tasks fill the first page');
    assert.equal(order.page(300).tasks.length, 250);
    assert.equal(order.page(300).remaining, 0);
    assert.equal(listed, 1, 'ordered once for several pages');

    const progress = { ...tasks[1]!, statusMessage: 'step 1/3' };
    tasks = tasks.map((t) => (t.taskId === progress.taskId ? progress : t));
    assert.equal(order.take([progress]), false, 'a progress message keeps the order');
    order.page(PAGE_SIZE);
    assert.equal(listed, 1);

    const done = { ...tasks[1]!, status: 'completed' as const };
    tasks = tasks.map((t) => (t.taskId === done.taskId ? done : t));
    assert.equal(order.take([done]), true, 'a task that finished moves');
    const after = order.page(300);
    assert.equal(listed, 2);
    assert.equal(after.tasks.findIndex((t) => t.taskId === done.taskId), 200, 'behind the 199 live tasks and the newer finished t000');
  });

  it('shares the first pages out so VS Code is handed about 300 task rows when the view opens, whatever the servers', () => {
    // VS Code asks for the children of every expanded server when the view opens, and builds (extension host)
    // and lays out (workbench) every item it is given: ten servers with a page of 100 each was 1,020 items.
    assert.equal(firstPage(1), PAGE_SIZE);
    assert.equal(firstPage(3), PAGE_SIZE, 'a few servers: a whole page each');
    assert.equal(firstPage(4), 75);
    assert.equal(firstPage(10), 30);
    assert.equal(firstPage(100), 10, 'never fewer than 10 rows a server');
    assert.equal(firstPage(0), PAGE_SIZE);
  });

  it('orders server names case-insensitively, ties by case', () => {
    assert.deepEqual(['beta', 'Alpha', 'bench-10', 'bench-02', 'alpha'].sort(compareNames), ['Alpha', 'alpha', 'bench-02', 'bench-10', 'beta']);
  });
});
