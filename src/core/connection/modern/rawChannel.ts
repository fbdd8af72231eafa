/**
 * A transport wrapper that gives ext-tasks its `rawDispatch`: the v2 Client refuses to send `tasks/*` to a
 * 2026-07-28 server itself and rejects a `tools/call` answered with `resultType: "task"`, so those requests
 * go out here with ids of our own, and their replies are taken off the stream before the Client sees them.
 * Everything else passes through to the Client unchanged. Works over stdio and Streamable HTTP alike.
 */
import { ModernRequestError } from './errors';
import type { WireRecord, WireTransport } from '../ModernSession';
import { PendingRequests, type RawReply } from './pendingRequests';

export type { RawReply };

/** The SDK's Transport, structurally (the v2 and the 1.x shapes agree on these members). */
export interface ChannelTransport extends Omit<WireTransport, 'pid'> {
  setProtocolVersion?: (version: string) => void;
  readonly sessionId?: string;
}

export class RawChannel {
  onmessage?: (message: unknown, extra?: unknown) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  /**
   * Sees every notification from the server first; returning true keeps it from the Client (those it has no
   * use for: the bridge's log lines, progress of forwarded requests, resource and list changes).
   */
  notificationTap?: (message: WireRecord) => boolean;
  private readonly pending = new PendingRequests((id) => {
    // The server should stop too (2026-07-28 keeps notifications/cancelled for requests).
    this.inner.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: 'cancelled by the client' } } as never).catch(() => undefined);
  });
  private next = 0;
  private closed = false;
  /** Replies to `tools/call`, by the call id we put in `_meta` (the execution object does not expose them). */
  private readonly toolReplies = new Map<string, WireRecord>();

  constructor(
    readonly inner: ChannelTransport,
    private readonly callIdKey: string,
  ) {}

  start(): Promise<void> {
    this.inner.onmessage = ((message: WireRecord, extra?: unknown) => {
      const id = message.id;
      if (typeof id === 'string' && !('method' in message) && this.pending.has(id)) {
        const error = message.error as RawReply & { code: number; message: string } | undefined;
        this.pending.resolve(id, error !== undefined ? { kind: 'error', error: error as never } : { kind: 'result', result: (message.result ?? {}) as WireRecord });
        return;
      }
      if (typeof message.method === 'string' && id === undefined && this.notificationTap?.(message)) return;
      this.onmessage?.(message, extra);
    }) as never;
    this.inner.onclose = () => {
      this.closed = true;
      this.pending.failAll(new ModernRequestError('connection closed'));
      this.onclose?.();
    };
    this.inner.onerror = (error) => this.onerror?.(error);
    return this.inner.start();
  }

  send(message: unknown, options?: unknown): Promise<void> {
    return this.inner.send(message as never, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }

  /** The reply to the `tools/call` tagged with this id, once (it is forgotten when taken). */
  takeToolReply(callId: string): WireRecord | undefined {
    const reply = this.toolReplies.get(callId);
    this.toolReplies.delete(callId);
    return reply;
  }

  /**
   * ext-tasks' RawClientDispatch: one framed request, its reply or error; a timeout rejects, and so does an abort
   * of ext-tasks' signal (noticed late while the request is young: see ABORT_WATCH_MS).
   */
  readonly dispatch = (request: unknown, options?: { signal?: AbortSignal; context?: { requestTimeoutMs?: number } }): Promise<RawReply> => {
    const { method, params } = request as { method: string; params?: WireRecord };
    const reply = this.request(method, params, options?.context?.requestTimeoutMs ?? 60_000, options?.signal, 'later');
    const callId = method === 'tools/call' ? (params?._meta as WireRecord | undefined)?.[this.callIdKey] : undefined;
    if (typeof callId !== 'string') return reply; // every poll: no extra promise hop
    return reply.then((r) => {
      if (r.kind === 'result') this.toolReplies.set(callId, r.result);
      return r;
    });
  };

  /**
   * Not `async`: an async function returning this promise would add hops to every poll's round trip.
   * `watchAbort`: see PendingRequests.add (a caller's own signal is watched at once).
   */
  request(method: string, params: WireRecord | undefined, timeoutMs: number, signal?: AbortSignal, watchAbort: 'now' | 'later' = 'now'): Promise<RawReply> {
    if (this.closed) return Promise.reject(new ModernRequestError(`${method}: connection closed`));
    const id = `raw-${++this.next}`;
    // Streamable HTTP routes and checks these headers (the server answers -32020 when they disagree with the body).
    const name = method === 'tools/call' ? params?.name : params?.taskId;
    const headers = typeof name === 'string' ? { 'mcp-method': method, 'mcp-name': name } : { 'mcp-method': method };
    const reply = this.pending.add(id, method, timeoutMs, signal, watchAbort);
    this.inner.send((params !== undefined ? { jsonrpc: '2.0', id, method, params } : { jsonrpc: '2.0', id, method }) as never, { headers }).catch((error: unknown) => {
      // Over HTTP a JSON-RPC error may come with an HTTP error status (404 for an unknown method): the transport
      // throws with the body as text; it is the server's answer all the same.
      const answered = errorReplyIn(error, id);
      if (answered) this.pending.resolve(id, answered);
      else this.pending.reject(id, error instanceof Error ? error : new Error(String(error)));
    });
    return reply;
  }
}

/** The JSON-RPC error reply to request `id` in the body of an HTTP error (the SDK's SdkHttpError `data.text`), if any. */
function errorReplyIn(error: unknown, id: string): RawReply | undefined {
  const text = (error as { data?: { text?: unknown } } | null)?.data?.text;
  if (typeof text !== 'string') return undefined;
  try {
    const body = JSON.parse(text) as { id?: unknown; error?: { code?: unknown; message?: unknown; data?: unknown } };
    if (body.id !== id || typeof body.error?.code !== 'number') return undefined;
    const { code, message, data } = body.error;
    return { kind: 'error', error: { code, message: typeof message === 'string' ? message : 'error', ...(data !== undefined ? { data } : {}) } };
  } catch {
    return undefined;
  }
}
