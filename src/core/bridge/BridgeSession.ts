/**
 * One VS Code session on an offered server: Streamable HTTP framing (`BridgeTransport`: JSON replies, one
 * standalone SSE stream) and a low-level SDK `Server` whose every request and notification is forwarded, unchanged,
 * through this extension's connection to the server (`upstream`). The upstream client gives each forwarded
 * request its own id and maps the reply back; VS Code's `notifications/cancelled` aborts the forwarded request,
 * which the SDK turns into a cancel with the upstream id; a progress token is mapped both ways.
 *
 * `initialize` is answered with what the server said to our client (capabilities, including tasks;
 * serverInfo; instructions), so VS Code sees the server, not the bridge.
 */
import type * as http from 'node:http';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { McpError, ResultSchema, type JSONRPCMessage, type Notification, type Request, type Result } from '@modelcontextprotocol/sdk/types.js';
import { acceptAllValidator } from '../connection/acceptAllValidator';
import { BridgeTransport } from './BridgeTransport';
import type { BridgeUpstream } from './BridgeUpstream';

/** A forwarded request may run as long as the server takes (a plain tool call); VS Code cancels it itself. */
const FORWARD_TIMEOUT_MS = 24 * 60 * 60_000;

/** What a session needs of the offered server it belongs to. */
export interface SessionOwner {
  /** The live upstream (our 2025-11-25 client, or a translation onto a 2026-07-28 session), if connected. */
  upstream(): BridgeUpstream | undefined;
  /** A task-augmented `tools/call` came back with a task. */
  taskCreated(session: BridgeSession, reply: Result, toolName: string, args: Record<string, unknown>, requestedTtl: number | undefined): void;
  /** VS Code asked about a task (`tasks/get`, `tasks/result`): it is still waiting for it. */
  polled(session: BridgeSession, taskId: string): void;
  /** The server's answer to VS Code's `tasks/get`. */
  taskReported(session: BridgeSession, reply: Result): void;
  closed(session: BridgeSession): void;
}

export class BridgeSession {
  readonly transport: BridgeTransport;
  private readonly server: Server;
  private isClosed = false;
  /** Forwarded requests VS Code is waiting on: a question the server asks meanwhile is most likely theirs. */
  private inFlight = 0;
  /** When VS Code last sent a request (performance.now()). */
  private lastRequestAt = 0;

  constructor(
    private readonly owner: SessionOwner,
    upstream: BridgeUpstream,
    onInitialized: (session: BridgeSession) => void,
  ) {
    this.transport = new BridgeTransport(() => onInitialized(this));
    const info = upstream.getServerVersion() ?? { name: 'mcp-server', version: '0' };
    const instructions = upstream.getInstructions();
    this.server = new Server(info, { capabilities: upstream.getServerCapabilities() ?? {}, ...(instructions ? { instructions } : {}), jsonSchemaValidator: acceptAllValidator });
    // The SDK Server answers logging/setLevel itself when logging is declared: the server should hear it.
    this.server.removeRequestHandler('logging/setLevel');
    this.server.fallbackRequestHandler = (request, extra) => this.forward(request, extra.signal);
    this.server.fallbackNotificationHandler = async (notification) => {
      await this.owner.upstream()?.transport?.send(notification as JSONRPCMessage);
    };
    this.server.onclose = () => this.onClosed();
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
    return this.server.getClientCapabilities()?.[capability] !== undefined;
  }

  /** Whether a forwarded request of this session is running. */
  get busy(): boolean {
    return this.inFlight > 0;
  }

  get lastActive(): number {
    return this.lastRequestAt;
  }

  connect(): Promise<void> {
    return this.server.connect(this.transport);
  }

  handle(req: http.IncomingMessage, res: http.ServerResponse, body: unknown): void {
    this.transport.handle(req, res, body);
  }

  /** A notification from the server (on the standalone stream: replies are plain JSON). */
  async notify(notification: Notification): Promise<void> {
    if (this.isClosed) return;
    await this.transport.send({ jsonrpc: '2.0', ...notification } as JSONRPCMessage).catch(() => undefined);
  }

  /** A server request (elicitation, sampling, roots) put to VS Code, on the standalone stream; its error as VS Code gave it. */
  ask(request: Request, signal: AbortSignal): Promise<Result> {
    return this.server.request(request, ResultSchema, { signal, timeout: FORWARD_TIMEOUT_MS }).catch((err: unknown) => {
      throw asWireError(err);
    });
  }

  async close(): Promise<void> {
    await this.server.close().catch(() => undefined);
    this.onClosed();
  }

  private async forward(request: Request, signal: AbortSignal): Promise<Result> {
    const upstream = this.owner.upstream();
    if (!upstream) throw new McpError(-32000, 'the server is not connected');
    const params = (request.params ?? {}) as Record<string, unknown> & { _meta?: { progressToken?: string | number } };
    const taskId = typeof params.taskId === 'string' && request.method.startsWith('tasks/') ? params.taskId : undefined;
    if (taskId !== undefined) this.owner.polled(this, taskId);
    const token = params._meta?.progressToken;
    const options: RequestOptions = {
      signal,
      timeout: FORWARD_TIMEOUT_MS,
      // The upstream client puts its own token in; progress comes back under VS Code's.
      ...(token !== undefined ? { onprogress: (progress) => void this.notify({ method: 'notifications/progress', params: { ...progress, progressToken: token } }) } : {}),
    };
    this.inFlight++;
    this.lastRequestAt = performance.now();
    try {
      const reply = await upstream.request(request, ResultSchema, options);
      if (request.method === 'tools/call' && params.task !== undefined && (reply as { task?: unknown }).task !== undefined) {
        const ttl = (params.task as { ttl?: unknown }).ttl;
        this.owner.taskCreated(this, reply, String(params.name), (params.arguments ?? {}) as Record<string, unknown>, typeof ttl === 'number' ? ttl : undefined);
      }
      if (request.method === 'tasks/get') this.owner.taskReported(this, reply);
      return reply;
    } catch (err) {
      throw asWireError(err);
    } finally {
      this.inFlight--;
    }
  }

  private onClosed(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.owner.closed(this);
  }
}

/**
 * The server's error as VS Code should see it: the SDK's McpError puts "MCP error <code>: " before the
 * server's message, and the Server would send that prefixed text on.
 */
function asWireError(err: unknown): unknown {
  if (!(err instanceof McpError)) return err;
  const prefix = `MCP error ${err.code}: `;
  const message = err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
  return Object.assign(new Error(message), { code: err.code, ...(err.data !== undefined ? { data: err.data } : {}) });
}
