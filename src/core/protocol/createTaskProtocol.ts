/**
 * The one place that picks a protocol generation: from how the connection was opened (a 2026-07-28
 * session, or an SDK 1.x Client that ran `initialize`) and what the server declared.
 */
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ProtocolChannel } from '../connection/liveSession';
import type { TaskCapabilities } from '../model/ConnectionState';
import { declaresTasksExtension, tasks2025Capabilities } from './capabilities';
import { Tasks2025Protocol } from './tasks2025';
import { Tasks2026Protocol } from './tasks2026';
import type { TaskProtocol } from './TaskProtocol';
import { UnsupportedTaskProtocol } from './unsupportedProtocol';

/** 'known-ids' ignores a declared `tasks/list` (inventory from the ids this client created). */
export type InventoryMode = 'auto' | 'known-ids';

export type { ProtocolChannel };

export type ProtocolContext = ProtocolChannel & {
  readonly requestOptions: () => RequestOptions;
  readonly log: (level: 'info' | 'warn', message: string) => void;
  readonly inventory: InventoryMode;
  readonly redact: (text: string) => string;
};

export function createTaskProtocol(ctx: ProtocolContext): TaskProtocol {
  if (ctx.modern) {
    if (!ctx.modern.tasksExtension) {
      return new UnsupportedTaskProtocol();
    }
    return new Tasks2026Protocol({
      session: ctx.modern,
      timeoutMs: () => ctx.requestOptions().timeout ?? 30_000,
      warn: (message) => ctx.log('warn', message),
      redact: ctx.redact,
    });
  }
  const declared = ctx.client.getServerCapabilities();
  const caps2025 = tasks2025Capabilities(declared);
  if (caps2025) {
    const capabilities: TaskCapabilities = ctx.inventory === 'known-ids' ? { ...caps2025, list: false } : caps2025;
    return new Tasks2025Protocol({
      client: ctx.client,
      capabilities,
      requestOptions: ctx.requestOptions,
      warn: (message) => ctx.log('warn', message),
      redact: ctx.redact,
    });
  }
  if (declaresTasksExtension(declared)) {
    // Declared in an `initialize` reply: a server mixing the generations; its tasks need a 2026 session.
    ctx.log('info', 'server declares the 2026-07-28 tasks extension in a 2025-11-25 handshake; pin "protocol": "2026-07-28" to use it');
    return new UnsupportedTaskProtocol('server offers tasks only through the 2026-07-28 tasks extension over a 2025-11-25 connection');
  }
  return new UnsupportedTaskProtocol();
}
