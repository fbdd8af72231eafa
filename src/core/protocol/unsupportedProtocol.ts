/** For servers without tasks (or with a generation we do not speak yet): every operation says so. */
import type { TaskCapabilities } from '../model/ConnectionState';
import type { Disposable } from '../util/Emitter';
import { NO_TASK_CAPABILITIES } from './capabilities';
import { TaskCapabilityError } from './taskGating';
import type { TaskProtocol } from './TaskProtocol';

export class UnsupportedTaskProtocol implements TaskProtocol {
  readonly capabilities: TaskCapabilities = NO_TASK_CAPABILITIES;
  private readonly refuse = (): Promise<never> => Promise.reject(new TaskCapabilityError(this.reason));
  readonly getTask = this.refuse;
  readonly getTaskResult = this.refuse;
  readonly listTasks = this.refuse;
  readonly cancelTask = this.refuse;
  readonly callToolAsTask = this.refuse;
  readonly answerInput = this.refuse;

  constructor(private readonly reason = 'server does not support tasks') {}

  onTaskStatus(): Disposable {
    return { dispose: () => undefined };
  }

  dispose(): void {}
}
