/**
 * Reading a 2026-07-28 DetailedTask: the renamed fields (`ttlMs`, `pollIntervalMs`, or the 2025 names when a
 * server sends those), and what 2026 adds inline (the result of a completed task, the error of a failed one,
 * the input request of one that waits). Each read stands alone, although the reader reuses one object to hand
 * the renamed fields on.
 */
import * as assert from 'node:assert/strict';
import { readWireTask2026 } from '../../../src/core/protocol/wireTask2026';

const BASE = { taskId: 't1', createdAt: '2026-01-01T00:00:00.000Z', lastUpdatedAt: '2026-01-01T00:00:01.000Z' };
const AT = 1_700_000_000_000;

describe('reading 2026-07-28 wire tasks', () => {
  it('takes a completed task with its inline result (the very object sent, not a copy), with no issues', () => {
    const result = { content: [{ type: 'text', text: 'done' }], structuredContent: { n: 1 } };
    const { task, issues } = readWireTask2026({ ...BASE, status: 'completed', ttlMs: 60_000, pollIntervalMs: 500, result }, AT);
    assert.deepEqual(issues, []);
    assert.equal(task?.status, 'completed');
    assert.equal(task?.ttl, 60_000);
    assert.equal(task?.pollInterval, 500);
    assert.deepEqual(task?.outcome, { kind: 'result', result, receivedAt: AT });
    assert.equal(task?.outcome?.kind === 'result' && task.outcome.result, result);
  });

  it('reports a completed task without a result, and reads a failed one with or without its error', () => {
    assert.deepEqual(readWireTask2026({ ...BASE, status: 'completed', ttlMs: null }, AT).issues, ['completed task without an inline result']);
    const failed = readWireTask2026({ ...BASE, status: 'failed', ttlMs: null, error: { code: -32000, message: 'boom' } }, AT);
    assert.deepEqual(failed.task?.outcome, { kind: 'error', code: -32000, message: 'boom', receivedAt: AT });
    assert.deepEqual(failed.issues, []);
    const bare = readWireTask2026({ ...BASE, status: 'failed', ttlMs: null }, AT);
    assert.deepEqual(bare.task?.outcome, { kind: 'error', message: 'the task failed (the server gave no reason)', receivedAt: AT });
    assert.deepEqual(bare.issues, ['failed task without an inline error']);
  });

  it('reads the first form question of a task waiting for input', () => {
    const inputRequests = { q1: { method: 'elicitation/create', params: { message: 'Name?', requestedSchema: { type: 'object' } } } };
    const { task, issues } = readWireTask2026({ ...BASE, status: 'input_required', ttlMs: null, inputRequests }, AT);
    assert.deepEqual(task?.inputRequest, { key: 'q1', message: 'Name?', requestedSchema: { type: 'object' }, receivedAt: AT });
    assert.deepEqual(issues, []);
  });

  it('takes the 2025 names when those are sent, and nothing of one read carries over to the next', () => {
    const legacy = readWireTask2026({ ...BASE, status: 'working', ttl: 1_000, pollInterval: 200 }, AT);
    assert.equal(legacy.task?.ttl, 1_000);
    assert.equal(legacy.task?.pollInterval, 200);
    const first = readWireTask2026({ ...BASE, status: 'working', ttlMs: 5_000, pollIntervalMs: 700 }, AT);
    assert.equal(first.task?.pollInterval, 700);
    const next = readWireTask2026({ ...BASE, taskId: 't2', status: 'working', ttlMs: null }, AT);
    assert.equal(next.task?.ttl, null);
    assert.equal(next.task?.pollInterval, undefined);
    assert.deepEqual(next.issues, []);
    const missing = readWireTask2026({ ...BASE, taskId: 't3', status: 'working' }, AT);
    assert.equal(missing.task?.ttl, undefined);
    assert.deepEqual(missing.issues, ['ttl is not a non-negative number or null: missing']);
  });
});
