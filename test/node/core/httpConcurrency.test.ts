// Many requests in flight over Streamable HTTP: answered, and no (false) listener-leak warning.
import * as assert from 'node:assert/strict';
import { startHttpDemoServer, type HttpDemoServer } from '../../fixtures/demo-server/spawn';
import { httpConfig } from '../../support/serverConfigs';
import { RegistryHarness } from '../../support/registryHarness';

describe('HTTP under concurrency', () => {
  let demo: HttpDemoServer;
  let h: RegistryHarness;
  const warnings: Error[] = [];
  const onWarning = (w: Error) => warnings.push(w);

  before(async () => {
    demo = await startHttpDemoServer([]);
    process.on('warning', onWarning);
  });
  after(async () => {
    process.off('warning', onWarning);
    await h?.dispose();
    await demo.stop();
  });

  it('answers 1,600 concurrent status requests (Node warns past 1,500 listeners) without a MaxListenersExceeded warning', async () => {
    h = new RegistryHarness();
    const server = await h.connect(httpConfig('busy', demo.url));
    const task = await server.callToolAsTask('endless-job', { tickMs: 1000 });
    const answers = await Promise.all(Array.from({ length: 1600 }, () => server.getTaskStatus(task.taskId)));
    assert.ok(answers.every((t) => t.taskId === task.taskId && t.status === 'working'));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message), []);
    await server.cancelTask(task.taskId);
  });
});
