/** For servers without tasks (or with a generation we do not speak yet): every operation says so. */
import type { TaskCapabilities } from '../model/ConnectionState';
import type { ToolCallResult } from '../model/TaskModel';
import type { Disposable } from '../util/Emitter';
import { NO_TASK_CAPABILITIES } from './capabilities';
import { TaskCapabilityError } from './taskGating';
import type { CreatedTask, TaskListPage, TaskProtocol, TaskSnapshot } from './TaskProtocol';

export class UnsupportedTaskProtocol implements TaskProtocol {
  readonly capabilities: TaskCapabilities = NO_TASK_CAPABILITIES;

  constructor(private readonly reason = 'server does not support tasks') {}

  getTask(): Promise<TaskSnapshot> {
    return this.refuse();
  }
  getTaskResult(): Promise<ToolCallResult> {
    return this.refuse();
  }
  listTasks(): Promise<TaskListPage> {
    return this.refuse();
  }
  cancelTask(): Promise<TaskSnapshot> {
    return this.refuse();
  }
  callToolAsTask(): Promise<CreatedTask> {
    return this.refuse();
  }
  answerInput(): Promise<void> {
    return this.refuse();
  }
  onTaskStatus(): Disposable {
    return { dispose: () => undefined };
  }
  dispose(): void {}

  private refuse<T>(): Promise<T> {
    return Promise.reject(new TaskCapabilityError(this.reason));
  }
}
