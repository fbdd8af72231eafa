/**
 * 2026-07-28 request framing for the few requests we send over the raw channel ourselves (a lenient
 * `tools/list`, a `tasks/get` whose reply ext-tasks' strict schema refused): no session, so every request
 * names the protocol version, the client and its capabilities (with the tasks extension) in `_meta`.
 */
import type { WireRecord } from '../ModernSession';

export const PROTOCOL_VERSION = '2026-07-28';
export const TASKS_EXTENSION_ID = 'io.modelcontextprotocol/tasks';
/** Form elicitation: the servers' input requests are shown through the host's elicitation form. */
export const CLIENT_CAPABILITIES = { elicitation: { form: {} } };

/** `extra`: more capabilities for this request (the bridge's), and the log level it opts in to. */
export function framedParams(params: WireRecord, clientInfo: { name: string; version: string }, extra: { capabilities?: WireRecord; logLevel?: string } = {}): WireRecord {
  const meta = typeof params._meta === 'object' && params._meta !== null ? (params._meta as WireRecord) : {};
  return {
    ...params,
    _meta: {
      ...meta,
      'io.modelcontextprotocol/protocolVersion': PROTOCOL_VERSION,
      'io.modelcontextprotocol/clientInfo': clientInfo,
      'io.modelcontextprotocol/clientCapabilities': { ...extra.capabilities, ...CLIENT_CAPABILITIES, extensions: { [TASKS_EXTENSION_ID]: {} } },
      ...(extra.logLevel !== undefined ? { 'io.modelcontextprotocol/logLevel': extra.logLevel } : {}),
    },
  };
}
