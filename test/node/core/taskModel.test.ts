import * as assert from 'node:assert/strict';
import { isCancellable, isTerminal, toTrackedStatus } from '../../../src/core/model/TaskModel';

describe('TaskModel', () => {
  it('maps known statuses as they are', () => {
    for (const s of ['working', 'input_required', 'completed', 'failed', 'cancelled']) {
      assert.deepEqual(toTrackedStatus(s), { status: s });
    }
  });

  it('keeps an unknown or wrong-typed status verbatim instead of trusting it', () => {
    assert.deepEqual(toTrackedStatus('paused'), { status: 'unknown', rawStatus: 'paused' });
    assert.deepEqual(toTrackedStatus(42), { status: 'unknown', rawStatus: '42' });
  });

  it('treats expired as terminal and only running tasks as cancellable', () => {
    assert.equal(isTerminal('expired'), true);
    assert.equal(isTerminal('unknown'), false);
    assert.equal(isCancellable('input_required'), true);
    assert.equal(isCancellable('completed'), false);
  });
});
