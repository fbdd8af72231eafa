import type { ServerRegistryApi, TaskServerApi, TrackedTask } from '../core';

/** What commands accept as a task: a tree node, or any `{ serverId, taskId }` (keybindings, scripts, tests). */
export interface TaskRef {
  readonly serverId: string;
  readonly taskId: string;
}

export function isTaskRef(v: unknown): v is TaskRef {
  return typeof v === 'object' && v !== null && typeof (v as TaskRef).serverId === 'string' && typeof (v as TaskRef).taskId === 'string';
}

/** The server and the task the store holds, or an error naming what is missing. */
export function resolveTaskRef(registry: ServerRegistryApi, ref: TaskRef): { server: TaskServerApi; task: TrackedTask } {
  const server = registry.get(ref.serverId);
  if (!server) throw new Error(`The server "${ref.serverId}" is not configured.`);
  const task = server.store.get(ref.taskId);
  if (!task) throw new Error(`The server "${server.config.name}" has no task ${ref.taskId}.`);
  return { server, task };
}
