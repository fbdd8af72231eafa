/**
 * The loopback HTTP endpoint VS Code's MCP client reaches the offered servers through: one path per server
 * (`/mcp/<key>`), listening on 127.0.0.1 at a random port from the first `listen()` until `close()`.
 *
 * Nothing is reachable without the window's token (`Authorization: Bearer <token>`, a fresh 256-bit random
 * value per endpoint, compared in constant time): any local process could otherwise drive the servers. The
 * Host header must name this loopback port and an Origin, if sent, must be a loopback one: a web page that
 * rebinds a DNS name to 127.0.0.1 sends neither, so it is refused even before the token is looked at.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Bodies beyond this are refused (413): tool arguments, not uploads. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** One offered server's handler; `body` is the parsed JSON of a POST. */
export interface BridgeRoute {
  handle(req: http.IncomingMessage, res: http.ServerResponse, body: unknown): Promise<void>;
}

export class BridgeEndpoint {
  /** Sent by VS Code on every request (the definition's headers). */
  readonly token = randomBytes(32).toString('base64url');
  private readonly routes = new Map<string, BridgeRoute>();
  private server?: http.Server;
  private listening?: Promise<number>;
  /** The listening port (read per request for the Host check: `server.address()` is a syscall wrapper). */
  private port?: number;

  constructor(private readonly warn: (message: string) => void) {}

  get authorization(): string {
    return `Bearer ${this.token}`;
  }

  /** The port, listening first if not yet. */
  listen(): Promise<number> {
    this.listening ??= new Promise<number>((resolve, reject) => {
      const server = http.createServer((req, res) => void this.onRequest(req, res));
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve((this.port = (server.address() as AddressInfo).port)));
      this.server = server;
    });
    return this.listening;
  }

  /** The URL of a server's path (listening first). */
  async urlOf(key: string): Promise<string> {
    return `http://127.0.0.1:${await this.listen()}/mcp/${encodeURIComponent(key)}`;
  }

  setRoute(key: string, route: BridgeRoute | undefined): void {
    if (route) this.routes.set(key, route);
    else this.routes.delete(key);
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.listening = undefined;
    this.port = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      if (!isLoopbackHost(req.headers.host, this.port) || !isLoopbackOrigin(req.headers.origin)) {
        return refuse(res, 403, 'Forbidden: only loopback clients of this window may connect');
      }
      if (!this.hasToken(req.headers.authorization)) {
        return refuse(res, 401, 'Unauthorized');
      }
      const match = /^\/mcp\/([^/?#]+)(?:[?#].*)?$/.exec(req.url ?? '');
      const route = match ? this.routes.get(decodeURIComponent(match[1]!)) : undefined;
      if (!route) return refuse(res, 404, 'No such server is offered');
      const body = req.method === 'POST' ? await readJson(req) : undefined;
      if (body instanceof BodyError) return refuse(res, body.status, body.message);
      await route.handle(req, res, body);
    } catch (err) {
      this.warn(`the bridge failed a request: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) refuse(res, 500, 'Internal error');
      else res.end();
    }
  }

  private hasToken(header: string | undefined): boolean {
    const expected = Buffer.from(this.authorization);
    const given = Buffer.from(header ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost'];

function isLoopbackHost(host: string | undefined, port: number | undefined): boolean {
  return host !== undefined && port !== undefined && LOOPBACK_NAMES.some((name) => host === `${name}:${port}`);
}

/** No Origin (a non-browser client such as VS Code's extension host), or a loopback page. */
function isLoopbackOrigin(origin: string | undefined): boolean {
  if (origin === undefined) return true;
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' && (LOOPBACK_NAMES.includes(url.hostname) || url.hostname === '[::1]');
  } catch {
    return false;
  }
}

class BodyError {
  constructor(
    readonly status: number,
    readonly message: string,
  ) {}
}

function readJson(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(new BodyError(413, 'Request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => resolve(new BodyError(400, 'The request body could not be read')));
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
      } catch {
        resolve(new BodyError(400, 'Parse error: the body is not JSON'));
      }
    });
  });
}

function refuse(res: http.ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}
