/**
 * Hooks into a transport's outgoing messages: a trace line per request (method and id only: params may
 * hold secrets or large payloads), and a callback when a send fails in a way that means the connection is
 * gone. HTTP transports never report "closed" by themselves; this is how a dead HTTP server is noticed.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';

export interface TransportObserver {
  readonly onRequest: (method: string, id: string | number) => void;
  /** Undefined: no failed send means the connection is gone (stdio reports its end itself: the process exits). */
  readonly isConnectionLost?: (err: unknown) => boolean;
  readonly onConnectionLost: (err: unknown) => void;
}

/**
 * Every request passes through here: the wrapper is a plain function that hands back the transport's own
 * promise (no async frame, no second promise), with a rejection handler only where a failure can mean a lost
 * connection. A send that throws instead of rejecting is turned into a rejection, as an async wrapper did.
 */
export function instrumentTransport<T extends Transport>(transport: T, observer: TransportObserver): T {
  const send = transport.send.bind(transport);
  const isConnectionLost = observer.isConnectionLost;
  const failed = (err: unknown): never => {
    if (isConnectionLost?.(err)) {
      observer.onConnectionLost(err);
    }
    throw err;
  };
  transport.send = (message, options) => {
    if ('method' in message && 'id' in message) {
      observer.onRequest(message.method, message.id);
    }
    let sent: Promise<void>;
    try {
      sent = send(message, options);
    } catch (err) {
      return Promise.reject(err).catch(failed);
    }
    return isConnectionLost ? sent.catch(failed) : sent;
  };
  return transport;
}
