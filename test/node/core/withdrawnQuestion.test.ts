// A server that stops waiting for an answer cancels its elicitation request; the host's form must learn
// it (the port's AbortSignal). SDK 1.x drops a cancellation of request id 0, and a server's first request
// on a connection has id 0: the very first question must be withdrawn too.
import * as assert from 'node:assert/strict';
import type { ElicitationHandler } from '../../../src/core';
import { RegistryHarness } from '../../support/registryHarness';
import { demoStdioConfig } from '../../support/serverConfigs';
import { waitFor } from '../../support/waiting';

describe('a question the server stops waiting for', () => {
  let h: RegistryHarness | undefined;
  afterEach(async () => h?.dispose());

  it('aborts the host prompt of the first question on a connection (request id 0)', async () => {
    const asked: { message: string; aborted: boolean }[] = [];
    // A person who never answers: the prompt stays open until the server withdraws it.
    const elicit: ElicitationHandler = (request) =>
      new Promise((resolve) => {
        const entry = { message: request.message, aborted: false };
        asked.push(entry);
        request.signal?.addEventListener('abort', () => {
          entry.aborted = true;
          resolve({ action: 'cancel' });
        });
      });
    h = new RegistryHarness({ elicit });
    const server = await h.connect(demoStdioConfig('ask'));
    const task = await server.callToolAsTask('needs-input', { question: 'First question?', timeoutMs: 1_000 });
    await waitFor('the question to reach the host', () => asked.length === 1, 10_000);
    await waitFor('the server to give up (the task fails)', () => server.store.get(task.taskId)?.status === 'failed', 15_000);
    await waitFor('the prompt to be withdrawn', () => asked[0]!.aborted, 3_000);
    assert.equal(asked[0]!.message, 'First question?');
  });
});
