/** Reading a `Tool` from `tools/list` as the task UI needs it, tolerating what servers get wrong. */
import type { TaskSupport, ToolInfo } from '../model/TaskModel';

const TASK_SUPPORT: readonly TaskSupport[] = ['forbidden', 'optional', 'required'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * 2025-11-25: an absent `execution.taskSupport` means forbidden, and an unknown value is treated the same.
 * 2026-07-28 dropped the field (the server decides per call): the caller passes 'optional' as the default.
 */
export function readTaskSupport(tool: Record<string, unknown>, absent: TaskSupport = 'forbidden'): TaskSupport {
  const execution = tool.execution;
  const value = isRecord(execution) ? execution.taskSupport : undefined;
  if (value === undefined) return absent;
  return typeof value === 'string' && (TASK_SUPPORT as readonly string[]).includes(value) ? (value as TaskSupport) : 'forbidden';
}

export function readToolInfo(raw: unknown, absentTaskSupport: TaskSupport = 'forbidden'): ToolInfo | undefined {
  if (!isRecord(raw) || typeof raw.name !== 'string' || raw.name === '') {
    return undefined;
  }
  return {
    name: raw.name,
    ...(typeof raw.title === 'string' ? { title: raw.title } : {}),
    ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
    ...(raw.inputSchema !== undefined ? { inputSchema: raw.inputSchema } : {}),
    taskSupport: readTaskSupport(raw, absentTaskSupport),
  };
}
