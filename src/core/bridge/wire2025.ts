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
