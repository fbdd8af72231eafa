/**
 * A connection that is up, whichever protocol generation it speaks: what ServerConnection's lifecycle needs
 * (who it talks to, how it ends, how to end it) in one shape, so one connect flow serves both.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { TransportKind } from '../config/ServerConfig';
import { closeQuietly } from './legacyClient';
import type { ModernSession } from './ModernSession';
import type { OpenedClient } from './openClient';

/** An SDK 1.x Client after `initialize` (2025-11-25 and older), or a 2026-07-28 session. */
export type ProtocolChannel = { readonly client: Client; readonly modern?: undefined } | { readonly modern: ModernSession; readonly client?: undefined };

export interface LiveSession {
  readonly generation: '2025-11-25' | '2026-07-28';
  readonly channel: ProtocolChannel;
  readonly transport: TransportKind;
  readonly serverName?: string;
  readonly serverVersion?: string;
  /** The stdio server's process id. */
  readonly pid?: number;
  /** The connection ended by itself (process exit, transport closed); not fired by `close()`. */
  onClose(listener: () => void): void;
  /** `endSession`: also end a Streamable HTTP session on the server (nothing there is needed any more). */
  close(endSession: boolean, log: (message: string) => void): Promise<void>;
}

export function legacySession(opened: OpenedClient): LiveSession {
  const server = opened.client.getServerVersion();
  return {
    generation: '2025-11-25',
    channel: { client: opened.client },
    transport: opened.transport,
    ...(server?.name !== undefined ? { serverName: server.name } : {}),
    ...(server?.version !== undefined ? { serverVersion: server.version } : {}),
    ...(opened.pid !== undefined ? { pid: opened.pid } : {}),
    onClose: (listener) => (opened.client.onclose = listener),
    close: async (endSession, log) => {
      if (endSession && opened.endSession) {
        await opened.endSession().catch((err: unknown) => log(`could not end the HTTP session: ${String(err instanceof Error ? err.message : err)}`));
      }
      await closeQuietly(opened.client);
    },
  };
}

export function modernSession(modern: ModernSession): LiveSession {
  return {
    generation: '2026-07-28',
    channel: { modern },
    transport: modern.transport,
    ...(modern.serverName !== undefined ? { serverName: modern.serverName } : {}),
    ...(modern.serverVersion !== undefined ? { serverVersion: modern.serverVersion } : {}),
    ...(modern.pid !== undefined ? { pid: modern.pid } : {}),
    onClose: (listener) => void modern.onClose(() => listener()),
    close: (_endSession, log) => modern.close().catch((err: unknown) => log(`closing the 2026-07-28 session: ${String(err instanceof Error ? err.message : err)}`)),
  };
}
