/**
 * Issue 13 (2026-07-28): a task listen that fails or that the server (or the connection) ends is opened again
 * with a bounded backoff. Meanwhile its tasks are uncovered (polled at the normal rate); once the new listen is
 * acknowledged they are covered again (polled only at the slow safety net). The real fixture over HTTP cuts its
 * first task listen streams (`--fault drop-listens`), as a restart or a load-induced hang-up would, or refuses
 * every one (`--fault refuse-listens`).
 */
import * as assert from 'node:assert/strict';
import { CountingServer2026 } from '../../support/countingServer2026';
import { sleep, waitFor } from '../../support/waiting';

const QUIET = { steps: 2, stepMs: 600_000 };
const TASKS = 6;
const MAX_POLL_MS = 1_000;

describe('gen2026: a task listen the server cuts is opened again, over http', function () {
  this.timeout(60_000);
  let fixture: CountingServer2026;

  beforeEach(() => {
    fixture = new CountingServer2026({ minPollIntervalMs: 50, maxPollIntervalMs: MAX_POLL_MS });
  });
  afterEach(() => fixture.dispose());

  async function quietTasks(fault: string, count = TASKS) {
    const server = await fixture.connect('http', ['--poll-interval', '200', '--fault', fault]);
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push((await server.callToolAsTask('slow-job', QUIET)).taskId);
    return { server, ids, gap: (id: string) => (server.nextPollAt(id) ?? Infinity) - Date.now() };
  }

  it('covers its tasks again once a new listen is acknowledged', async () => {
    const { ids, gap } = await quietTasks('drop-listens');
    // The fixture cuts the first two listens; each cut listen is re-opened after a backoff (1 s, then 2 s).
    await waitFor('a third listen', () => fixture.count('subscriptions/listen') >= 3, 15_000).catch(() => {
      throw new Error(`listens received: ${fixture.count('subscriptions/listen')}`);
    });
    await waitFor('every task covered again (slow safety net)', () => ids.every((id) => gap(id) > MAX_POLL_MS * 2) && fixture.stats().listens.idsWatched >= TASKS, 15_000).catch(() => {
      throw new Error(`next polls in ${ids.map((id) => Math.round(gap(id))).join(', ')} ms; ids watched by the server: ${fixture.stats().listens.idsWatched}`);
    });
    assert.ok(fixture.stats().listens.open >= 1, 'a listen is open');
  });

  it('gives up on a server that refuses every listen, says so once, and polls its tasks at the normal rate', async () => {
    // One task, so one listen (tasks created apart from each other, as under load, are listened to in groups
    // that each try on their own).
    const { ids, gap } = await quietTasks('refuse-listens', 1);
    // The first try and four re-tries, 1 + 2 + 4 + 8 s apart; then no more.
    const gaveUp = () => fixture.harness.log.lines.filter((l) => /task listen failed \d+ times in a row/.test(l.message));
    await waitFor('the give-up in the log', () => gaveUp().length > 0, 25_000).catch(() => {
      throw new Error(`listens received: ${fixture.count('subscriptions/listen')}`);
    });
    const listens = fixture.count('subscriptions/listen');
    assert.equal(listens, 5, 'the first listen and four re-tries');
    const gets = fixture.count('tasks/get');
    await sleep(3_000);
    assert.equal(fixture.count('subscriptions/listen'), listens, 'no listen after giving up');
    assert.equal(gaveUp().length, 1, 'said once');
    // Never covered: each task is polled within the user's maximum interval (about 3 times in 3 s each).
    assert.ok(fixture.count('tasks/get') - gets >= 2, `tasks/get in 3 s: ${fixture.count('tasks/get') - gets}`);
    assert.ok(ids.every((id) => gap(id) <= MAX_POLL_MS), 'each polled within the user\'s maximum interval');
  });
});
