/** Reading the server's declared capabilities for tasks. */
import type { TaskCapabilities } from '../model/ConnectionState';

/** The capability key of the 2026-07-28 tasks extension (declared under `capabilities.extensions`). */
export const TASKS_EXTENSION_ID = 'io.modelcontextprotocol/tasks';

export const NO_TASK_CAPABILITIES: TaskCapabilities = { generation: 'none', list: false, cancel: false, toolCall: false };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** The 2025-11-25 `capabilities.tasks` block; declared sub-objects are what enables each operation. */
export function tasks2025Capabilities(serverCapabilities: unknown): TaskCapabilities | undefined {
  const tasks = isObject(serverCapabilities) ? serverCapabilities.tasks : undefined;
  if (!isObject(tasks)) {
    return undefined;
  }
  const requests = isObject(tasks.requests) ? tasks.requests : undefined;
  const tools = requests && isObject(requests.tools) ? requests.tools : undefined;
  return {
    generation: '2025-11-25',
    list: isObject(tasks.list),
    cancel: isObject(tasks.cancel),
    toolCall: !!tools && isObject(tools.call),
  };
}

export function declaresTasksExtension(serverCapabilities: unknown): boolean {
  const extensions = isObject(serverCapabilities) ? serverCapabilities.extensions : undefined;
  return isObject(extensions) && TASKS_EXTENSION_ID in extensions;
}
