/**
 * The Streamable HTTP server side of one VS Code session, written on node:http directly. The SDK's own
 * (`StreamableHTTPServerTransport`) turns every Node request into a web `Request` through the hono adapter,
 * reads the body through web streams and validates each message with zod (the SDK `Server` behind it then did so
 * again; on this path that cost ~2 ms per request, more than the loopback hop itself (bench row 12.call).
 *
 * What VS Code needs, and nothing more: POST answered with plain JSON (the replies to the requests in it;
 * 202 for notifications and answers), one standalone SSE stream (GET) for what the server sends beside a
 * reply — notifications, and its questions (elicitation, sampling, roots) — and DELETE to end the session.
 * What belongs to a request still running (`relatedRequestId`: its progress, a question the server asks to
 * answer it) goes on that request's own POST instead, which then turns into an SSE stream: those messages in
 * order, then the reply, then its end. On the standalone stream such a message could arrive after the
 * reply, and a client drops progress of a request it no longer waits for. A request with nothing of the
 * kind keeps the cheaper JSON reply. No resumability (the SDK's needs an event store, which the bridge never
 * had). The endpoint has checked Host, Origin and the token, and parsed the body; the owner has matched
 * `Mcp-Session-Id`.
 */
import { randomUUID } from 'node:crypto';
import type * as http from 'node:http';
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';

/** As the SDK's transport: a comment line now and then keeps idle proxies and clients from dropping the stream. */
const KEEP_ALIVE_MS = 15_000;

/** One POST waiting for the replies to the requests it carried. */
interface PendingPost {
  readonly res: http.ServerResponse;
  readonly waiting: Set<RequestId>;
  readonly replies: JSONRPCMessage[];
  readonly batch: boolean;
  /** Answered as an SSE stream (something related to a request in it was sent before its reply). */
  streaming: boolean;
}

type Message = JSONRPCMessage & { id?: RequestId; method?: string; result?: unknown; error?: unknown };

export class BridgeTransport implements Transport {
  sessionId?: string;
  onmessage?: Transport['onmessage'];
  onclose?: () => void;
  onerror?: (error: Error) => void;
  private readonly pending = new Map<RequestId, PendingPost>();
  private stream?: http.ServerResponse;
  private keepAlive?: ReturnType<typeof setInterval>;
  private closed = false;

  /** `versions`: those an `Mcp-Protocol-Version` header may name; `onInitialized` runs once `initialize` arrived (the session id is then known). */
  constructor(
    private readonly versions: readonly string[],
    private readonly onInitialized: () => void,
  ) {}

  async start(): Promise<void> {}

  handle(req: http.IncomingMessage, res: http.ServerResponse, body: unknown): void {
    if (this.closed) return fail(res, 404, -32001, 'Session not found');
    if (req.method === 'POST') return this.post(req, res, body);
    if (req.method === 'GET') return this.openStream(req, res);
    if (req.method === 'DELETE') {
      void this.close();
      res.writeHead(200).end();
      return;
    }
    res.writeHead(405, { Allow: 'GET, POST, DELETE', 'Content-Type': 'application/json' }).end(errorBody(-32000, 'Method not allowed.'));
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    const m = message as Message;
    if (m.id !== undefined && (m.result !== undefined || m.error !== undefined)) return this.reply(m);
    const related = options?.relatedRequestId !== undefined ? this.pending.get(options.relatedRequestId) : undefined;
    if (related && !related.res.destroyed) return this.event(related, message);
    // Unrelated, or its request already answered: the standalone stream (without one open, it is lost — as
    // with the SDK's transport without an event store).
    this.stream?.write(sseEvent(message));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.keepAlive);
    this.stream?.end();
    this.stream = undefined;
    for (const post of new Set(this.pending.values())) {
      if (!post.res.headersSent) fail(post.res, 404, -32001, 'Session closed');
      else post.res.end();
    }
    this.pending.clear();
    this.onclose?.();
  }

  private post(req: http.IncomingMessage, res: http.ServerResponse, body: unknown): void {
    const accept = req.headers.accept ?? '';
    if (!accept.includes('application/json') || !accept.includes('text/event-stream')) {
      return fail(res, 406, -32000, 'Not Acceptable: Client must accept both application/json and text/event-stream');
    }
    if (mediaType(req.headers['content-type']) !== 'application/json') return fail(res, 415, -32000, 'Unsupported Media Type: Content-Type must be application/json');
    const messages = (Array.isArray(body) ? body : [body]) as Message[];
    if (messages.length === 0 || !messages.every(isMessage)) return fail(res, 400, -32700, 'Parse error: Invalid JSON-RPC message');
    if (messages.some((m) => m.method === 'initialize')) {
      if (this.sessionId !== undefined) return fail(res, 400, -32600, 'Invalid Request: Server already initialized');
      if (messages.length > 1) return fail(res, 400, -32600, 'Invalid Request: Only one initialization request is allowed');
      this.sessionId = randomUUID();
      this.onInitialized();
    } else if (!this.knowsVersion(req, res)) {
      return;
    }
    const requests = messages.filter((m) => m.method !== undefined && m.id !== undefined);
    if (requests.length === 0) {
      res.writeHead(202).end();
    } else {
      const post: PendingPost = { res, waiting: new Set(requests.map((m) => m.id!)), replies: [], batch: Array.isArray(body), streaming: false };
      for (const id of post.waiting) this.pending.set(id, post);
      // VS Code gave up on the POST (its connection closed): its late replies go nowhere.
      res.once('close', () => {
        for (const id of post.waiting) if (this.pending.get(id) === post) this.pending.delete(id);
      });
    }
    for (const m of messages) this.onmessage?.(m);
  }

  private reply(message: Message): void {
    const post = this.pending.get(message.id!);
    if (!post) return;
    this.pending.delete(message.id!);
    post.waiting.delete(message.id!);
    if (post.streaming) {
      // Each reply an event of its own, after what went before it; the stream ends with the last.
      if (post.res.destroyed) return;
      post.res.write(sseEvent(message));
      if (post.waiting.size === 0) post.res.end();
      return;
    }
    post.replies.push(message);
    if (post.waiting.size > 0 || post.res.destroyed) return;
    const json = Buffer.from(JSON.stringify(post.batch ? post.replies : post.replies[0]));
    // With its length given the reply is one write, not chunked.
    post.res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': json.length, ...this.sessionHeader() }).end(json);
  }

  /** A message related to a request of `post`, before its reply: the POST becomes an SSE stream (replies already in, first). */
  private event(post: PendingPost, message: JSONRPCMessage): void {
    if (!post.streaming) {
      post.streaming = true;
      post.res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache, no-transform', ...this.sessionHeader() });
      for (const reply of post.replies.splice(0)) post.res.write(sseEvent(reply));
    }
    post.res.write(sseEvent(message));
  }

  private openStream(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (!(req.headers.accept ?? '').includes('text/event-stream')) return fail(res, 406, -32000, 'Not Acceptable: Client must accept text/event-stream');
    if (!this.knowsVersion(req, res)) return;
    if (this.stream) return fail(res, 409, -32000, 'Conflict: Only one SSE stream is allowed per session');
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', ...this.sessionHeader() });
    res.flushHeaders();
    this.stream = res;
    this.keepAlive = setInterval(() => res.write(': keepalive\n\n'), KEEP_ALIVE_MS);
    this.keepAlive.unref?.();
    res.once('close', () => {
      if (this.stream !== res) return;
      this.stream = undefined;
      clearInterval(this.keepAlive);
    });
  }

  /** `Mcp-Protocol-Version`, when sent, must be one the SDK speaks (400 otherwise, as the SDK's transport). */
  private knowsVersion(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    const version = req.headers['mcp-protocol-version'];
    if (typeof version !== 'string' || this.versions.includes(version)) return true;
    fail(res, 400, -32000, `Bad Request: Unsupported protocol version: ${version} (supported versions: ${this.versions.join(', ')})`);
    return false;
  }

  private sessionHeader(): Record<string, string> {
    return this.sessionId !== undefined ? { 'mcp-session-id': this.sessionId } : {};
  }
}

function sseEvent(message: JSONRPCMessage): string {
  return `event: message\ndata: ${JSON.stringify(message)}\n\n`;
}

/** A JSON-RPC 2.0 message in shape (the session reads only the fields it needs). */
function isMessage(m: unknown): m is Message {
  return typeof m === 'object' && m !== null && (m as { jsonrpc?: unknown }).jsonrpc === '2.0';
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

function errorBody(code: number, message: string): string {
  return JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null });
}

function fail(res: http.ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(errorBody(code, message));
}
