/**
 * Opens one SDK Client for a configuration: picks the transport, connects (initialize), and for 'http'
 * falls back from Streamable HTTP to legacy SSE when the server refuses the former.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SseError } from '@modelcontextprotocol/sdk/client/sse.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { HttpServerConfig, ServerConfig, TransportKind } from '../config/ServerConfig';
import { errorMessage } from '../util/errors';
import { createSseTransport, createStreamableHttpTransport, isHttpConnectionLost, shouldFallBackToSse } from './httpTransports';
import { instrumentTransport, type TransportObserver } from './instrumentTransport';
import { createStdioTransport } from './stdioTransport';

export interface OpenedClient {
  readonly client: Client;
  /** What actually carries the connection ('http' may have become 'sse'). */
  readonly transport: TransportKind;
  /** The stdio server's process id. */
  readonly pid?: number;
}

export interface OpenContext {
  /** A fresh Client with our capabilities and handlers; one per attempt (a Client connects once). */
  readonly newClient: () => Client;
  readonly onRequest: TransportObserver['onRequest'];
  /** Called with the client whose HTTP transport lost the server. */
  readonly onConnectionLost: (client: Client, err: unknown) => void;
  readonly onStderrLine: (line: string) => void;
  readonly info: (message: string) => void;
  readonly connectTimeoutMs: number;
}

export async function openClient(config: ServerConfig, ctx: OpenContext): Promise<OpenedClient> {
  if (config.type === 'stdio') {
    const transport = createStdioTransport(config, ctx.onStderrLine);
    const client = await connect(transport, ctx, () => false);
    return { client, transport: 'stdio', ...(transport.pid !== null ? { pid: transport.pid } : {}) };
  }
  if (config.type === 'sse') {
    return { client: await connectSse(config, ctx), transport: 'sse' };
  }
  return openHttp(config, ctx);
}

async function openHttp(config: HttpServerConfig, ctx: OpenContext): Promise<OpenedClient> {
  try {
    return { client: await connect(createStreamableHttpTransport(config), ctx, isHttpConnectionLost), transport: 'http' };
  } catch (err) {
    if (!shouldFallBackToSse(err)) {
      throw err;
    }
    ctx.info(`Streamable HTTP refused (${errorMessage(err)}); trying legacy SSE`);
  }
  return { client: await connectSse(config, ctx), transport: 'sse' };
}

/**
 * Legacy SSE: the session lives in the event stream, so a stream that breaks after connecting is a lost
 * connection, even though the SDK transport never reports "closed". Its EventSource would reopen the
 * stream by itself, but that is a new, never-initialized session on the server: every request on it then
 * fails (404, or "before initialization") and the connection would look up while nothing works. Found by
 * the reliability suite's dropped-legacy-SSE case; the fix reconnects (and re-initializes) instead.
 */
async function connectSse(config: HttpServerConfig, ctx: OpenContext): Promise<Client> {
  const transport = createSseTransport(config);
  const client = await connect(transport, ctx, isHttpConnectionLost);
  const onerror = transport.onerror; // installed by Client.connect
  transport.onerror = (err) => {
    onerror?.(err);
    if (err instanceof SseError) {
      ctx.onConnectionLost(client, err);
    }
  };
  return client;
}

async function connect(transport: Transport, ctx: OpenContext, isConnectionLost: (err: unknown) => boolean): Promise<Client> {
  const client = ctx.newClient();
  instrumentTransport(transport, {
    onRequest: ctx.onRequest,
    isConnectionLost,
    onConnectionLost: (err) => ctx.onConnectionLost(client, err),
  });
  // Client.connect closes the transport itself when initialize fails.
  await client.connect(transport, { timeout: ctx.connectTimeoutMs });
  return client;
}
