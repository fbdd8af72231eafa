/**
 * What a bridge session forwards VS Code's traffic to. For a 2025-11-25 server that is our connection's own
 * `Client`, seen through `RawUpstream` (messages pass as they are, under ids of their own); for a 2026-07-28
 * server it is `Translated2026Upstream`, which answers in 2025-11-25 terms through the core's API for that
 * server (`request`).
 */
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { Implementation, JSONRPCMessage, JSONRPCRequest, MessageExtraInfo, Request, Result, ServerCapabilities } from '@modelcontextprotocol/sdk/types.js';

/**
 * Puts a question the server asks to answer a forwarded request (elicitation, sampling, roots) to the VS Code
 * session that sent the request, on that request's own stream; undefined when that session cannot answer
 * questions of the kind (it did not declare the capability).
 */
export type RelatedAsk = (request: Request, signal: AbortSignal) => Promise<Result> | undefined;

/** How a request answered through the core is sent: the SDK's options, and who answers its questions. */
export type ForwardOptions = RequestOptions & { readonly ask?: RelatedAsk };

/** Where VS Code's notifications go, and where the server's reach the bridge (BridgedServer taps `onmessage`). */
export interface UpstreamTransport {
  send(message: JSONRPCMessage): Promise<void>;
  onmessage?: ((message: JSONRPCMessage, extra?: MessageExtraInfo) => void) | undefined;
}

/** The server's reply to a raw-forwarded request, as it sent it (result or error), id aside. */
export type RawReply = { readonly result: Result; readonly error?: undefined } | { readonly error: { code: number; message: string; data?: unknown }; readonly result?: undefined };

/** A request forwarded as it is: its upstream id (for a cancel) and the reply to come. */
export interface RawForwarded {
  readonly upstreamId: string;
  readonly reply: Promise<RawReply>;
}

export interface BridgeUpstream {
  getServerVersion(): Implementation | undefined;
  getInstructions(): string | undefined;
  getServerCapabilities(): ServerCapabilities | undefined;
  /** Answers through the core's API (the schema is not used: the answer is passed on, not read). */
  request(request: Request, schema: unknown, options?: ForwardOptions): Promise<Result>;
  readonly transport?: UpstreamTransport | undefined;
  /**
   * When present: sends VS Code's request on the server's wire under an id (and progress token) of its own,
   * the reply comes back as the server gave it, progress under VS Code's token through `onprogress`.
   */
  forward?(request: JSONRPCRequest, onprogress?: (params: Record<string, unknown>) => void): RawForwarded;
  /** Tells the server VS Code gave up on a raw-forwarded request; its late reply is dropped. */
  cancel?(upstreamId: string, reason: unknown): void;
}
