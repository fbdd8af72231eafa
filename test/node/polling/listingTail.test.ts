// Refreshing from remembered pages also reads the listing's last page now and then: tasks started elsewhere
// appear there (the SDK's store lists oldest first), and when it has grown the listing is followed from its
// old end to the new one (ListingPages with listPages' walk and guards), without a listing from the start.
// A listing that never ends when followed drops the remembered pages. Real fixture servers over HTTP.
import * as assert from 'node:assert/strict';
import { startHttpDemoServer } from '../../fixtures/demo-server/spawn';
import { startHttpFaultServer } from '../../fixtures/fault-server/spawn';
import { httpConfig } from '../../support/serverConfigs';
import { makeTasksElsewhere } from '../../support/sideClient';
import { RegistryHarness } from '../../support/registryHarness';
import { sleep, waitFor } from '../../support/waiting';

describe('the last page of a remembered listing', function () {
  this.timeout(60_000);

  it('is followed to its new end when tasks started elsewhere are added, without listing from the start (2025-11-25, HTTP)', async () => {
    const fixture = await startHttpDemoServer(['--no-notifications', '--page-size', '10', '--poll-interval', '250']);
    const h = new RegistryHarness({ settings: { minPollIntervalMs: 50, maxPollIntervalMs: 30_000 } });
    try {
      await makeTasksElsewhere(fixture.url, 25, 600, 400); // three pages, the last half full, all changing
      const server = await h.connect(httpConfig('tail', fixture.url));
      await waitFor('the first tasks held', () => server.store.size >= 25);
      await sleep(1_500);
      const fromStart = h.log.count('tail', /listing from the start/);
      const added = await makeTasksElsewhere(fixture.url, 20, 600, 400); // the last page fills, two more follow
      const t0 = Date.now();
      await waitFor('the new tasks held', () => added.every((id) => server.store.get(id) !== undefined), 5_000);
      const after = Date.now() - t0;
      // The sweep that would also find them comes every 30 s; the tail is read with the refreshes, every second.
      assert.ok(after < 3_000, `new tasks held after ${after} ms\n${h.log.text()}`);
      assert.equal(h.log.count('tail', /listing from the start/), fromStart, h.log.text());
      assert.equal(h.log.problems, 0, h.log.text());
    } finally {
      await h.dispose();
      await fixture.stop();
    }
  });

  it('is given up when following it never ends (cursors over the same tasks), and the tasks are still polled', async () => {
    const fixture = await startHttpFaultServer(['--page-size', '5']);
    const h = new RegistryHarness({ settings: { minPollIntervalMs: 50, maxPollIntervalMs: 30_000 } });
    try {
      const server = await h.connect(httpConfig('loop', fixture.url));
      const live: string[] = [];
      for (let i = 0; i < 7; i++) live.push((await server.callToolAsTask('endless', {})).taskId);
      await server.refresh();
      await sleep(600);
      await fixture.control({ add: ['loop-cursor=fresh'] });
      await waitFor('following the last page given up', () => h.log.count('loop', /following the grown last page/) > 0, 10_000);
      const t0 = Date.now();
      await waitFor('the live tasks still polled', () => live.every((id) => server.store.get(id)!.fetchedAt > t0), 5_000);
    } finally {
      await h.dispose();
      await fixture.stop();
    }
  });
});
