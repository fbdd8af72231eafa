// The result document's text for a large result, from a real 10 MB result of the demo server (both protocol
// generations, over stdio). Opening that document is what a user waits for, so its text must cost little.
import * as assert from 'node:assert/strict';
import { outcomeToMarkdown } from '../../../src/core/format/taskText';
import type { TaskServer } from '../../../src/core/servers/TaskServer';
import { GENERATIONS } from '../../support/generations';
import { RegistryHarness } from '../../support/registryHarness';
import { waitForStatus } from '../../support/waiting';

const MB = 1024 * 1024;

/** The lengths of every JSON.stringify result while `fn` runs. */
function stringified<T>(fn: () => T): { value: T; lengths: number[] } {
  const original = JSON.stringify;
  const lengths: number[] = [];
  JSON.stringify = ((...args: Parameters<typeof JSON.stringify>) => {
    const s = original(...args);
    lengths.push(s?.length ?? 0);
    return s;
  }) as typeof JSON.stringify;
  try {
    return { value: fn(), lengths };
  } finally {
    JSON.stringify = original;
  }
}

for (const gen of GENERATIONS) {
  describe(`result document text of a 10 MB result (${gen.name})`, function () {
    this.timeout(60_000);
    let h: RegistryHarness;
    let server: TaskServer;

    before(async () => {
      h = new RegistryHarness();
      server = await h.connect(gen.stdioConfig('demo', []));
    });
    after(async () => h.dispose());

    it('is built without serialising the whole result, and says what is left out', async () => {
      const created = await server.callToolAsTask('large-result', { sizeMb: 10 });
      await waitForStatus(server, created.taskId, 'completed', 30_000);
      const outcome = await server.getTaskResult(created.taskId);
      const { value: md, lengths } = stringified(() => outcomeToMarkdown(outcome));
      // Serialising 10 MB to learn that it is too large to show cost the host 50–140 ms and as much again in GC.
      assert.ok(Math.max(0, ...lengths) < MB, `JSON of ${(Math.max(...lengths) / MB).toFixed(1)} MB was built`);
      assert.match(md, /MB more text not shown/);
      assert.match(md, /## Raw result\n\n`+json\n\/\/ About 10\.0 MB of JSON: too large to show here/);
      assert.ok(md.length < 2 * MB, `the document holds ${md.length} characters`);
    });

    it('still shows the raw JSON of a small result', async () => {
      const created = await server.callToolAsTask('large-result', { sizeMb: 0.01 });
      await waitForStatus(server, created.taskId, 'completed', 30_000);
      const outcome = await server.getTaskResult(created.taskId);
      const md = outcomeToMarkdown(outcome);
      assert.ok(outcome.kind === 'result');
      assert.ok(md.includes(JSON.stringify(outcome.result, null, 2)), 'the raw result is shown whole');
    });
  });
}
