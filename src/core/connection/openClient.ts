/**
 * Opens one SDK Client for a configuration: picks the transport, connects (initialize), and for 'http'
 * falls back from Streamable HTTP to legacy SSE when the server refuses the former.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SseError } from '@modelcontextprotocol/sdk/client/sse.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { HttpServerConfig, ServerConfig, TransportKind } from '../config/ServerConfig';
import { errorMessage } from '../util/errors';
import { isModernOnlyRefusal } from './generation';
import { createSseTransport, createStreamableHttpTransport, isHttpConnectionLost, shouldFallBackToSse } from './httpTransports';
import { isSessionRefused, openEventStream, restoreServerInfo, type HttpSessionStore, type SavedSession } from './httpSessions';
import { instrumentTransport, type TransportObserver } from './instrumentTransport';
import { createStdioTransport } from './stdioTransport';

export interface OpenedClient {
  readonly client: Client;
  /** What actually carries the connection ('http' may have become 'sse'). */
  readonly transport: TransportKind;
  /** The stdio server's process id. */
  readonly pid?: number;
  /** Streamable HTTP with a session: ends it on the server (DELETE) and forgets it. */
  readonly endSession?: () => Promise<void>;
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
  /** Where a Streamable HTTP session is kept between connections; without it each connection starts one. */
  readonly sessions?: HttpSessionStore;
}

export async function openClient(config: ServerConfig, ctx: OpenContext): Promise<OpenedClient> {
  if (config.type === 'stdio') {
    const transport = createStdioTransport(config, ctx.onStderrLine);
    const client = await connect(transport, ctx, undefined);
    return { client, transport: 'stdio', ...(transport.pid !== null ? { pid: transport.pid } : {}) };
  }
  if (config.type === 'sse') {
    return { client: await connectSse(config, ctx), transport: 'sse' };
  }
  return openHttp(config, ctx);
}

async function openHttp(config: HttpServerConfig, ctx: OpenContext): Promise<OpenedClient> {
  const saved = ctx.sessions?.load();
  if (saved) {
    const resumed = await resumeHttp(config, saved, ctx);
    if (resumed) {
      return resumed;
    }
  }
  try {
    const transport = createStreamableHttpTransport(config);
    const client = await connect(transport, ctx, isHttpConnectionLost);
    ctx.sessions?.saveFrom(client, transport);
    return { client, transport: 'http', ...withEndSession(transport, ctx.sessions) };
  } catch (err) {
    // A 2026-only server refuses initialize with a 4xx too; that is not a request for legacy SSE.
    if (!shouldFallBackToSse(err) || isModernOnlyRefusal(err)) {
      throw err;
    }
    ctx.info(`Streamable HTTP refused (${errorMessage(err)}); trying legacy SSE`);
  }
  ctx.sessions?.forget();
  return { client: await connectSse(config, ctx), transport: 'sse' };
}

/**
 * Resumes a saved session: no `initialize` (the session has been initialized), a `ping` to learn whether
 * the server still knows it. Undefined when it does not (the saved session is then forgotten); other
 * failures (unreachable, 401) are the connection's failure, and the session stays saved for the retry.
 */
async function resumeHttp(config: HttpServerConfig, saved: SavedSession, ctx: OpenContext): Promise<OpenedClient | undefined> {
  const transport = createStreamableHttpTransport(config, saved.sessionId);
  if (saved.protocolVersion !== undefined) {
    transport.setProtocolVersion(saved.protocolVersion);
  }
  let client: Client | undefined;
  try {
    client = await connect(transport, ctx, isHttpConnectionLost, (c) => restoreServerInfo(c, saved));
    await client.ping({ timeout: ctx.connectTimeoutMs });
  } catch (err) {
    await client?.close().catch(() => undefined);
    if (!isSessionRefused(err)) {
      throw err;
    }
    ctx.info(`the server no longer knows session ${saved.sessionId} (${errorMessage(err)}); starting a new session`);
    ctx.sessions?.forget();
    return undefined;
  }
  ctx.info(`resumed session ${saved.sessionId}`);
  openEventStream(transport);
  return { client, transport: 'http', ...withEndSession(transport, ctx.sessions) };
}

/** How long ending a session on the server (DELETE) may hold up a dispose. */
const END_SESSION_TIMEOUT_MS = 2_000;

function withEndSession(transport: StreamableHTTPClientTransport, sessions: HttpSessionStore | undefined): Pick<OpenedClient, 'endSession'> {
  if (transport.sessionId === undefined) {
    return {};
  }
  return {
    endSession: async () => {
      sessions?.forget();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, END_SESSION_TIMEOUT_MS)));
      try {
        await Promise.race([transport.terminateSession(), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
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

/** `isConnectionLost` undefined: a failed send never means the connection is gone (stdio). */
async function connect(transport: Transport, ctx: OpenContext, isConnectionLost: ((err: unknown) => boolean) | undefined, prepare?: (client: Client) => void): Promise<Client> {
  const client = ctx.newClient();
  prepare?.(client);
  instrumentTransport(transport, {
    onRequest: ctx.onRequest,
    ...(isConnectionLost ? { isConnectionLost } : {}),
    onConnectionLost: (err) => ctx.onConnectionLost(client, err),
  });
  // Client.connect closes the transport itself when initialize fails.
  await client.connect(transport, { timeout: ctx.connectTimeoutMs });
  return client;
}
