/**
 * One VS Code session on an offered server: Streamable HTTP framing (`BridgeTransport`: JSON replies, or an
 * SSE stream for a request the server sends progress or questions about; one standalone SSE stream) and the
 * JSON-RPC of the session itself, on plain messages: every request but
 * `initialize` and `ping` is forwarded, unchanged, through this extension's connection to the server
 * (`upstream`), and its reply sent back as the server gave it. A 2025-11-25 upstream takes the message as it
 * is under an id of its own (`RawUpstream.forward`); a 2026-07-28 one answers through the core
 * (`upstream.request`). VS Code's `notifications/cancelled` cancels the forwarded request upstream; a progress
 * token is mapped both ways; other notifications go on to the server.
 *
 * `initialize` is answered with what the server said to our client (capabilities, including tasks;
 * serverInfo; instructions), so VS Code sees the server, not the bridge. No SDK `Server`: it parsed every
 * message with zod and kept a handler per request, and this session only relays.
 */
import type * as http from 'node:http';
import type { ClientCapabilities, Implementation, JSONRPCMessage, JSONRPCRequest, Notification, Request, RequestId, Result, ServerCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { BridgeTransport } from './BridgeTransport';
import type { BridgeUpstream, RawReply, RelatedAsk } from './BridgeUpstream';

/** A forwarded request may run as long as the server takes (a plain tool call); VS Code cancels it itself. */
const FORWARD_TIMEOUT_MS = 24 * 60 * 60_000;

/** What a session needs of the offered server it belongs to. */
export interface SessionOwner {
  /** The live upstream (our 2025-11-25 client, or a translation onto a 2026-07-28 session), if connected. */
  upstream(): BridgeUpstream | undefined;
  /** The protocol versions VS Code may ask for (the SDK's), the newest first. */
  readonly protocolVersions: readonly string[];
  /** A task-augmented `tools/call` came back with a task. */
  taskCreated(session: BridgeSession, reply: Result, toolName: string, args: Record<string, unknown>, requestedTtl: number | undefined): void;
  /** VS Code asked about a task (`tasks/get`, `tasks/result`): it is still waiting for it. */
  polled(session: BridgeSession, taskId: string): void;
  /** The server's answer to VS Code's `tasks/get`. */
  taskReported(session: BridgeSession, reply: Result): void;
  closed(session: BridgeSession): void;
}

type Params = Record<string, unknown> & { _meta?: { progressToken?: string | number }; requestId?: RequestId; reason?: unknown };
type Message = JSONRPCMessage & { id?: RequestId; method?: string; params?: Params; result?: Result; error?: WireError };
type WireError = NonNullable<RawReply['error']>;

/** How to give up on a forwarded request VS Code cancelled. */
type Cancel = (reason: unknown) => void;

interface Asked {
  readonly resolve: (result: Result) => void;
  readonly reject: (error: unknown) => void;
}

export class BridgeSession {
  readonly transport: BridgeTransport;
  private isClosed = false;
  private clientCapabilities?: ClientCapabilities;
  /** Forwarded requests VS Code is waiting on, by VS Code's id: a question the server asks meanwhile is most likely theirs. */
  private readonly forwarding = new Map<RequestId, Cancel | undefined>();
  /** Questions of the server put to VS Code, by the id they went out with. */
  private readonly asked = new Map<number, Asked>();
  private nextAsk = 0;
  /** When VS Code last sent a request (performance.now()). */
  private lastRequestAt = 0;
  private readonly info: Implementation;
  private readonly capabilities: ServerCapabilities;
  private readonly instructions: string | undefined;

  constructor(
    private readonly owner: SessionOwner,
    upstream: BridgeUpstream,
    onInitialized: (session: BridgeSession) => void,
  ) {
    this.transport = new BridgeTransport(owner.protocolVersions, () => onInitialized(this));
    this.transport.onmessage = (message) => this.receive(message as Message);
    this.transport.onclose = () => this.onClosed();
    this.info = upstream.getServerVersion() ?? { name: 'mcp-server', version: '0' };
    this.capabilities = upstream.getServerCapabilities() ?? {};
    this.instructions = upstream.getInstructions();
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Whether VS Code declared it can answer elicitations. */
  get elicits(): boolean {
    return this.declares('elicitation');
  }

  /** Whether VS Code declared it can answer this kind of server request. */
  declares(capability: 'elicitation' | 'sampling' | 'roots'): boolean {
    return this.clientCapabilities?.[capability] !== undefined;
  }

  /** Whether a forwarded request of this session is running. */
  get busy(): boolean {
    return this.forwarding.size > 0;
  }

  get lastActive(): number {
    return this.lastRequestAt;
  }

  handle(req: http.IncomingMessage, res: http.ServerResponse, body: unknown): void {
    this.transport.handle(req, res, body);
  }

  /** A notification from the server: on the stream of VS Code's request `related` while it runs, else on the standalone stream. */
  async notify(notification: Notification, related?: RequestId): Promise<void> {
    if (this.isClosed) return;
    await this.transport.send({ jsonrpc: '2.0', ...notification } as JSONRPCMessage, { relatedRequestId: related }).catch(() => undefined);
  }

  /**
   * A server request (elicitation, sampling, roots) put to VS Code: on the stream of VS Code's request
   * `related` (the server asks in order to answer it) while that runs, else on the standalone stream; its
   * error as VS Code gave it.
   */
  ask(request: Request, signal: AbortSignal, related?: RequestId): Promise<Result> {
    if (this.isClosed) return Promise.reject(closedError());
    if (signal.aborted) return Promise.reject(signal.reason);
    const id = this.nextAsk++;
    return new Promise<Result>((resolve, reject) => {
      const onAbort = () => {
        if (!this.asked.delete(id)) return;
        void this.transport.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: String(signal.reason) } }, { relatedRequestId: related }).catch(() => undefined);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const done = () => signal.removeEventListener('abort', onAbort);
      this.asked.set(id, { resolve: (r) => (done(), resolve(r)), reject: (e) => (done(), reject(e)) });
      this.transport.send({ jsonrpc: '2.0', id, method: request.method, ...(request.params !== undefined ? { params: request.params } : {}) } as JSONRPCMessage, { relatedRequestId: related }).catch(() => undefined);
    });
  }

  async close(): Promise<void> {
    await this.transport.close().catch(() => undefined);
    this.onClosed();
  }

  private receive(m: Message): void {
    if (m.method === undefined) {
      if (m.id !== undefined) this.answered(m);
    } else if (m.id === undefined) {
      this.notified(m);
    } else if (m.method === 'initialize') {
      this.send(m.id, { result: this.initialize(m.params) });
    } else if (m.method === 'ping') {
      this.send(m.id, { result: {} });
    } else {
      void this.forward(m as JSONRPCRequest & Message);
    }
  }

  /** What VS Code is told of the server (the version: VS Code's if the SDK speaks it, else the newest). */
  private initialize(params: Params | undefined): Result {
    const requested = params?.protocolVersion;
    const capabilities = params?.capabilities;
    if (typeof capabilities === 'object' && capabilities !== null) this.clientCapabilities = capabilities as ClientCapabilities;
    const versions = this.owner.protocolVersions;
    const protocolVersion = typeof requested === 'string' && versions.includes(requested) ? requested : versions[0];
    return { protocolVersion, capabilities: this.capabilities, serverInfo: this.info, ...(this.instructions ? { instructions: this.instructions } : {}) };
  }

  private notified(m: Message): void {
    if (m.method === 'notifications/initialized') return;
    if (m.method === 'notifications/cancelled') {
      const id = m.params?.requestId;
      if (id === undefined || !this.forwarding.has(id)) return;
      const cancel = this.forwarding.get(id);
      // The spec: no reply to a cancelled request.
      this.forwarding.delete(id);
      cancel?.(m.params?.reason);
      return;
    }
    // Progress of one of our questions: they carry no token, so there is none to map.
    if (m.method === 'notifications/progress') return;
    void this.owner.upstream()?.transport?.send(m).catch(() => undefined);
  }

  private answered(m: Message): void {
    const asked = typeof m.id === 'number' ? this.asked.get(m.id) : undefined;
    if (!asked) return;
    this.asked.delete(m.id as number);
    if (m.error !== undefined) asked.reject(Object.assign(new Error(m.error.message), { code: m.error.code, ...(m.error.data !== undefined ? { data: m.error.data } : {}) }));
    else asked.resolve(m.result ?? {});
  }

  private async forward(request: JSONRPCRequest & Message): Promise<void> {
    const upstream = this.owner.upstream();
    if (!upstream) return this.send(request.id, { error: { code: -32000, message: 'the server is not connected' } });
    const params: Params = typeof request.params === 'object' && request.params !== null ? request.params : {};
    if (request.method.startsWith('tasks/') && typeof params.taskId === 'string') this.owner.polled(this, params.taskId);
    const id = request.id;
    const token = params._meta?.progressToken;
    // Progress goes on the request's own stream, ahead of its reply (later progress of a task it created: standalone).
    const onprogress = token !== undefined ? (progress: object) => void this.notify({ method: 'notifications/progress', params: { ...progress, progressToken: token } }, id) : undefined;
    this.lastRequestAt = performance.now();
    let reply: Promise<RawReply>;
    if (upstream.forward) {
      const sent = upstream.forward(request, onprogress);
      this.forwarding.set(id, (reason) => upstream.cancel?.(sent.upstreamId, reason));
      reply = sent.reply;
    } else {
      const abort = new AbortController();
      this.forwarding.set(id, (reason) => abort.abort(reason));
      reply = upstream
        .request(request, undefined, { signal: abort.signal, timeout: FORWARD_TIMEOUT_MS, ask: this.askAbout(id), ...(onprogress ? { onprogress } : {}) })
        .then((result) => ({ result }), (err: unknown) => ({ error: wireError(err) }));
    }
    const answer = await reply;
    // Cancelled by VS Code meanwhile (or the session closed): nobody waits for it.
    if (!this.forwarding.delete(id) || this.isClosed) return;
    this.send(id, answer);
    // After the reply went out: VS Code need not wait for the tracker.
    const result = answer.result;
    if (result === undefined) return;
    if (request.method === 'tools/call' && params.task !== undefined && result.task !== undefined) {
      const ttl = (params.task as { ttl?: unknown } | null)?.ttl;
      this.owner.taskCreated(this, result, String(params.name), (params.arguments ?? {}) as Record<string, unknown>, typeof ttl === 'number' ? ttl : undefined);
    } else if (request.method === 'tasks/get') {
      this.owner.taskReported(this, result);
    }
  }

  /** The server's questions to answer VS Code's request `id`, when this session declared it answers their kind. */
  private askAbout(id: RequestId): RelatedAsk {
    return (request, signal) => {
      const kind = request.method === 'elicitation/create' ? 'elicitation' : request.method === 'sampling/createMessage' ? 'sampling' : request.method === 'roots/list' ? 'roots' : undefined;
      return kind !== undefined && !this.isClosed && this.declares(kind) ? this.ask(request, signal, id) : undefined;
    };
  }

  private send(id: RequestId, answer: RawReply): void {
    const message = answer.error !== undefined ? { jsonrpc: '2.0', id, error: answer.error } : { jsonrpc: '2.0', id, result: answer.result };
    void this.transport.send(message as JSONRPCMessage).catch(() => undefined);
  }

  private onClosed(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const asked of this.asked.values()) asked.reject(closedError());
    this.asked.clear();
    this.forwarding.clear();
    this.owner.closed(this);
  }
}

function closedError(): Error {
  return Object.assign(new Error('Connection closed: the VS Code session ended'), { code: -32000 });
}

/**
 * The error of a request answered through the core, as the server would send it: the SDK's McpError puts
 * "MCP error <code>: " before the message, which VS Code should not see.
 */
function wireError(err: unknown): WireError {
  const e = err as { code?: unknown; message?: unknown; data?: unknown } | null;
  const code = typeof e?.code === 'number' && Number.isSafeInteger(e.code) ? e.code : -32603;
  const text = err instanceof Error ? err.message : String(err);
  const prefix = `MCP error ${code}: `;
  const message = text.startsWith(prefix) ? text.slice(prefix.length) : text;
  return { code, message: message || 'Internal error', ...(e?.data !== undefined ? { data: e.data } : {}) };
}
