/**
 * Which protocol generation to open a server with. `protocol` in its definition pins one; otherwise the
 * verdict of the last successful connect is remembered per server (`mcpTasks.generation/<serverId>`), and
 * without one the 2025-11-25 handshake goes first: a 2026-only server refuses `initialize`, and that
 * refusal is what sends the connection to a 2026-07-28 session.
 */
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import type { ProtocolGeneration, ServerConfig } from '../config/ServerConfig';
import type { KeyValueStorage } from '../model/ports';

/** -32022 "Unsupported protocol version" (what SDK 2.x servers answer), -32601 (what the conformance suite expects). */
const REFUSAL_CODES: ReadonlySet<number> = new Set([-32022, -32601]);

/**
 * The server refused the 2025 `initialize` the way a 2026-only server does. Over Streamable HTTP the
 * JSON-RPC error comes as the body of a 4xx reply (the SDK 1.x transport puts the body in its message).
 */
export function isModernOnlyRefusal(err: unknown): boolean {
  if (err instanceof McpError) {
    return REFUSAL_CODES.has(err.code);
  }
  if (err instanceof StreamableHTTPError && err.code !== undefined && err.code >= 400 && err.code < 500) {
    return /"code"\s*:\s*-32(?:022|601)\b/.test(err.message) || /unsupported protocol version/i.test(err.message);
  }
  return false;
}

export const GENERATION_KEY_PREFIX = 'mcpTasks.generation/';

export class GenerationMemory {
  constructor(private readonly storage: KeyValueStorage | undefined) {}

  /** What to try first: the pinned generation, else the remembered one, else undefined (detect). */
  preferred(config: ServerConfig): ProtocolGeneration | undefined {
    if (config.protocol !== undefined) return config.protocol;
    const remembered = this.storage?.get<unknown>(GENERATION_KEY_PREFIX + config.id);
    return remembered === '2025-11-25' || remembered === '2026-07-28' ? remembered : undefined;
  }

  remember(config: ServerConfig, generation: ProtocolGeneration): void {
    if (config.protocol !== undefined || this.storage?.get(GENERATION_KEY_PREFIX + config.id) === generation) return;
    void this.storage?.set(GENERATION_KEY_PREFIX + config.id, generation).catch(() => undefined);
  }

  forget(config: ServerConfig): void {
    if (this.storage?.get(GENERATION_KEY_PREFIX + config.id) !== undefined) {
      void this.storage.set(GENERATION_KEY_PREFIX + config.id, undefined).catch(() => undefined);
    }
  }
}
