/**
 * Tasks as the 2026-07-28 `io.modelcontextprotocol/tasks` extension, over a `ModernSession` (the v2 stack
 * lives behind that interface, loaded lazily). Differences from 2025-11-25 that this maps away:
 * - no `tasks/list`: the inventory is the ids this client created (listTasks refuses);
 * - no `tasks/result`: `tasks/get` carries the result (or error) inline, so `getTaskResult` polls;
 * - a `tools/call` may come back as a plain result: shown as an already finished entry;
 * - input requests arrive inside the task (`inputRequests`) and are answered with `tasks/update`;
 * - pushes only for the ids a listen names: the ids seen running are listened to.
 */
import { randomUUID } from 'node:crypto';
import type { ModernSession, WireRecord } from '../connection/ModernSession';
import type { TaskCapabilities } from '../model/ConnectionState';
import { isTerminal, type ToolCallResult } from '../model/TaskModel';
import { Emitter, type Disposable } from '../util/Emitter';
import { errorMessage, TaskRequestError } from '../util/errors';
import { RecentKeys } from '../util/RecentKeys';
import { codeOf, ERROR_INVALID_PARAMS, ERROR_NO_RESULT, ERROR_TIMEOUT } from './requestErrors';
import { assertCanList } from './taskGating';
import type { CreatedTask, InputResponse, TaskListPage, TaskProtocol, TaskSnapshot } from './TaskProtocol';
import { readWireTask2026 } from './wireTask2026';

export const TASKS_2026_CAPABILITIES: TaskCapabilities = { generation: '2026-07-28', list: false, cancel: true, toolCall: true };

/** How often `getTaskResult` looks again when the server suggests nothing (or something absurdly small). */
const DEFAULT_RESULT_POLL_MS = 1_000;
const MIN_RESULT_POLL_MS = 100;

export interface Protocol2026Deps {
  readonly session: ModernSession;
  /** Read per request: the timeout setting may change at any time. */
  readonly timeoutMs: () => number;
  readonly warn: (message: string) => void;
  readonly redact: (text: string) => string;
}

export class Tasks2026Protocol implements TaskProtocol {
  readonly capabilities = TASKS_2026_CAPABILITIES;
  private readonly statusEmitter = new Emitter<TaskSnapshot>();
  private readonly reportedIssues = new RecentKeys(200);
  /** Running tasks we know of: the listen names them, so the server can push their changes. */
  private readonly running = new Set<string>();
  private readonly pushSubscription: Disposable;
  private disposed = false;

  constructor(private readonly deps: Protocol2026Deps) {
    this.pushSubscription = deps.session.onTaskPush((raw) => {
      const task = this.disposed ? undefined : this.read(raw, 'notifications/tasks');
      if (task) this.statusEmitter.fire(task);
    });
  }

  /** One `then`, not an async frame: every poll goes through here (see V2Session.getTask). */
  getTask(taskId: string): Promise<TaskSnapshot> {
    return this.deps.session.getTask(taskId, this.options()).then(
      (raw: WireRecord) => this.readOrThrow(raw, 'tasks/get'),
      (err: unknown) => {
        const mapped = this.mapError(err);
        if (mapped.code === ERROR_INVALID_PARAMS) this.noteRunning(taskId, false);
        throw mapped;
      },
    );
  }

  /**
   * The inline outcome. While the task runs, looks again at its poll interval until one request timeout
   * has passed, then fails with the timeout code (as 2025's blocking `tasks/result` does): the caller asks
   * again while the task still runs. A failed or cancelled task has no result: -32603, after which the
   * caller refreshes the task and keeps its outcome (the error) from the snapshot.
   */
  async getTaskResult(taskId: string): Promise<ToolCallResult> {
    const deadline = Date.now() + this.deps.timeoutMs();
    for (;;) {
      const task = await this.getTask(taskId);
      if (task.outcome?.kind === 'result') return task.outcome.result;
      if (isTerminal(task.status)) {
        const why = task.outcome?.kind === 'error' ? task.outcome.message : `it is ${task.status}`;
        throw new TaskRequestError(this.deps.redact(`task ${taskId} has no result: ${why}`), ERROR_NO_RESULT);
      }
      const wait = Math.max(MIN_RESULT_POLL_MS, task.pollInterval ?? DEFAULT_RESULT_POLL_MS);
      if (this.disposed || Date.now() + wait > deadline) {
        throw new TaskRequestError(`task ${taskId} is still ${task.status}: Request timed out`, ERROR_TIMEOUT);
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /** Always refuses: 2026-07-28 has no `tasks/list` (the inventory is the ids this client created). */
  async listTasks(): Promise<TaskListPage> {
    assertCanList(this.capabilities);
    return { tasks: [] };
  }

  /** Cooperative and eventually consistent: the snapshot after the acknowledgement may still be running. */
  /**
   * 2026-07-28 acknowledges a cancel of a task that has already ended; 2025-11-25 answers -32602, and the
   * core (what it tells the user, the CLI's exit code) relies on that. So: a look before, and one after
   * (the task may end while the cancel is on its way).
   */
  async cancelTask(taskId: string): Promise<TaskSnapshot> {
    const before = await this.getTask(taskId);
    if (isTerminal(before.status)) throw alreadyEnded(taskId, before.status);
    try {
      await this.deps.session.cancelTask(taskId, this.options());
    } catch (err) {
      throw this.mapError(err);
    }
    const after = await this.getTask(taskId);
    if (isTerminal(after.status) && after.status !== 'cancelled') throw alreadyEnded(taskId, after.status);
    return after;
  }

  /** `ttlMs` cannot be asked for in 2026-07-28 (the server decides the retention); it is ignored. */
  async callToolAsTask(name: string, args: Record<string, unknown>): Promise<CreatedTask> {
    let call;
    try {
      call = await this.deps.session.callTool(name, args, this.options());
    } catch (err) {
      throw this.mapError(err);
    }
    if (call.kind === 'task') {
      return { task: this.readOrThrow(call.task, 'tools/call') };
    }
    // The server answered at once. Shown as a task that has already completed, with the result as its
    // outcome, so that whoever started it finds it the same way as a real task.
    const now = new Date().toISOString();
    const task: TaskSnapshot = {
      taskId: `immediate-${randomUUID()}`,
      status: 'completed',
      statusMessage: 'answered at once (not run as a task)',
      createdAt: now,
      lastUpdatedAt: now,
      outcome: { kind: 'result', result: call.result as ToolCallResult, receivedAt: Date.now() },
    };
    return { task, answeredAtOnce: true };
  }

  async answerInput(taskId: string, key: string, response: InputResponse): Promise<void> {
    try {
      await this.deps.session.updateTask(taskId, { [key]: response }, this.options());
    } catch (err) {
      throw this.mapError(err);
    }
  }

  onTaskStatus(listener: (task: TaskSnapshot) => void): Disposable {
    return this.statusEmitter.event(listener);
  }

  onPushCoverage(listener: (taskIds: readonly string[], covered: boolean) => void): Disposable {
    return this.deps.session.onTaskCoverage((taskIds, covered) => this.disposed || listener(taskIds, covered));
  }

  dispose(): void {
    this.disposed = true;
    this.pushSubscription.dispose();
    this.statusEmitter.dispose();
    for (const taskId of this.running) this.deps.session.unwatchTask(taskId);
    this.running.clear();
  }

  private options(): { timeoutMs: number } {
    return { timeoutMs: this.deps.timeoutMs() };
  }

  /** The session's errors come from the lazily loaded module (other classes): the code is read structurally. */
  private mapError(err: unknown): TaskRequestError {
    const code = (err as { code?: unknown } | null)?.code;
    return new TaskRequestError(this.deps.redact(errorMessage(err)), typeof code === 'number' ? code : codeOf(err));
  }

  /** Keeps the session watching exactly the running tasks (one id at a time: constant cost per task). */
  private noteRunning(taskId: string, running: boolean): void {
    if (this.disposed || running === this.running.has(taskId)) return;
    if (running) {
      this.running.add(taskId);
      this.deps.session.watchTask(taskId);
    } else {
      this.running.delete(taskId);
      this.deps.session.unwatchTask(taskId);
    }
  }

  private read(raw: unknown, source: string): TaskSnapshot | undefined {
    const { task, issues } = readWireTask2026(raw);
    for (const issue of issues) this.warnOnce(source, issue, task?.taskId);
    if (task) this.noteRunning(task.taskId, !isTerminal(task.status));
    return task;
  }

  private readOrThrow(raw: unknown, source: string): TaskSnapshot {
    const task = this.read(raw, source);
    if (!task) throw new TaskRequestError(`${source}: the server sent no usable task`);
    return task;
  }

  /** One line per kind of problem: a server that always omits a field would otherwise flood the log. */
  private warnOnce(source: string, issue: string, taskId?: string): void {
    if (this.reportedIssues.add(`${source}: ${issue}`)) {
      this.deps.warn(`${source}: ${issue}${taskId ? ` (task ${taskId}; further reports of this are not logged)` : ''}`);
    }
  }
}

function alreadyEnded(taskId: string, status: string): TaskRequestError {
  return new TaskRequestError(`task ${taskId} has already ended (${status})`, ERROR_INVALID_PARAMS);
}
