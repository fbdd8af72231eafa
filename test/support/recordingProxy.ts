/**
 * A loopback HTTP proxy in front of a fixture server: each request is passed on as it came (Host aside) and
 * recorded as the server received it, so a test can check what the client put on the wire.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  /** The JSON-RPC method, or the HTTP method for a request without a JSON body (a GET or DELETE). */
  readonly method: string;
  readonly headers: http.IncomingHttpHeaders;
  /** The parsed JSON-RPC message (undefined without one). */
  readonly message?: Readonly<Record<string, unknown>>;
}

export interface RecordingProxy {
  /** `target` with the proxy's port. */
  readonly url: string;
  readonly seen: SeenRequest[];
  close(): Promise<void>;
}

export async function recordingProxy(target: string): Promise<RecordingProxy> {
  const to = new URL(target);
  const seen: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let message: Record<string, unknown> | undefined;
      try {
        message = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      } catch {
        // not JSON (a GET or DELETE)
      }
      seen.push({ method: typeof message?.method === 'string' ? message.method : (req.method ?? '?'), headers: req.headers, ...(message ? { message } : {}) });
      // Hop-by-hop headers belong to each connection, not to the request (RFC 9110, 7.6.1).
      const { connection: _c, 'keep-alive': _k, ...headers } = req.headers;
      const upstream = http.request(to, { method: req.method, headers: { ...headers, host: to.host } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(target);
  url.port = String((server.address() as AddressInfo).port);
  return {
    url: url.toString(),
    seen,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
