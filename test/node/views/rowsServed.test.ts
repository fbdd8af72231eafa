// When the rows of a view just shown count as served (src/views/RowsServed.ts): polling resumes then, so it
// should not compete with the workbench while it still lays the rows out (issue 13: rows on screen).
import * as assert from 'node:assert/strict';
import { RowsServed } from '../../../src/views/RowsServed';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('rows served', () => {
  it('waits for VS Code to stop asking, then leaves the workbench time to draw the rows', async () => {
    const served = new RowsServed();
    let at = 0;
    const t0 = Date.now();
    served.then(() => (at = Date.now() - t0));
    served.asked(); // the root
    await sleep(20);
    served.asked(); // the expanded servers
    await sleep(150);
    assert.equal(at, 0, 'not while the workbench is still drawing what it was just given');
    await sleep(250);
    assert.ok(at >= 20 + 200 && at < 1000, `served after ${at} ms`);
    served.dispose();
  });

  it('is served after a second at most when VS Code never asks', async () => {
    const served = new RowsServed();
    let done = false;
    served.then(() => (done = true));
    await sleep(900);
    assert.equal(done, false);
    await sleep(300);
    assert.equal(done, true);
    served.dispose();
  });
});
