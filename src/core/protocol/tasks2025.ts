/**
 * Tasks as in spec 2025-11-25, through the SDK 1.x Client.
 *
 * `tasks/get`, `tasks/list` and `tasks/cancel` go through `client.request` with the SDK's loose
 * `ResultSchema` rather than `client.experimental.tasks.*`: those parse with the strict `TaskSchema`, which
 * rejects a whole reply (or a whole page) over one unknown status or a missing field, and we want to show
 * such tasks, not fail on them. `readWireTask` does the validation instead.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { ResultSchema, TaskStatusNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import type { TaskCapabilities } from '../model/ConnectionState';
import type { ToolCallResult } from '../model/TaskModel';
import { Emitter, type Disposable } from '../util/Emitter';
import { TaskRequestError } from '../util/errors';
import { RecentKeys } from '../util/RecentKeys';
import { toTaskRequestError } from './requestErrors';
import { assertCanCallToolsAsTasks, assertCanCancel, assertCanList, TaskCapabilityError } from './taskGating';
import type { CreatedTask, TaskListPage, TaskProtocol, TaskSnapshot } from './TaskProtocol';
import { readWireTask } from './wireTask';

const IMMEDIATE_RESPONSE_META_KEY = 'io.modelcontextprotocol/model-immediate-response';

/** Same method literal as the SDK's, so it routes the same, but the params are read by `readWireTask`. */
const LooseTaskStatusNotificationSchema = TaskStatusNotificationSchema.extend({ params: ResultSchema });

export interface ProtocolDeps {
  readonly client: Client;
  readonly capabilities: TaskCapabilities;
  /** Read per request: the timeout setting may change at any time. */
  readonly requestOptions: () => RequestOptions;
  /** Reports what a server sent that we had to tolerate. */
  readonly warn: (message: string) => void;
  /** Hides configured secrets in error texts. */
  readonly redact: (text: string) => string;
}

export class Tasks2025Protocol implements TaskProtocol {
  readonly capabilities: TaskCapabilities;
  private readonly statusEmitter = new Emitter<TaskSnapshot>();
  private readonly reportedIssues = new RecentKeys(200);
  private disposed = false;

  constructor(private readonly deps: ProtocolDeps) {
    this.capabilities = deps.capabilities;
    deps.client.setNotificationHandler(LooseTaskStatusNotificationSchema, (notification) => {
      if (this.disposed) {
        return;
      }
      const task = this.read(notification.params, 'notifications/tasks/status');
      if (task) {
        this.statusEmitter.fire(task);
      }
    });
  }

  /**
   * Polls (get, list) chain one `then` on the SDK's promise, with readers made once: no async frames, no
   * closures, no second promise per round trip.
   */
  getTask(taskId: string): Promise<TaskSnapshot> {
    return this.poll('tasks/get', { taskId }, this.readGot);
  }

  private readonly readGot = (result: Record<string, unknown>): TaskSnapshot => this.readOrThrow(result, 'tasks/get');
  private readonly readListed = (result: Record<string, unknown>): TaskListPage => this.readPage(result);
  private readonly getFailed = (err: unknown): never => {
    throw toTaskRequestError(err, 'tasks/get', this.deps.redact);
  };
  private readonly listFailed = (err: unknown): never => {
    throw toTaskRequestError(err, 'tasks/list', this.deps.redact);
  };

  async getTaskResult(taskId: string): Promise<ToolCallResult> {
    const result = await this.send('tasks/result', () =>
      this.deps.client.experimental.tasks.getTaskResult(taskId, ResultSchema, this.deps.requestOptions()),
    );
    return result as ToolCallResult;
  }

  listTasks(cursor?: string): Promise<TaskListPage> {
    try {
      assertCanList(this.capabilities);
    } catch (err) {
      return Promise.reject(err);
    }
    // No params for a first page, as the SDK's own listTasks sends it: the server has nothing to parse.
    return this.poll('tasks/list', cursor !== undefined ? { cursor } : undefined, this.readListed);
  }

  private readPage(result: Record<string, unknown>): TaskListPage {
    const rawTasks = result.tasks;
    if (!Array.isArray(rawTasks)) {
      this.warnOnce('tasks/list', 'reply without a tasks array');
    }
    const tasks: TaskSnapshot[] = [];
    for (const raw of Array.isArray(rawTasks) ? rawTasks : []) {
      const task = this.read(raw, 'tasks/list');
      if (task) {
        tasks.push(task);
      }
    }
    const next = result.nextCursor;
    if (next !== undefined && typeof next !== 'string') {
      this.warnOnce('tasks/list', `nextCursor is not a string: ${JSON.stringify(next)}`);
    }
    return typeof next === 'string' && next !== '' ? { tasks, nextCursor: next } : { tasks };
  }

  async cancelTask(taskId: string): Promise<TaskSnapshot> {
    assertCanCancel(this.capabilities);
    const result = await this.send('tasks/cancel', () =>
      this.deps.client.request({ method: 'tasks/cancel', params: { taskId } }, ResultSchema, this.deps.requestOptions()),
    );
    return this.readOrThrow(result, 'tasks/cancel');
  }

  async callToolAsTask(name: string, args: Record<string, unknown>, ttlMs: number): Promise<CreatedTask> {
    assertCanCallToolsAsTasks(this.capabilities);
    const result = await this.send(`tools/call ${name}`, () =>
      this.deps.client.request({ method: 'tools/call', params: { name, arguments: args } }, ResultSchema, {
        ...this.deps.requestOptions(),
        task: { ttl: ttlMs },
      }),
    );
    const rawTask = (result as Record<string, unknown>).task;
    if (rawTask === undefined) {
      throw new TaskRequestError(`tools/call ${name}: the server answered without creating a task`);
    }
    const task = this.readOrThrow(rawTask, 'tools/call');
    const immediate = result._meta?.[IMMEDIATE_RESPONSE_META_KEY];
    return typeof immediate === 'string' ? { task, immediateResponse: immediate } : { task };
  }

  /** 2025-11-25 asks with an elicitation request, answered through the connection's handler. */
  answerInput(): Promise<void> {
    return Promise.reject(new TaskCapabilityError('2025-11-25 servers ask for input with a request, not inside the task'));
  }

  onTaskStatus(listener: (task: TaskSnapshot) => void): Disposable {
    return this.statusEmitter.event(listener);
  }

  dispose(): void {
    this.disposed = true;
    this.statusEmitter.dispose();
    this.deps.client.removeNotificationHandler('notifications/tasks/status');
  }

  /** A reply `read` throws about is not a request error: it is not passed through `failed`. */
  private poll<T>(method: 'tasks/get' | 'tasks/list', params: Record<string, unknown> | undefined, read: (result: Record<string, unknown>) => T): Promise<T> {
    const failed = method === 'tasks/get' ? this.getFailed : this.listFailed;
    let sent: Promise<Record<string, unknown>>;
    try {
      sent = this.deps.client.request({ method, params }, ResultSchema, this.deps.requestOptions());
    } catch (err) {
      return Promise.reject(toTaskRequestError(err, method, this.deps.redact));
    }
    return sent.then(read, failed);
  }

  private async send<T>(what: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (err) {
      throw toTaskRequestError(err, what, this.deps.redact);
    }
  }

  private read(raw: unknown, source: string): TaskSnapshot | undefined {
    const { task, issues } = readWireTask(raw);
    for (const issue of issues) {
      this.warnOnce(source, issue, task?.taskId);
    }
    return task;
  }

  private readOrThrow(raw: unknown, source: string): TaskSnapshot {
    const task = this.read(raw, source);
    if (!task) {
      throw new TaskRequestError(`${source}: the server sent no usable task`);
    }
    return task;
  }

  /** One line per kind of problem: a server that always omits a field would otherwise flood the log. */
  private warnOnce(source: string, issue: string, taskId?: string): void {
    if (this.reportedIssues.add(`${source}: ${issue}`)) {
      this.deps.warn(`${source}: ${issue}${taskId ? ` (task ${taskId}; further reports of this are not logged)` : ''}`);
    }
  }
}
