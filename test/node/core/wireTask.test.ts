import * as assert from 'node:assert/strict';
import { readWireTask } from '../../../src/core/protocol/wireTask';
import { readTaskSupport } from '../../../src/core/protocol/toolInfo';
import { tasks2025Capabilities } from '../../../src/core/protocol/capabilities';

const GOOD = {
  taskId: 't1',
  status: 'working',
  statusMessage: 'step 1/3',
  createdAt: '2026-01-01T00:00:00.000Z',
  lastUpdatedAt: '2026-01-01T00:00:01.000Z',
  ttl: 60_000,
  pollInterval: 1_000,
};

describe('reading wire tasks without trusting them', () => {
  it('takes a well-formed task as is, with no issues', () => {
    const { task, issues } = readWireTask(GOOD);
    assert.deepEqual(task, GOOD);
    assert.deepEqual(issues, []);
  });

  it('keeps an unknown status verbatim as unknown', () => {
    const { task, issues } = readWireTask({ ...GOOD, status: 'paused' });
    assert.equal(task?.status, 'unknown');
    assert.equal(task?.rawStatus, 'paused');
    assert.match(issues.join(), /unknown status "paused"/);
  });

  it('drops a pollInterval of 0, negative or not a number, and a negative ttl', () => {
    for (const pollInterval of [0, -5, '100', Number.NaN]) {
      const { task, issues } = readWireTask({ ...GOOD, pollInterval });
      assert.equal(task?.pollInterval, undefined, `pollInterval ${String(pollInterval)}`);
      assert.equal(issues.length, 1);
    }
    const negativeTtl = readWireTask({ ...GOOD, ttl: -1 });
    assert.equal(negativeTtl.task?.ttl, undefined);
    assert.match(negativeTtl.issues.join(), /ttl/);
    assert.equal(readWireTask({ ...GOOD, ttl: null }).task?.ttl, null, 'null means unlimited and is kept');
  });

  it('tolerates missing and wrong-typed fields, reporting each', () => {
    const { task, issues } = readWireTask({ taskId: 't2', status: 'completed', statusMessage: 42, createdAt: 'yesterday' });
    assert.deepEqual(task, { taskId: 't2', status: 'completed' });
    assert.equal(issues.length, 4, issues.join('\n')); // statusMessage, createdAt, lastUpdatedAt, ttl
  });

  it('refuses only what cannot be tracked: no object, no taskId', () => {
    assert.equal(readWireTask('nope').task, undefined);
    assert.equal(readWireTask({ status: 'working' }).task, undefined);
    assert.equal(readWireTask({ taskId: '', status: 'working' }).task, undefined);
  });
});

describe('reading capabilities and tools', () => {
  it('maps the 2025-11-25 tasks capability block, each operation by its own key', () => {
    assert.deepEqual(tasks2025Capabilities({ tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } } }), {
      generation: '2025-11-25',
      list: true,
      cancel: true,
      toolCall: true,
    });
    assert.deepEqual(tasks2025Capabilities({ tasks: { requests: { tools: {} } } }), { generation: '2025-11-25', list: false, cancel: false, toolCall: false });
    assert.equal(tasks2025Capabilities({ tools: {} }), undefined);
  });

  it('reads taskSupport, treating absent or unknown as forbidden', () => {
    assert.equal(readTaskSupport({ execution: { taskSupport: 'required' } }), 'required');
    assert.equal(readTaskSupport({ execution: { taskSupport: 'optional' } }), 'optional');
    assert.equal(readTaskSupport({}), 'forbidden');
    assert.equal(readTaskSupport({ execution: { taskSupport: 'sometimes' } }), 'forbidden');
  });
});
