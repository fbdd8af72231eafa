/**
 * A 2026-07-28 server as VS Code (a 2025-11-25 client) can use it through the bridge: VS Code's requests
 * are answered through the core's own API for that server — the same connection, tracker and store the
 * tree shows — never a second connection. What 2026 changed is mapped back:
 * - `initialize`: tools and task capabilities as 2025 declares them; name and instructions from discover;
 * - `tools/list`: the server's page, each tool `taskSupport: optional` unless it says otherwise;
 * - `tools/call` with `task`: started by the core as VS Code's task; a plain answer is a task already done.
 *   Without `task`: the result, after the task if the server made one;
 * - `tasks/get|result|cancel|list`: the core's status, outcome, cancel, and VS Code's tasks in the store;
 * - input: the core's 2026 input path asks VS Code through the bridge's relay (`elicitation/create`);
 * - status pushes: `notifications/tasks/status` from the store's changes of VS Code's tasks.
 * Only tasks VS Code started are reachable (others answer -32602, as an unknown task would).
 * A server without the tasks extension: no tasks are declared, and `tools/call` is passed on plain (a `task`
 * VS Code sends anyway is ignored, as 2025-11-25 wants of a server without task support).
 * Everything else is passed on (`forward2026.ts`); `ping` is answered here and `logging/setLevel` kept for
 * the requests after it (2026-07-28 has neither); `resources/subscribe|unsubscribe` become the listen of
 * `subscriptions2026.ts`. The server's notifications go to VS Code's sessions (the bridge taps
 * `transport.onmessage`), except task pushes (VS Code gets its own status pushes) and progress mapped to a
 * forwarded request. VS Code's notifications go nowhere: 2026 has no `initialized` or `roots/list_changed`,
 * and a cancel reaches the server as the forwarded request's abort.
 */
import { ErrorCode, McpError, type Implementation, type Request, type Result, type ServerCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { CLIENT_NOTIFICATIONS, type ModernSession } from '../connection/ModernSession';
import { isTerminal, type TrackedTask } from '../model/TaskModel';
import { TaskCapabilityError } from '../protocol/taskGating';
import type { TaskServer } from '../servers/TaskServer';
import type { Disposable } from '../util/Emitter';
import { errorMessage } from '../util/errors';
import type { BridgeUpstream, ForwardOptions, UpstreamTransport } from './BridgeUpstream';
import { Forward2026, isForwardedProgress } from './forward2026';
import { Subscriptions2026 } from './subscriptions2026';
import { asTask2025, capabilities2025, notification2025, outcomeAsReply, outcomeAsToolResult, toolsPage2025, unknownTask } from './wire2025';

type Params = Record<string, unknown>;


export class Translated2026Upstream implements BridgeUpstream, Disposable {
  /** VS Code's notifications have nothing to go to (see above). */
  readonly transport: UpstreamTransport = { send: () => Promise.resolve() };
  private readonly subscriptions: Disposable[];
  private readonly forwarder: Forward2026;
  private readonly listens: Subscriptions2026;

  constructor(
    private readonly server: TaskServer,
    readonly session: ModernSession,
    /** The core's request timeout (a `tools/list` page). */
    private readonly timeoutMs: () => number,
  ) {
    this.forwarder = new Forward2026(session, server.bridgeSeam);
    this.listens = new Subscriptions2026(session, timeoutMs);
    this.subscriptions = [
      server.store.onDidChange(({ changed }) => {
        for (const task of changed) if (task.startedBy === 'vscode' && task.status !== 'expired') this.push(task);
      }),
      session.onNotification(({ method, params }) => {
        if (CLIENT_NOTIFICATIONS.has(method) && !isForwardedProgress(method, params)) this.transport.onmessage?.({ jsonrpc: '2.0', ...notification2025(method, params) });
      }),
      this.forwarder,
      this.listens,
    ];
    // The server's list changes are VS Code's from its first session on.
    void this.listens.start();
  }

  getServerVersion(): Implementation {
    return { name: this.session.serverName ?? this.server.config.name, version: this.session.serverVersion ?? '0' };
  }

  getInstructions(): string | undefined {
    return this.session.instructions;
  }

  getServerCapabilities(): ServerCapabilities {
    return capabilities2025(this.session.serverCapabilities, this.session.tasksExtension) as ServerCapabilities;
  }

  async request(request: Request, _schema: unknown, options?: ForwardOptions): Promise<Result> {
    const params = (request.params ?? {}) as Params;
    try {
      switch (request.method) {
        case 'ping':
          return {};
        case 'logging/setLevel':
          this.forwarder.logLevel = typeof params.level === 'string' ? params.level : undefined;
          return {};
        case 'resources/subscribe':
        case 'resources/unsubscribe':
          if (typeof params.uri !== 'string') throw new McpError(ErrorCode.InvalidParams, `${request.method}: the uri is missing`);
          await (request.method === 'resources/subscribe' ? this.listens.subscribe(params.uri) : this.listens.unsubscribe(params.uri));
          return {};
        case 'tools/list':
          return toolsPage2025(await this.session.listTools(typeof params.cursor === 'string' ? params.cursor : undefined, { timeoutMs: this.timeoutMs() }), this.session.tasksExtension);
        case 'tools/call':
          if (!this.session.tasksExtension) {
            const { task: _ignored, ...plain } = params;
            return await this.forwarder.request(request.method, plain, options);
          }
          return await this.callTool(params, options?.signal);
        case 'tasks/get':
          return asTask2025(await this.status(this.vscodeTask(params)));
        case 'tasks/result': {
          const task = this.vscodeTask(params);
          return outcomeAsReply(task.taskId, await this.server.getTaskResult(task.taskId));
        }
        case 'tasks/cancel':
          return asTask2025(await this.server.cancelTask(this.vscodeTask(params).taskId));
        case 'tasks/list':
          return { tasks: this.server.store.list().filter((t) => t.startedBy === 'vscode' && t.status !== 'expired').map(asTask2025) };
        default:
          return await this.forwarder.request(request.method, params, options);
      }
    } catch (err) {
      throw asMcpError(err);
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  private async callTool(params: Params, signal: AbortSignal | undefined): Promise<Result> {
    if (typeof params.name !== 'string') throw new McpError(ErrorCode.InvalidParams, 'tools/call: the tool name is missing');
    const args = (typeof params.arguments === 'object' && params.arguments !== null ? params.arguments : {}) as Params;
    const asTask = params.task as { ttl?: unknown } | undefined;
    const ttl = typeof asTask?.ttl === 'number' ? asTask.ttl : undefined;
    const task = await this.server.callToolAsTask(params.name, args, ttl, 'vscode');
    if (asTask !== undefined) return { task: asTask2025(task) };
    // A plain call: VS Code waits for the result; if it gives up (cancels the request), so does the task.
    const cancel = () => void this.server.cancelTask(task.taskId).catch(() => undefined);
    if (!isTerminal(task.status)) signal?.addEventListener('abort', cancel, { once: true });
    try {
      return outcomeAsToolResult(await this.server.getTaskResult(task.taskId));
    } finally {
      signal?.removeEventListener('abort', cancel);
    }
  }

  /** A task VS Code started; anything else is unknown to it. */
  private vscodeTask(params: Params): TrackedTask {
    const taskId = typeof params.taskId === 'string' ? params.taskId : '';
    const task = this.server.store.get(taskId);
    if (!task || task.startedBy !== 'vscode' || task.status === 'expired') throw unknownTask(taskId);
    return task;
  }

  /** An ended task does not change: the store answers (an answered-at-once entry has no server task). */
  private status(task: TrackedTask): Promise<TrackedTask> {
    return isTerminal(task.status) ? Promise.resolve(task) : this.server.getTaskStatus(task.taskId);
  }

  private push(task: TrackedTask): void {
    this.transport.onmessage?.({ jsonrpc: '2.0', method: 'notifications/tasks/status', params: asTask2025(task) });
  }
}

/** The core's errors carry their JSON-RPC code (or none: an internal error); a refused call is bad params. */
function asMcpError(err: unknown): unknown {
  if (err instanceof McpError) return err;
  if (err instanceof TaskCapabilityError) return new McpError(ErrorCode.InvalidParams, err.message);
  const code = (err as { code?: unknown } | null)?.code;
  return new McpError(typeof code === 'number' ? code : ErrorCode.InternalError, errorMessage(err));
}
