/**
 * A drop-in for the SDK's stdio `ReadBuffer` that costs time in proportion to the bytes read. The SDK's
 * concatenates its whole buffer with every 64 KB chunk and rescans it for a newline each time, which is
 * quadratic: a 50 MB `tasks/result` took minutes. Messages are parsed as the SDK's `deserializeMessage`
 * does, except that the envelope of the common shapes is checked here (see `parseMessage`).
 */
import type { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

const NEWLINE = 0x0a;
const CR = 0x0d;

export class LinearReadBuffer {
  private chunks: Buffer[] = [];
  /** Bytes of chunks[0] already consumed. */
  private offset = 0;
  /** Chunks before this index hold no newline past `offset`: never scanned twice. */
  private scanned = 0;
  private size = 0;

  constructor(private readonly maxBufferSize: number) {}

  append(chunk: Buffer): void {
    if (this.size + chunk.length > this.maxBufferSize) {
      this.clear();
      throw new Error(`ReadBuffer exceeded maximum size of ${this.maxBufferSize} bytes`);
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  readMessage(): JSONRPCMessage | null {
    // The common case: the next line lies within the first chunk. Decoded straight from it (no copy).
    if (this.scanned === 0 && this.chunks.length > 0) {
      const chunk = this.chunks[0]!;
      const end = chunk.indexOf(NEWLINE, this.offset);
      if (end !== -1) {
        const start = this.offset;
        this.size -= end + 1 - start;
        this.offset = end + 1;
        if (this.offset >= chunk.length) {
          this.chunks.shift();
          this.offset = 0;
        }
        return parseMessage(chunk.toString('utf8', start, end > start && chunk[end - 1] === CR ? end - 1 : end));
      }
      this.scanned = 1;
    }
    for (; this.scanned < this.chunks.length; this.scanned++) {
      const chunk = this.chunks[this.scanned]!;
      const end = chunk.indexOf(NEWLINE, this.scanned === 0 ? this.offset : 0);
      if (end === -1) {
        continue;
      }
      const parts = this.chunks.slice(0, this.scanned + 1).map((c, i) => c.subarray(i === 0 ? this.offset : 0, i === this.scanned ? end : c.length));
      const bytes = parts.reduce((n, p) => n + p.length, 0);
      // Consumed before parsing, so a line that does not parse is skipped, as the SDK does.
      this.chunks = this.chunks.slice(this.scanned);
      this.offset = end + 1;
      this.scanned = 0;
      this.size -= bytes + 1;
      if (this.offset >= this.chunks[0]!.length) {
        this.chunks.shift();
        this.offset = 0;
      }
      const line = Buffer.concat(parts, bytes).toString('utf8');
      return parseMessage(line.endsWith('\r') ? line.slice(0, -1) : line);
    }
    return null;
  }

  clear(): void {
    this.chunks = [];
    this.offset = 0;
    this.scanned = 0;
    this.size = 0;
  }
}

/**
 * `JSON.parse`, then the JSON-RPC envelope. The SDK checks it with a zod union, which for a small reply costs
 * about as much as the parse itself and copies the message; a request, notification or result response of the
 * usual shape is recognised here and passed on as parsed (its contents are validated later by the SDK client,
 * against the schema of the request or handler). Anything else — error responses, odd shapes — still goes
 * through the SDK's schema, which throws the SDK's error for a line that is not JSON-RPC.
 */
export function parseMessage(line: string): JSONRPCMessage {
  const value: unknown = JSON.parse(line);
  return isCommonEnvelope(value) ? (value as JSONRPCMessage) : JSONRPCMessageSchema.parse(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCommonEnvelope(value: unknown): boolean {
  if (!isPlainObject(value) || value.jsonrpc !== '2.0' || 'error' in value) return false;
  const id = value.id;
  const hasId = typeof id === 'string' || (typeof id === 'number' && Number.isInteger(id));
  if (typeof value.method === 'string') {
    return (hasId || !('id' in value)) && !('result' in value) && (value.params === undefined || isPlainObject(value.params));
  }
  return hasId && isPlainObject(value.result);
}

/**
 * Puts a LinearReadBuffer in place of the transport's own. The field is private to the SDK (pinned at
 * 1.32.2); if a later version renames it, the SDK's buffer simply stays in use.
 */
export function useLinearReadBuffer(transport: StdioClientTransport, maxBufferSize: number): boolean {
  const fields = transport as unknown as { _readBuffer?: { append?: unknown; readMessage?: unknown } };
  if (typeof fields._readBuffer?.append !== 'function' || typeof fields._readBuffer.readMessage !== 'function') {
    return false;
  }
  fields._readBuffer = new LinearReadBuffer(maxBufferSize);
  return true;
}
