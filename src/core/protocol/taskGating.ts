/**
 * What the server allows, checked before anything is sent: the SDK sends `tasks/list`, `tasks/cancel` and
 * task-augmented calls whatever the server declared, and servers answer those in unhelpful ways.
 */
import type { TaskCapabilities } from '../model/ConnectionState';
import type { ToolInfo } from '../model/TaskModel';

/** A request the server's declared capabilities (or a tool's `taskSupport`) do not allow; never sent. */
export class TaskCapabilityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TaskCapabilityError';
  }
}

export function assertCanList(caps: TaskCapabilities): void {
  if (!caps.list) {
    throw new TaskCapabilityError('server does not support listing tasks');
  }
}

export function assertCanCancel(caps: TaskCapabilities): void {
  if (!caps.cancel) {
    throw new TaskCapabilityError('server does not support cancelling tasks');
  }
}

export function assertCanCallToolsAsTasks(caps: TaskCapabilities): void {
  if (caps.generation === 'none') {
    throw new TaskCapabilityError('server does not support tasks');
  }
  if (!caps.toolCall) {
    throw new TaskCapabilityError('server does not support running tools as tasks');
  }
}

/** The tool must exist and declare `taskSupport` optional or required. */
export function assertToolRunsAsTask(toolName: string, tool: ToolInfo | undefined): void {
  if (!tool) {
    throw new TaskCapabilityError(`server has no tool named "${toolName}"`);
  }
  if (tool.taskSupport === 'forbidden') {
    throw new TaskCapabilityError(`tool "${toolName}" cannot run as a task (taskSupport: forbidden)`);
  }
}
