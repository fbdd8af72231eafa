/**
 * What the client puts on the wire when it lists: a first page is asked for without `params` (as the SDK's own
 * `listTasks`/`listTools` do; a server parses nothing it does not need, on every sweep), a later page with its
 * cursor. A recording proxy in front of the 2025-11-25 demo server sees each request.
 */
import * as assert from 'node:assert/strict';
import { startHttpDemoServer } from '../../fixtures/demo-server/spawn';
import { recordingProxy } from '../../support/recordingProxy';
import { RegistryHarness } from '../../support/registryHarness';
import { httpConfig } from '../../support/serverConfigs';

describe('core: list requests on the wire', function () {
  this.timeout(30_000);

  it('asks for a first page without params and for the next with its cursor', async () => {
    const fixture = await startHttpDemoServer(['--page-size', '2']);
    const proxy = await recordingProxy(fixture.url);
    const h = new RegistryHarness();
    try {
      const server = await h.connect(httpConfig('list-wire', proxy.url));
      for (let i = 0; i < 3; i++) await server.callToolAsTask('slow-job', { steps: 0, stepMs: 0 });
      const sent = (method: string) => proxy.seen.filter((s) => s.method === method).map((s) => s.message ?? {});
      const before = sent('tasks/list').length;

      const first = await server.listTasks();
      assert.ok(first.nextCursor !== undefined, 'three tasks in pages of two: a cursor for the rest');
      const second = await server.listTasks(first.nextCursor);
      assert.equal(second.tasks.length, 1);

      const [firstAsk, secondAsk] = sent('tasks/list').slice(before);
      assert.ok(firstAsk && !('params' in firstAsk), `the first page is asked for without params: ${JSON.stringify(firstAsk)}`);
      assert.deepEqual(secondAsk?.params, { cursor: first.nextCursor });
      assert.ok(sent('tools/list').length > 0, 'the tools were listed');
      for (const ask of sent('tools/list')) assert.ok(!('params' in ask) || (ask.params as { cursor?: unknown }).cursor !== undefined, `tools/list: ${JSON.stringify(ask)}`);
    } finally {
      await h.dispose();
      await proxy.close();
      await fixture.stop();
    }
  });
});
