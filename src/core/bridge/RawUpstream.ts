/**
 * Our connection's 2025-11-25 `Client` as the bridge's upstream. VS Code's requests are written on the
 * client's transport as they came, under an id of their own (two VS Code sessions both send id 1; the core's
 * client numbers its own from 0), and the replies are routed back by that id as the server gave them: no
 * SDK `Client.request` (a pending entry, a timeout, a zod parse of the result) on every forwarded request.
 *
 * The client keeps using the same transport for the core's own requests: replies and progress under the
 * bridge's ids never reach it (it would report an unknown id), everything else does.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ResultSchema, type JSONRPCMessage, type JSONRPCRequest, type Request, type Result } from '@modelcontextprotocol/sdk/types.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { isTerminal, type TrackedStatus } from '../model/TaskModel';
import type { BridgeUpstream, RawForwarded, RawReply, UpstreamTransport } from './BridgeUpstream';

/** Ids (and progress tokens) of forwarded requests: strings, so never one of the client's own numbers. */
const ID_PREFIX = 'mcp-tasks-bridge:';
/** Each instance its own ids: a later one (a bridge re-created for the same client) wraps the same transport. */
let instances = 0;

/** A server gone before it answered: what VS Code is told (-32000 as the SDK's ConnectionClosed). */
const CLOSED: RawReply = { error: { code: -32000, message: 'Connection closed: the server went away before it answered (MCP Tasks bridge)' } };

type OnProgress = (params: Record<string, unknown>) => void;
type Incoming = JSONRPCMessage & { id?: unknown; method?: string; result?: Result; error?: RawReply['error']; params?: { progressToken?: unknown; taskId?: unknown; status?: unknown } };

export class RawUpstream implements BridgeUpstream {
  private readonly pending = new Map<string, (reply: RawReply) => void>();
  /** Progress routes by the token the server was given: while the request runs, and for a task until it ends (as the SDK keeps them). */
  private readonly progress = new Map<string, OnProgress>();
  /** The token of each task whose request asked for progress. */
  private readonly taskTokens = new Map<string, string>();
  private next = 0;
  private closed = false;
  private readonly prefix = `${ID_PREFIX}${instances++}:`;

  constructor(readonly client: Client) {
    const transport = client.transport;
    if (!transport) {
      this.closed = true;
      return;
    }
    const inner = transport.onmessage;
    transport.onmessage = (message, extra) => {
      if (!this.route(message as Incoming)) inner?.(message, extra);
    };
    const innerClose = transport.onclose;
    transport.onclose = () => {
      this.closed = true;
      for (const settle of this.pending.values()) settle(CLOSED);
      this.pending.clear();
      this.progress.clear();
      this.taskTokens.clear();
      innerClose?.();
    };
  }

  get transport(): UpstreamTransport | undefined {
    return this.client.transport;
  }

  getServerVersion(): ReturnType<Client['getServerVersion']> {
    return this.client.getServerVersion();
  }

  getInstructions(): string | undefined {
    return this.client.getInstructions();
  }

  getServerCapabilities(): ReturnType<Client['getServerCapabilities']> {
    return this.client.getServerCapabilities();
  }

  request(request: Request, _schema: unknown, options?: RequestOptions): Promise<Result> {
    return this.client.request(request, ResultSchema, options);
  }

  forward(request: JSONRPCRequest, onprogress?: OnProgress): RawForwarded {
    const upstreamId = `${this.prefix}${this.next++}`;
    const transport = this.client.transport;
    if (this.closed || !transport) return { upstreamId, reply: Promise.resolve(CLOSED) };
    const params = request.params;
    const token = params?._meta?.progressToken;
    // VS Code's progress token could be one of the client's own: the server hears ours, VS Code gets its own back.
    const forwarded = token !== undefined && params ? { ...request, id: upstreamId, params: { ...params, _meta: { ...params._meta, progressToken: upstreamId } } } : { ...request, id: upstreamId };
    const reply = new Promise<RawReply>((settle) => this.pending.set(upstreamId, settle));
    if (token !== undefined && onprogress) this.progress.set(upstreamId, onprogress);
    transport.send(forwarded).catch((err: unknown) => this.settle(upstreamId, { error: { code: -32000, message: `the request could not be sent to the server: ${err instanceof Error ? err.message : String(err)}` } }));
    return { upstreamId, reply };
  }

  cancel(upstreamId: string, reason: unknown): void {
    const settle = this.pending.get(upstreamId);
    if (!settle) return;
    this.pending.delete(upstreamId);
    this.progress.delete(upstreamId);
    settle({ error: { code: -32800, message: 'Request cancelled' } });
    void this.client.transport
      ?.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: upstreamId, ...(reason !== undefined ? { reason: String(reason) } : {}) } })
      .catch(() => undefined);
  }

  /** Whether the message was a reply or progress of a forwarded request (and so not the client's). */
  private route(m: Incoming): boolean {
    if (m.method === undefined) {
      if (typeof m.id !== 'string' || !m.id.startsWith(this.prefix)) return false;
      this.settle(m.id, m.error !== undefined ? { error: m.error } : { result: m.result ?? {} });
      return true;
    }
    if (m.method === 'notifications/tasks/status') {
      this.taskSeen(m.params);
      return false;
    }
    if (m.method !== 'notifications/progress') return false;
    const token = m.params?.progressToken;
    if (typeof token !== 'string' || !token.startsWith(this.prefix)) return false;
    this.progress.get(token)?.(m.params as Record<string, unknown>);
    return true;
  }

  private settle(upstreamId: string, reply: RawReply): void {
    const settle = this.pending.get(upstreamId);
    if (!settle) return;
    this.pending.delete(upstreamId);
    const taskId = (reply.result?.task as { taskId?: unknown } | undefined)?.taskId;
    if (typeof taskId === 'string' && this.progress.has(upstreamId)) this.taskTokens.set(taskId, upstreamId);
    else this.progress.delete(upstreamId);
    if (reply.result) this.taskSeen(reply.result as { taskId?: unknown; status?: unknown });
    settle(reply);
  }

  /** A task's status (a push or a `tasks/get` reply): once it ended, its progress route goes. */
  private taskSeen(task: { taskId?: unknown; status?: unknown } | undefined): void {
    if (this.taskTokens.size === 0 || typeof task?.taskId !== 'string' || !isTerminal(task.status as TrackedStatus)) return;
    const token = this.taskTokens.get(task.taskId);
    if (token === undefined) return;
    this.taskTokens.delete(task.taskId);
    this.progress.delete(token);
  }
}
