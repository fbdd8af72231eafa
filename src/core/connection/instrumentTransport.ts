/**
 * Hooks into a transport's outgoing messages: a trace line per request (method and id only: params may
 * hold secrets or large payloads), and a callback when a send fails in a way that means the connection is
 * gone. HTTP transports never report "closed" by themselves; this is how a dead HTTP server is noticed.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';

export interface TransportObserver {
  readonly onRequest: (method: string, id: string | number) => void;
  readonly isConnectionLost: (err: unknown) => boolean;
  readonly onConnectionLost: (err: unknown) => void;
}

export function instrumentTransport<T extends Transport>(transport: T, observer: TransportObserver): T {
  const send = transport.send.bind(transport);
  transport.send = async (message, options) => {
    if ('method' in message && 'id' in message) {
      observer.onRequest(message.method, message.id);
    }
    try {
      await send(message, options);
    } catch (err) {
      if (observer.isConnectionLost(err)) {
        observer.onConnectionLost(err);
      }
      throw err;
    }
  };
  return transport;
}
