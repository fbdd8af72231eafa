/**
 * One offered server on the bridge: the VS Code sessions on its path, and what flows between them and the
 * server that is not a reply to a forwarded request — notifications (tasks/status, logging, list changes)
 * and questions (elicitation). Tasks VS Code creates are recorded in the server's tracker (tool, arguments,
 * "started by VS Code"), and watched: a task VS Code stops waiting for is marked abandoned.
 */
import type * as http from 'node:http';
import { isInitializeRequest, RELATED_TASK_META_KEY, SUPPORTED_PROTOCOL_VERSIONS, type JSONRPCMessage, type JSONRPCNotification, type Notification, type Request, type Result } from '@modelcontextprotocol/sdk/types.js';
import type { ElicitationRequest } from '../connection/ServerConnection';
import type { TaskServer } from '../servers/TaskServer';
import type { Asker } from '../servers/elicitationRelay';
import { errorMessage } from '../util/errors';
import type { BridgeRoute } from './BridgeEndpoint';
import type { BridgeSession, SessionOwner } from './BridgeSession';
import type { BridgeUpstream } from './BridgeUpstream';
import { loadBridgeSession } from './loadSession';
import { RawUpstream } from './RawUpstream';
import { TaskWatch } from './TaskWatch';
import { Translated2026Upstream } from './Translated2026Upstream';

export interface BridgedServerOptions {
  /** Cancel tasks VS Code abandoned (`mcpTasks.bridge.cancelAbandoned`), read when one is. */
  readonly cancelAbandoned: () => boolean;
  readonly log: (level: 'info' | 'warn', message: string) => void;
  /** How long `initialize` waits for the server to connect. */
  readonly connectTimeoutMs: () => number;
}

export class BridgedServer implements BridgeRoute, SessionOwner {
  readonly protocolVersions: readonly string[] = SUPPORTED_PROTOCOL_VERSIONS;
  private readonly sessions = new Map<string, BridgeSession>();
  private readonly watch: TaskWatch;
  /** Upstream clients whose incoming notifications are passed on (one tap each). */
  private readonly tapped = new WeakSet<BridgeUpstream>();
  /** The translation for the current 2026-07-28 session, if the server speaks that. */
  private translated?: Translated2026Upstream;
  /** Our current 2025-11-25 client, as the bridge forwards through it (one per client: it owns the routing). */
  private raw?: RawUpstream;

  constructor(
    readonly server: TaskServer,
    private readonly options: BridgedServerOptions,
  ) {
    this.watch = new TaskWatch(server, options);
    server.bridgeSeam.relay = (request) => this.relay(request);
    server.bridgeSeam.clientRelay = (request) => this.clientRelay(request);
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Our connection's client (2025-11-25, passed through), or a translation onto its 2026-07-28 session. */
  upstream(): BridgeUpstream | undefined {
    const client = this.server.bridgeSeam.upstreamClient();
    if (client && this.raw?.client !== client) this.raw = new RawUpstream(client);
    const session = client ? undefined : this.server.bridgeSeam.modernSession();
    if (session && this.translated?.session !== session) {
      this.translated?.dispose();
      this.translated = new Translated2026Upstream(this.server, session, this.options.connectTimeoutMs);
    }
    const upstream = client ? this.raw : session ? this.translated : undefined;
    if (upstream) this.tap(upstream);
    return upstream;
  }

  async handle(req: http.IncomingMessage, res: http.ServerResponse, body: unknown): Promise<void> {
    const id = req.headers['mcp-session-id'];
    if (typeof id === 'string') {
      const session = this.sessions.get(id);
      if (!session) return reply(res, 404, -32001, 'Session not found');
      return session.handle(req, res, body);
    }
    if (req.method !== 'POST' || !isInitializeRequest(body)) return reply(res, 400, -32000, 'Bad Request: no session; initialize first');
    const upstream = await this.connected();
    if (!upstream) return reply(res, 503, -32000, this.unavailable());
    const { BridgeSession } = await loadBridgeSession();
    const session = new BridgeSession(this, upstream, (s) => this.sessions.set(s.transport.sessionId!, s));
    session.handle(req, res, body);
  }

  taskCreated(session: BridgeSession, reply: Result, toolName: string, args: Record<string, unknown>, requestedTtl: number | undefined): void {
    const task = this.server.bridgeSeam.recordCreated(reply, toolName, args, requestedTtl ?? 0);
    if (!task) return this.options.log('warn', `tools/call ${toolName}: VS Code got a reply without a usable task`);
    this.options.log('info', `VS Code started task ${task.taskId} (${toolName})`);
    this.watch.add(task.taskId, session);
  }

  polled(session: BridgeSession, taskId: string): void {
    this.watch.polled(taskId, session);
  }

  taskReported(session: BridgeSession, reply: Result): void {
    const taskId = (reply as { taskId?: unknown }).taskId;
    if (typeof taskId === 'string' && this.watch.ownerOf(taskId) === session) this.server.bridgeSeam.observe(reply);
  }

  closed(session: BridgeSession): void {
    for (const [id, s] of this.sessions) if (s === session) this.sessions.delete(id);
    this.watch.sessionClosed(session);
  }

  async dispose(): Promise<void> {
    this.server.bridgeSeam.relay = undefined;
    this.translated?.dispose();
    this.server.bridgeSeam.clientRelay = undefined;
    this.watch.dispose();
    await Promise.all([...this.sessions.values()].map((s) => s.close()));
  }

  private unavailable(): string {
    const { name } = this.server.config;
    const state = this.server.state;
    return `the server "${name}" is not connected${state.kind === 'failed' ? `: ${state.reason}` : ''}`;
  }

  /** Starts the server if it is not running yet, and waits (a while) for its connection. */
  private async connected(): Promise<BridgeUpstream | undefined> {
    this.server.start();
    const deadline = Date.now() + this.options.connectTimeoutMs();
    while (Date.now() < deadline) {
      const upstream = this.upstream();
      if (upstream) return upstream;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return undefined;
  }

  /**
   * Notifications the server sends outside a forwarded request's reply go to the session whose task they
   * are about (tasks/status, related-task `_meta`), a task no session started goes nowhere, and the rest to
   * every session. Progress is mapped by the request it belongs to; a cancel names an upstream request id.
   */
  private tap(upstream: BridgeUpstream): void {
    const transport = upstream.transport;
    if (this.tapped.has(upstream) || !transport) return;
    this.tapped.add(upstream);
    const inner = transport.onmessage;
    transport.onmessage = (message: JSONRPCMessage, extra) => {
      inner?.(message, extra);
      // A notification has a method and no id (a shape test: a zod parse of every message costs here).
      const m = message as Partial<JSONRPCNotification> & { id?: unknown };
      if (typeof m.method !== 'string' || m.id !== undefined || m.method === 'notifications/progress' || m.method === 'notifications/cancelled') return;
      const { jsonrpc: _, ...notification } = m as JSONRPCNotification;
      for (const session of this.recipients(notification)) void session.notify(notification);
    };
  }

  private recipients(notification: Notification): BridgeSession[] {
    const params = notification.params as { taskId?: unknown; _meta?: Record<string, { taskId?: unknown } | undefined> } | undefined;
    const taskId = notification.method === 'notifications/tasks/status' ? params?.taskId : params?._meta?.[RELATED_TASK_META_KEY]?.taskId;
    if (typeof taskId === 'string') {
      const owner = this.watch.ownerOf(taskId);
      return owner && !owner.closed ? [owner] : [];
    }
    return [...this.sessions.values()];
  }

  /** A question for a task VS Code started goes to its session; one not about a task to every session. */
  private relay(request: ElicitationRequest): Asker | undefined {
    const owner = request.taskId !== undefined ? this.watch.ownerOf(request.taskId) : undefined;
    if (request.taskId !== undefined && !owner) return undefined;
    const targets = (owner ? [owner] : [...this.sessions.values()]).filter((s) => !s.closed && s.elicits);
    if (targets.length === 0) return undefined;
    // A 2026-07-28 question (from the task's inputRequests) is put as a 2025 server would ask it.
    const related = request.taskId !== undefined ? { _meta: { [RELATED_TASK_META_KEY]: { taskId: request.taskId } } } : {};
    const params = request.params ?? { message: request.message, requestedSchema: request.requestedSchema, ...related };
    return (signal) =>
      Promise.any(targets.map((s) => s.ask({ method: 'elicitation/create', params }, signal))).then(
        (answer) => answer as Awaited<ReturnType<Asker>>,
        (err: unknown) => {
          if (!signal.aborted) this.options.log('warn', `VS Code did not answer a question: ${errorMessage(err)}`);
          throw err;
        },
      );
  }

  /**
   * The one VS Code session a server's `sampling/createMessage` or `roots/list` goes to (one: a sampling request
   * put to two windows would run the model, and ask consent, twice): the session whose task it is about; else
   * the one whose forwarded call is running (on stdio nothing else ties the question to a call), the most
   * recent if several; else the session VS Code used last. Only a session that declared the capability;
   * none: undefined (the core answers roots itself and refuses sampling).
   */
  private clientRelay(request: Request): ((signal: AbortSignal) => Promise<Result>) | undefined {
    const capability = request.method === 'sampling/createMessage' ? 'sampling' : 'roots';
    const meta = (request.params as { _meta?: Record<string, { taskId?: unknown } | undefined> } | undefined)?._meta;
    const taskId = meta?.[RELATED_TASK_META_KEY]?.taskId;
    const owner = typeof taskId === 'string' ? this.watch.ownerOf(taskId) : undefined;
    const able = (owner ? [owner] : [...this.sessions.values()]).filter((s) => !s.closed && s.declares(capability));
    const busy = able.filter((s) => s.busy);
    const target = (busy.length > 0 ? busy : able).reduce<BridgeSession | undefined>((best, s) => (!best || s.lastActive > best.lastActive ? s : best), undefined);
    return target ? (signal) => target.ask(request, signal) : undefined;
  }
}

function reply(res: http.ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}
