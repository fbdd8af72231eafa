/** The two HTTP transports, and when to give up on Streamable HTTP for legacy SSE (as VS Code does). */
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { setMaxListeners } from 'node:events';
import type { HttpServerConfig } from '../config/ServerConfig';
import { isLoopbackHttp, loopbackFetch } from './loopbackFetch';
import { answeringPollsAsJson } from './pollAnswers';
import { requestInitOption } from './requestInit';

function parseUrl(config: HttpServerConfig): URL {
  try {
    return new URL(config.url);
  } catch {
    throw new Error(`invalid URL for server "${config.name}"`);
  }
}

/**
 * The fetch for one server: a server on this machine gets `loopbackFetch` (no proxy can apply; see there),
 * any other the global fetch, which VS Code wraps with its proxy support. The global is looked up per call.
 * Either way a poll answered as SSE reaches the SDK as JSON (see pollAnswers.ts).
 *
 * The SDK passes one AbortSignal (the transport's) to every fetch, and each fetch in flight listens on it:
 * with many concurrent polls Node warns of a listener leak that is none (each listener goes when its
 * fetch ends). Lift the limit on that signal only.
 */
export function fetchFor(url: URL): typeof fetch {
  const polls = answeringPollsAsJson(isLoopbackHttp(url) ? loopbackFetch : (input, init) => fetch(input, init));
  return (input, init) => {
    if (init?.signal) setMaxListeners(0, init.signal);
    return polls(input, init);
  };
}

/** `sessionId`: resume that session (no `initialize` is sent then) instead of starting a new one. */
export function createStreamableHttpTransport(config: HttpServerConfig, sessionId?: string): StreamableHTTPClientTransport {
  const url = parseUrl(config);
  return new StreamableHTTPClientTransport(url, {
    ...requestInitOption(config.headers),
    fetch: fetchFor(url),
    ...(sessionId !== undefined ? { sessionId } : {}),
  });
}

export function createSseTransport(config: HttpServerConfig): SSEClientTransport {
  // The SSE transport adds requestInit headers to the event-stream GET as well as to the POSTs.
  return new SSEClientTransport(parseUrl(config), requestInitOption(config.headers));
}

/**
 * A 4xx on the initial POST means "this endpoint does not speak Streamable HTTP" (typically 404 or 405 from
 * an SSE-only server). 401/403 are about credentials, which SSE would not fix.
 */
export function shouldFallBackToSse(err: unknown): boolean {
  return err instanceof StreamableHTTPError && err.code !== undefined && err.code >= 400 && err.code < 500 && err.code !== 401 && err.code !== 403;
}

/**
 * The server or the network went away under an HTTP transport (which has no "closed" event of its own):
 * fetch failed (refused, reset, DNS), or a 404 on a message POST, meaning the server forgot our session
 * (it restarted). The SSE transport reports the latter only in its message text.
 */
export function isHttpConnectionLost(err: unknown): boolean {
  if (err instanceof StreamableHTTPError) {
    return err.code === 404;
  }
  return err instanceof TypeError || (err instanceof Error && /^Error POSTing to endpoint \(HTTP 404\)/.test(err.message));
}
