/**
 * A drop-in for the SDK's stdio `ReadBuffer` that costs time in proportion to the bytes read. The SDK's
 * concatenates its whole buffer with every 64 KB chunk and rescans it for a newline each time, which is
 * quadratic: a 50 MB `tasks/result` took minutes. Messages are still parsed and validated by the SDK's
 * own `deserializeMessage`.
 */
import { deserializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

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
        return deserializeMessage(chunk.toString('utf8', start, end > start && chunk[end - 1] === CR ? end - 1 : end));
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
      return deserializeMessage(line.endsWith('\r') ? line.slice(0, -1) : line);
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
