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

  it('takes a date exactly when Date.parse can read it (the usual ISO form is checked without parsing it)', () => {
    const edges = [
      '2026-01-01T00:00:00Z', '2026-12-31T23:59:59.999Z', '2026-02-31T12:00:00.000Z', '2024-02-29T00:00:00Z', '0000-01-01T00:00:00Z',
      '2026-01-01T24:00:00Z', '2026-01-01T23:60:00Z', '2026-01-01T23:59:60Z', '2026-00-10T00:00:00Z', '2026-13-01T00:00:00Z',
      '2026-01-00T00:00:00Z', '2026-01-32T00:00:00Z', '2026-01-01T00:00:00.5Z', '2026-01-01T00:00:00.123456Z', '2026-01-01T00:00:00+01:00',
      '2026-01-01T00:00:00.000z', '2026-01-01 00:00:00Z', '2026-01-01T00:00Z', '+002026-01-01T00:00:00Z', '2026-1-01T00:00:00Z',
      '2026-01-01T00:00:00.000', '2026-01-01', 'Thu, 01 Jan 2026 00:00:00 GMT', 'yesterday', '', '２０２６-01-01T00:00:00Z', '2026-01-01T00:00:00.00aZ',
    ];
    // And every day, hour, minute and second in the usual form, one field at a time.
    const usual = (mo: number, d: number, h: number, mi: number, s: number) =>
      `2026-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}:${String(s).padStart(2, '0')}.000Z`;
    for (let v = 0; v <= 99; v++) {
      edges.push(usual(v, 1, 0, 0, 0), usual(1, v, 0, 0, 0), usual(1, 1, v, 0, 0), usual(1, 1, 0, v, 0), usual(1, 1, 0, 0, v));
    }
    for (const date of edges) {
      const { task } = readWireTask({ ...GOOD, createdAt: date, lastUpdatedAt: date });
      const readable = !Number.isNaN(Date.parse(date));
      assert.equal(task?.createdAt, readable ? date : undefined, date);
      assert.equal(task?.lastUpdatedAt, readable ? date : undefined, date);
    }
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
