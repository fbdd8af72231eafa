/**
 * What VS Code (a 2025-11-25 client) is shown of a 2026-07-28 server: tasks as 2025 `Task` objects, tool
 * results and tool lists without the 2026-only `resultType`, a failed task's error as the JSON-RPC error
 * `tasks/result` answers with in 2025-11-25.
 */
import { McpError, RELATED_TASK_META_KEY, type Result } from '@modelcontextprotocol/sdk/types.js';
import type { TaskOutcome, TrackedTask } from '../model/TaskModel';
import { ERROR_INVALID_PARAMS, ERROR_NO_RESULT } from '../protocol/requestErrors';

type WireRecord = Record<string, unknown>;

function isRecord(v: unknown): v is WireRecord {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A tracked task as a 2025-11-25 `Task`. `createdAt`, `lastUpdatedAt` and `ttl` are required there; a
 * status we do not know is still running for us (polled on), so it is `working` with the server's word.
 */
export function asTask2025(task: TrackedTask): WireRecord {
  if (task.status === 'expired') throw unknownTask(task.taskId);
  const now = new Date().toISOString();
  const unknown = task.status === 'unknown';
  const statusMessage = unknown ? `the server reports "${task.rawStatus ?? '?'}"` : task.statusMessage;
  return {
    taskId: task.taskId,
    status: unknown ? 'working' : task.status,
    ...(statusMessage !== undefined ? { statusMessage } : {}),
    createdAt: task.createdAt ?? now,
    lastUpdatedAt: task.lastUpdatedAt ?? task.createdAt ?? now,
    ttl: task.ttl ?? null,
    ...(task.pollInterval !== undefined ? { pollInterval: task.pollInterval } : {}),
  };
}

/** The reply to `tasks/result`: the tool's result, or the task's error as a JSON-RPC error (thrown). */
export function outcomeAsReply(taskId: string, outcome: TaskOutcome): Result {
  if (outcome.kind === 'error') throw new McpError(outcome.code ?? ERROR_NO_RESULT, outcome.message);
  const result = withoutResultType(outcome.result);
  const meta = isRecord(result._meta) ? result._meta : {};
  return { ...result, _meta: { ...meta, [RELATED_TASK_META_KEY]: { taskId } } };
}

/** A plain `tools/call` reply (the server answered, or its task ended). */
export function outcomeAsToolResult(outcome: TaskOutcome): Result {
  if (outcome.kind === 'error') throw new McpError(outcome.code ?? ERROR_NO_RESULT, outcome.message);
  return withoutResultType(outcome.result);
}

/**
 * A page of 2026 `tools/list` as 2025-11-25 shows it. A 2026-07-28 server decides per call whether a call
 * becomes a task, so a tool that declares nothing is `optional`: VS Code then asks for a task, and a plain
 * answer comes back as a task that has already completed. A server without the tasks extension: as it is.
 */
export function toolsPage2025(page: WireRecord, tasks: boolean): Result {
  const tools = (Array.isArray(page.tools) ? page.tools : []).filter(isRecord).map((tool) => {
    const execution = isRecord(tool.execution) ? tool.execution : {};
    return tasks ? { ...tool, execution: { ...execution, taskSupport: execution.taskSupport ?? 'optional' } } : tool;
  });
  return { ...withoutResultType(page), tools };
}

export function withoutResultType(result: WireRecord): WireRecord {
  const { resultType: _, ...rest } = result;
  return rest;
}

export function unknownTask(taskId: string): McpError {
  return new McpError(ERROR_INVALID_PARAMS, `Task not found: ${taskId}`);
}

/** Fields 2026-07-28 adds to results: the discriminator and the cache hints of list and read results. */
const RESULT_2026_ONLY = ['resultType', 'ttlMs', 'cacheScope'];
const SUBSCRIPTION_ID_META_KEY = 'io.modelcontextprotocol/subscriptionId';

/** A forwarded request's result as a 2025-11-25 server would send it. */
export function result2025(result: WireRecord): Result {
  const out: WireRecord = { ...result };
  for (const key of RESULT_2026_ONLY) delete out[key];
  return out;
}

/**
 * The server's capabilities as a 2025-11-25 `initialize` declares them: as discovered, without the 2026
 * `extensions` map; with the tasks extension, tasks as 2025 declares them (list and cancel answered by the core).
 */
export function capabilities2025(declared: WireRecord, tasks: boolean): WireRecord {
  const { extensions: _e, tasks: _t, ...rest } = declared;
  return { tools: {}, ...rest, ...(tasks ? { tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } } } : {}) };
}

/** A server notification as 2025-11-25 sends it: without the id of the 2026 listen it came on. */
export function notification2025(method: string, params: WireRecord | undefined): { method: string; params?: WireRecord } {
  if (!params || !isRecord(params._meta) || !(SUBSCRIPTION_ID_META_KEY in params._meta)) return params ? { method, params } : { method };
  const { [SUBSCRIPTION_ID_META_KEY]: _, ...meta } = params._meta;
  const { _meta: _m, ...rest } = params;
  return { method, params: Object.keys(meta).length > 0 ? { ...rest, _meta: meta } : rest };
}
