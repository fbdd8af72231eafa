/**
 * The one place that picks a protocol generation from what the server declared. A 2026-07-28
 * (`io.modelcontextprotocol/tasks` extension) implementation slots in here; nothing above changes.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { TaskCapabilities } from '../model/ConnectionState';
import { declaresTasksExtension, tasks2025Capabilities } from './capabilities';
import { Tasks2025Protocol } from './tasks2025';
import type { TaskProtocol } from './TaskProtocol';
import { UnsupportedTaskProtocol } from './unsupportedProtocol';

/** 'known-ids' ignores a declared `tasks/list` (inventory from the ids this client created). */
export type InventoryMode = 'auto' | 'known-ids';

export interface ProtocolContext {
  readonly client: Client;
  readonly requestOptions: () => RequestOptions;
  readonly log: (level: 'info' | 'warn', message: string) => void;
  readonly inventory: InventoryMode;
  readonly redact: (text: string) => string;
}

export function createTaskProtocol(ctx: ProtocolContext): TaskProtocol {
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
    ctx.log('info', 'server offers tasks only through the 2026-07-28 tasks extension, which this version does not speak yet');
    return new UnsupportedTaskProtocol('server offers tasks only through the 2026-07-28 tasks extension (not supported yet)');
  }
  return new UnsupportedTaskProtocol();
}
