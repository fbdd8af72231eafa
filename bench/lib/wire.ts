/**
 * Client-side request counting: wraps the SDK client transports' `send` (and their `onmessage` once started),
 * so every JSON-RPC message any client in this process sends or receives is counted per method. The core's
 * transports are created inside the core and are not labelled: they count as "core". The benchmark's own
 * raw SDK clients label their transports. Nothing in the fixture server or the core is changed.
 */
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export const CORE_LABEL = 'core';

type Counts = Map<string, number>;
const labels = new WeakMap<object, string>();
const sent = new Map<string, Counts>();
const received = new Map<string, Counts>();
let installed = false;

function bump(table: Map<string, Counts>, label: string, method: string): void {
  let counts = table.get(label);
  if (!counts) table.set(label, (counts = new Map()));
  counts.set(method, (counts.get(method) ?? 0) + 1);
}

function labelOf(transport: object): string {
  return labels.get(transport) ?? CORE_LABEL;
}

function record(transport: object, message: unknown, table: Map<string, Counts>): void {
  for (const m of Array.isArray(message) ? message : [message]) {
    const msg = m as { method?: unknown; id?: unknown } | null;
    if (msg && typeof msg.method === 'string') {
      // Requests by method; notifications prefixed so they never mix with requests.
      bump(table, labelOf(transport), 'id' in msg ? msg.method : `notification:${msg.method}`);
    }
  }
}

/** Idempotent. Must run before any client connects (the core binds `send` when it opens a client). */
export function installWireCounter(): void {
  if (installed) return;
  installed = true;
  for (const cls of [StdioClientTransport, StreamableHTTPClientTransport, SSEClientTransport] as const) {
    const proto = cls.prototype as unknown as {
      send: (this: object, message: unknown, options?: unknown) => Promise<void>;
      start: (this: { onmessage?: (m: unknown, extra?: unknown) => void }) => Promise<void>;
    };
    const send = proto.send;
    proto.send = function (this: object, message: unknown, options?: unknown) {
      record(this, message, sent);
      return send.call(this, message, options);
    };
    const start = proto.start;
    proto.start = function (this: { onmessage?: (m: unknown, extra?: unknown) => void }) {
      // Protocol.connect sets onmessage before start(): wrap it here to count what arrives.
      const inner = this.onmessage;
      if (inner) {
        const self = this;
        this.onmessage = (m: unknown, extra?: unknown) => {
          record(self, m, received);
          inner.call(self, m, extra);
        };
      }
      return start.call(this);
    };
  }
}

export function labelTransport<T extends object>(transport: T, label: string): T {
  labels.set(transport, label);
  return transport;
}

export type MethodCounts = Record<string, number>;

function copy(table: Map<string, Counts>, label: string): MethodCounts {
  return Object.fromEntries(table.get(label) ?? []);
}

/** Requests (and notifications) sent so far by clients with this label. */
export function sentBy(label: string): MethodCounts {
  return copy(sent, label);
}

export function receivedBy(label: string): MethodCounts {
  return copy(received, label);
}

export function diffCounts(after: MethodCounts, before: MethodCounts): MethodCounts {
  const out: MethodCounts = {};
  for (const [k, v] of Object.entries(after)) {
    const d = v - (before[k] ?? 0);
    if (d !== 0) out[k] = d;
  }
  return out;
}

/** Requests only (no notifications). */
export function requestTotal(counts: MethodCounts): number {
  return Object.entries(counts)
    .filter(([k]) => !k.startsWith('notification:'))
    .reduce((a, [, v]) => a + v, 0);
}

/** Task polling requests: tasks/get and tasks/list. */
export function pollTotal(counts: MethodCounts): number {
  return (counts['tasks/get'] ?? 0) + (counts['tasks/list'] ?? 0);
}
