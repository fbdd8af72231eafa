/**
 * Reading a 2026-07-28 DetailedTask (`tasks/get`, `notifications/tasks`, a task-shaped `tools/call` reply)
 * without trusting it. The common fields are read by `readWireTask` (the 2025 reader: same names but for
 * `ttlMs` / `pollIntervalMs`); what 2026 adds inline is read here: the result of a completed task, the
 * error of a failed one, and the input requests of one that waits for input.
 */
import type { InputRequest, TaskOutcome, ToolCallResult } from '../model/TaskModel';
import type { TaskSnapshot } from './TaskProtocol';
import { readWireTask, type WireTaskReading } from './wireTask';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function readWireTask2026(raw: unknown, receivedAt = Date.now()): WireTaskReading {
  if (!isRecord(raw)) return readWireTask(raw);
  // Leave 2025 names alone when a server sends those (they are still what the reader reports on).
  const { task, issues } = readWireTask(raw, {
    ttl: raw.ttlMs !== undefined || raw.ttl === undefined ? raw.ttlMs : raw.ttl,
    pollInterval: raw.pollIntervalMs !== undefined ? raw.pollIntervalMs : raw.pollInterval,
  });
  if (!task) return { issues };
  if (task.status !== 'completed' && task.status !== 'failed' && task.status !== 'input_required') return { task, issues };
  // The reader's snapshot is new and ours: the inline parts are added to it rather than copied over.
  const more = [...issues];
  const snapshot = task as { -readonly [K in keyof TaskSnapshot]: TaskSnapshot[K] };
  const outcome = readOutcome(raw, task, receivedAt, more);
  if (outcome) snapshot.outcome = outcome;
  const inputRequest = task.status === 'input_required' ? readInputRequest(raw.inputRequests, receivedAt, more) : undefined;
  if (inputRequest) snapshot.inputRequest = inputRequest;
  return { task: snapshot, issues: more };
}

function readOutcome(raw: Record<string, unknown>, task: TaskSnapshot, receivedAt: number, issues: string[]): TaskOutcome | undefined {
  if (task.status === 'completed') {
    // A tool result with `isError: true` is still a result: the task completed, the tool said no.
    if (isRecord(raw.result)) return { kind: 'result', result: raw.result as ToolCallResult, receivedAt };
    issues.push('completed task without an inline result');
    return undefined;
  }
  if (task.status === 'failed') {
    const error = isRecord(raw.error) ? raw.error : undefined;
    if (!error) issues.push('failed task without an inline error');
    const message = typeof error?.message === 'string' ? error.message : 'the task failed (the server gave no reason)';
    const code = typeof error?.code === 'number' ? error.code : undefined;
    return { kind: 'error', ...(code !== undefined ? { code } : {}), message, receivedAt };
  }
  return undefined;
}

/**
 * The first form elicitation among the task's input requests: one question at a time (the server lists the
 * rest again after the answer). Sampling and roots requests are not something this client can answer.
 */
function readInputRequest(raw: unknown, receivedAt: number, issues: string[]): InputRequest | undefined {
  if (!isRecord(raw)) {
    issues.push('input_required task without inputRequests');
    return undefined;
  }
  for (const [key, entry] of Object.entries(raw)) {
    const params = isRecord(entry) && isRecord(entry.params) ? entry.params : undefined;
    const method = isRecord(entry) ? entry.method : undefined;
    if (method !== 'elicitation/create' || !params || (params.mode !== undefined && params.mode !== 'form')) {
      issues.push(`input request of a kind this client cannot answer: ${JSON.stringify(method)}`);
      continue;
    }
    const message = typeof params.message === 'string' ? params.message : '(the server sent no question text)';
    return { key, message, ...(params.requestedSchema !== undefined ? { requestedSchema: params.requestedSchema } : {}), receivedAt };
  }
  return undefined;
}
