/**
 * `ModernSession` over the official v2 stack: the v2 `Client` (connect, discover, listen) and an ext-tasks
 * session (tools/call classification, tasks/get|update|cancel with the package's framing and checks).
 * Only where they do not reach is a request sent by hand over the raw channel: `tools/list` read
 * leniently (one malformed tool must not hide the others) and `tasks/get` when ext-tasks' strict schema
 * refuses a reply (an unknown status must be shown, not fail the poll).
 */
import type { Client } from '@modelcontextprotocol/client' with { 'resolution-mode': 'import' };
import type { TaskEnabledSession } from '@modelcontextprotocol/ext-tasks/client' with { 'resolution-mode': 'import' };
import { randomUUID } from 'node:crypto';
import { Emitter, type Disposable } from '../../util/Emitter';
import { CLIENT_NOTIFICATIONS, type ForwardOptions, type ForwardReply, type ModernListen, type ModernRequestOptions, type ModernSession, type ModernToolCall, type ServerNotification, type WireRecord } from '../ModernSession';
import { mapped, messageOf, ModernRequestError, toRequestError } from './errors';
import { framedParams } from './framing';
import type { RawChannel } from './rawChannel';
import { TaskWatch, type TaskListen } from './taskWatch';

/** Our `_meta` key tagging each tools/call, so its raw reply can be found again (see RawChannel). */
export const CALL_ID_META_KEY = 'dev.mcp-tasks/callId';

export interface V2SessionParts {
  readonly client: Client;
  readonly tasks?: TaskEnabledSession;
  readonly channel: RawChannel;
  readonly clientInfo: { name: string; version: string };
  readonly transport: 'stdio' | 'http';
  readonly pid?: number;
  readonly log: (level: 'info' | 'warn', message: string) => void;
}

function isDecodeError(err: unknown): boolean {
  return err instanceof Error && err.name === 'ProtocolDecodeError';
}

function isRecord(v: unknown): v is WireRecord {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class V2Session implements ModernSession {
  readonly protocolVersion = '2026-07-28' as const;
  readonly transport: 'stdio' | 'http';
  readonly serverName?: string;
  readonly serverVersion?: string;
  readonly pid?: number;
  readonly tasksExtension: boolean;
  readonly instructions?: string;
  readonly toolsListChanged: boolean;
  readonly serverCapabilities: WireRecord;
  private readonly notificationEmitter = new Emitter<ServerNotification>();
  private readonly pushEmitter = new Emitter<WireRecord>();
  private readonly closeEmitter = new Emitter<string>();
  private readonly coverageEmitter = new Emitter<{ taskIds: readonly string[]; covered: boolean }>();
  private readonly watch = new TaskWatch(
    (taskIds) => this.listenForTasks(taskIds),
    (taskIds, covered) => this.coverageEmitter.fire({ taskIds, covered }),
    (message) => this.parts.log('warn', message),
  );
  private closing = false;
  /** Task ids honoured by acknowledgements not yet matched to their listen (see noteHonoured). */
  private readonly honoured = new Set<string>();

  constructor(private readonly parts: V2SessionParts) {
    this.transport = parts.transport;
    const server = parts.client.getServerVersion();
    if (server?.name !== undefined) this.serverName = server.name;
    if (server?.version !== undefined) this.serverVersion = server.version;
    if (parts.pid !== undefined) this.pid = parts.pid;
    this.tasksExtension = parts.tasks !== undefined;
    const instructions = parts.client.getInstructions();
    if (instructions !== undefined) this.instructions = instructions;
    this.serverCapabilities = { ...(parts.client.getServerCapabilities() as WireRecord | undefined) };
    this.toolsListChanged = parts.client.getServerCapabilities()?.tools?.listChanged === true;
    parts.channel.notificationTap = (message) => {
      if (message.method === 'notifications/subscriptions/acknowledged') this.noteHonoured(message.params);
      if (!this.closing) this.notificationEmitter.fire({ method: message.method as string, ...(isRecord(message.params) ? { params: message.params } : {}) });
      return CLIENT_NOTIFICATIONS.has(message.method as string);
    };
    // ext-tasks chains its own handler after ours; notifications/tasks reach both.
    const previous = parts.client.fallbackNotificationHandler;
    parts.client.fallbackNotificationHandler = async (notification) => {
      if (notification.method === 'notifications/tasks' && notification.params && !this.closing) {
        this.pushEmitter.fire(notification.params as WireRecord);
      }
      await previous?.(notification);
    };
    const onclose = parts.client.onclose;
    parts.client.onclose = () => {
      onclose?.();
      if (!this.closing) this.closeEmitter.fire('connection closed');
    };
  }

  async callTool(name: string, args: Record<string, unknown>, options: ModernRequestOptions): Promise<ModernToolCall> {
    const tasks = this.requireTasks(`tools/call ${name}`);
    const callId = randomUUID();
    return mapped(`tools/call ${name}`, async () => {
      let execution: Awaited<ReturnType<typeof tasks.callTool>>;
      try {
        execution = await tasks.callTool(name, args as never, { requestTimeoutMs: options.timeoutMs, metadata: { [CALL_ID_META_KEY]: callId } });
      } catch (err) {
        // ext-tasks rejects a reply its strict schema does not know (a status outside the five, say); the
        // task exists on the server all the same, so it is taken as the server sent it (as getTask does).
        const raw = isDecodeError(err) ? this.parts.channel.takeToolReply(callId) : undefined;
        if (!raw) throw err;
        return raw['resultType'] === 'task' ? { kind: 'task', task: raw } : { kind: 'immediate', result: raw };
      }
      const reply = this.parts.channel.takeToolReply(callId);
      if (execution.kind === 'task') {
        // Our tracker polls and answers input itself: the execution must not drive (it would answer input
        // requests with "cancel" on its own).
        await execution.detach();
        return { kind: 'task', task: reply ?? { taskId: execution.handle.taskId, status: 'working' } };
      }
      const { outcome } = await execution.settle();
      const result = outcome.status === 'completed' ? (outcome.result as WireRecord) : reply;
      if (!result) throw new ModernRequestError(`the call ended ${outcome.status} without a result`);
      return { kind: 'immediate', result };
    });
  }

  /**
   * The poll path: one `then` on ext-tasks' promise rather than another async frame around it (each frame adds
   * promise hops, and in a round trip of about a millisecond those showed: bench rows 3.2026.*).
   */
  getTask(taskId: string, options: ModernRequestOptions): Promise<WireRecord> {
    let tasks: TaskEnabledSession;
    try {
      tasks = this.requireTasks('tasks/get');
    } catch (err) {
      return Promise.reject(err);
    }
    return tasks.task(taskId as never, { requestTimeoutMs: options.timeoutMs }).snapshot().then(
      (view) => view.raw as WireRecord,
      (err: unknown) => (isDecodeError(err) ? this.rawRequest('tasks/get', { taskId }, options) : Promise.reject(toRequestError(err, 'tasks/get'))),
    );
  }

  async updateTask(taskId: string, inputResponses: Record<string, unknown>, options: ModernRequestOptions): Promise<void> {
    const tasks = this.requireTasks('tasks/update');
    await mapped('tasks/update', () => tasks.task(taskId as never, { requestTimeoutMs: options.timeoutMs }).update(inputResponses as never));
  }

  async cancelTask(taskId: string, options: ModernRequestOptions): Promise<void> {
    const tasks = this.requireTasks('tasks/cancel');
    await mapped('tasks/cancel', () => tasks.task(taskId as never, { requestTimeoutMs: options.timeoutMs }).cancel());
  }

  listTools(cursor: string | undefined, options: ModernRequestOptions): Promise<WireRecord> {
    return this.rawRequest('tools/list', cursor !== undefined ? { cursor } : {}, options);
  }

  async forward(method: string, params: WireRecord, options: ForwardOptions): Promise<ForwardReply> {
    const extra = { ...(options.clientCapabilities ? { capabilities: options.clientCapabilities } : {}), ...(options.logLevel !== undefined ? { logLevel: options.logLevel } : {}) };
    return mapped(method, () => this.parts.channel.request(method, framedParams(params, this.parts.clientInfo, extra), options.timeoutMs, options.signal));
  }

  onNotification(listener: (notification: ServerNotification) => void): Disposable {
    return this.notificationEmitter.event(listener);
  }

  async listen(filter: WireRecord, options: ModernRequestOptions): Promise<ModernListen> {
    const listen = await mapped('subscriptions/listen', () => this.parts.client.listen(filter as never, { timeout: options.timeoutMs } as never));
    return { close: () => listen.close() };
  }

  watchTask(taskId: string): void {
    if (!this.closing && this.tasksExtension) this.watch.watch(taskId);
  }

  unwatchTask(taskId: string): void {
    this.watch.unwatch(taskId);
  }

  onTaskPush(listener: (task: WireRecord) => void): Disposable {
    return this.pushEmitter.event(listener);
  }

  onTaskCoverage(listener: (taskIds: readonly string[], covered: boolean) => void): Disposable {
    return this.coverageEmitter.event(({ taskIds, covered }) => listener(taskIds, covered));
  }

  onClose(listener: (reason: string) => void): Disposable {
    return this.closeEmitter.event(listener);
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await this.watch.close();
    await this.parts.tasks?.close().catch(() => undefined);
    await this.parts.client.close().catch(() => undefined);
    this.pushEmitter.dispose();
    this.coverageEmitter.dispose();
    this.notificationEmitter.dispose();
    this.closeEmitter.dispose();
  }

  /**
   * The task ids an acknowledgement honours, read from the raw message: the Client's schema strips
   * `taskIds` from the honoured filter it returns. Seen before `listen()` resolves (the tap comes first).
   */
  private noteHonoured(params: unknown): void {
    const taskIds = isRecord(params) && isRecord(params['notifications']) ? params['notifications']['taskIds'] : undefined;
    if (Array.isArray(taskIds)) for (const id of taskIds) if (typeof id === 'string') this.honoured.add(id);
  }

  private async listenForTasks(taskIds: string[]): Promise<TaskListen | undefined> {
    try {
      // The typed filter does not know `taskIds`; the Client passes it through (CLIENT-NOTES §2).
      const listen = await this.parts.client.listen({ taskIds } as never);
      const honoured = taskIds.filter((id) => this.honoured.delete(id));
      return { honoured, close: () => listen.close(), closed: listen.closed };
    } catch (err) {
      for (const id of taskIds) this.honoured.delete(id);
      if (!this.closing) this.parts.log('info', `subscriptions/listen for ${taskIds.length} task(s) failed (polling continues): ${messageOf(err)}`);
      return undefined;
    }
  }

  private async rawRequest(method: string, params: WireRecord, options: ModernRequestOptions): Promise<WireRecord> {
    const reply = await mapped(method, () => this.parts.channel.request(method, framedParams(params, this.parts.clientInfo), options.timeoutMs));
    if (reply.kind === 'error') throw new ModernRequestError(`${method}: ${reply.error.message}`, reply.error.code);
    return reply.result;
  }

  private requireTasks(what: string): TaskEnabledSession {
    if (!this.parts.tasks) throw new ModernRequestError(`${what}: the server does not offer the tasks extension`);
    return this.parts.tasks;
  }
}
