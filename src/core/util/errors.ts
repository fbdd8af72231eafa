/** Turning whatever was thrown into one short line a person can read, without leaking the SDK's types. */
import { SseError } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { oneLine } from './logText';

/** The SDK prefixes messages with `MCP error <code>: `, sometimes twice (client and server both wrap). */
const MCP_PREFIX = /^(?:MCP error -?\d+: )+/;
const SDK_HTTP_PREFIX = /^(?:Streamable HTTP error: |SSE error: )(?:Error POSTing to endpoint(?: \(HTTP \d+\))?: )?/;
const MAX_ERROR_LENGTH = 300;

export function errorMessage(err: unknown): string {
  return oneLine(describe(err), MAX_ERROR_LENGTH);
}

function describe(err: unknown): string {
  if ((err instanceof StreamableHTTPError || err instanceof SseError) && err.code !== undefined && err.code >= 400) {
    const body = err.message.replace(SDK_HTTP_PREFIX, '').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
    const what = err.code === 401 || err.code === 403 ? `authentication failed (HTTP ${err.code})` : `HTTP ${err.code}`;
    return body ? `${what}: ${body.slice(0, 200)}` : what;
  }
  if (err instanceof Error) {
    const message = err.message.replace(MCP_PREFIX, '') || err.name;
    // fetch() says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND…) is in its cause.
    const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
    const detail = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : undefined;
    return detail && !message.includes(detail) ? `${message} (${detail})` : message;
  }
  if (typeof err === 'string') {
    return err;
  }
  try {
    return JSON.stringify(err) ?? String(err);
  } catch {
    return String(err);
  }
}

/** An error that carries the JSON-RPC code the server (or the SDK) gave, for callers that branch on it. */
export class TaskRequestError extends Error {
  constructor(
    message: string,
    readonly code?: number,
  ) {
    super(message);
    this.name = 'TaskRequestError';
  }
}
