/**
 * What a bridge session forwards VS Code's traffic to: exactly the part of the SDK 1.x `Client` it uses.
 * For a 2025-11-25 server that is our connection's own `Client` (pass-through); for a 2026-07-28 server it
 * is `Translated2026Upstream`, which answers in 2025-11-25 terms through the core's API for that server.
 */
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { Implementation, JSONRPCMessage, MessageExtraInfo, Request, Result, ResultSchema, ServerCapabilities } from '@modelcontextprotocol/sdk/types.js';

/** Where VS Code's notifications go, and where the server's reach the bridge (BridgedServer taps `onmessage`). */
export interface UpstreamTransport {
  send(message: JSONRPCMessage): Promise<void>;
  onmessage?: ((message: JSONRPCMessage, extra?: MessageExtraInfo) => void) | undefined;
}

export interface BridgeUpstream {
  getServerVersion(): Implementation | undefined;
  getInstructions(): string | undefined;
  getServerCapabilities(): ServerCapabilities | undefined;
  request(request: Request, schema: typeof ResultSchema, options?: RequestOptions): Promise<Result>;
  readonly transport?: UpstreamTransport | undefined;
}
