/**
 * A `fetch` for MCP servers on this machine (plain http to localhost, 127.0.0.1 or ::1), over `node:http`
 * with one keep-alive agent.
 *
 * Why: in VS Code's extension host the global `fetch` is wrapped for proxy support, and the wrapper works per
 * request (reads the proxy settings, resolves a proxy for the URL, copies the system certificates into a
 * fresh option object) before undici runs. For these three hosts VS Code's own resolver always answers
 * DIRECT (`@vscode/proxy-agent`, `useProxySettings`), so that work never changes where a request goes; at
 * thousands of polls a minute it is most of the extension host's idle CPU. Any other URL (and https, whose
 * certificate handling VS Code extends) keeps the global fetch, proxies and all.
 *
 * `http.request` is patched by VS Code as well (a proxy-resolving agent made per request, even for
 * loopback), so requests are made with `http.ClientRequest`, which `http.request` itself calls, with our
 * agent: the same request Node would send after VS Code's resolver said DIRECT.
 *
 * What callers get is a standard `Response`. A `text/event-stream` body is streamed as it arrives (SSE
 * answers to a POST, the standalone GET stream); any other body is read whole first: MCP sends complete
 * JSON documents (or a short error text), which the SDK reads whole anyway, and one chunk is cheaper to hand
 * over than a stream. Whatever this does not handle the way fetch does (a `Request` object, an unusual body,
 * `redirect: 'error'`, `integrity`, a redirect to follow) goes to the global fetch.
 */
import { setMaxListeners } from 'node:events';
import * as http from 'node:http';
import * as zlib from 'node:zlib';

const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Plain http to one of the hosts VS Code's proxy resolver always sends DIRECT. */
export function isLoopbackHttp(url: URL): boolean {
  return url.protocol === 'http:' && LOOPBACK_HOSTNAMES.has(url.hostname);
}

/**
 * Idle sockets are unref'd by the agent, so they never keep a CLI process alive. An idle socket is closed
 * after 4 s, before the server closes it (Node's servers and uvicorn close after 5 s): a request sent on a
 * socket the server is closing at that moment fails with a reset (undici keeps the same margin). The margin
 * is a timer, so an event loop busy for over a second (10,000 tasks arriving) can lose it: such a request is
 * sent again (see `send` in `request`).
 */
const agent = new http.Agent({ keepAlive: true, timeout: 4000 });

/** Responses whose status forbids a body (the Response constructor throws if given one). */
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);

type Body = string | Uint8Array | undefined;

export const loopbackFetch: typeof fetch = (input, init) => {
  const body = plainBody(init?.body);
  if (input instanceof Request || body === false || init?.redirect === 'error' || init?.integrity) {
    return fetch(input, init);
  }
  const url = input instanceof URL ? input : new URL(input);
  return request(url, init ?? {}, body).then((response) => {
    // fetch follows redirects unless told not to: the global fetch does that part (rare: the SDK asks manual).
    if (REDIRECT_STATUS.has(response.status) && init?.redirect !== 'manual') {
      void response.body?.cancel();
      return fetch(input, init);
    }
    return response;
  });
};

/** The body as bytes or text; `false` for any other kind (left to the global fetch). */
function plainBody(body: RequestInit['body']): Body | false {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  return false;
}

function request(url: URL, init: RequestInit, body: Body): Promise<Response> {
  const signal = init.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(signal.reason);
  const method = (init.method ?? 'GET').toUpperCase();
  return new Promise<Response>((resolve, reject) => {
    let settled = false;
    let onAbortBody: ((reason: unknown) => void) | undefined;
    const onAbort = () => {
      if (!settled) {
        settled = true;
        reject(signal!.reason);
      } else {
        onAbortBody?.(signal!.reason);
      }
      req.destroy();
    };
    const done = () => signal?.removeEventListener('abort', onAbort);
    const fail = (err: unknown) => {
      done();
      if (!settled) {
        settled = true;
        // As undici says it: a TypeError with the reason (ECONNREFUSED, ECONNRESET…) as its cause.
        reject(new TypeError('fetch failed', { cause: err }));
      }
    };
    const options: http.ClientRequestArgs = {
      agent,
      method,
      hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
      port: url.port || 80,
      path: url.pathname + url.search,
      headers: headerRecord(init.headers),
    };
    // A tool call may start work on the server: it never takes a pooled socket, so the keep-alive race below
    // cannot reset it after the server read it, and it is never sent twice (a fresh connection: ~0.1 ms).
    if (startsWork(body)) options.agent = false;
    let req = new http.ClientRequest(options);
    const answer = (res: http.IncomingMessage) => {
      const status = res.statusCode ?? 0;
      // What the Response constructor would throw on, said as fetch says it (and never thrown in an event).
      if (status < 200 || status > 599) throw new RangeError(`invalid HTTP status ${status}`);
      const headers = responseHeaders(res.rawHeaders);
      const responseInit = { status, statusText: res.statusMessage ?? '', headers };
      if (NULL_BODY_STATUS.has(status) || method === 'HEAD') {
        const response = new Response(null, responseInit);
        res.resume();
        done();
        settled = true;
        resolve(response);
        return;
      }
      const source = decoded(res, headers.get('content-encoding'));
      if (headers.get('content-type')?.toLowerCase().startsWith('text/event-stream')) {
        const stream = streamOf(source, done);
        const response = new Response(stream.body, responseInit);
        settled = true;
        onAbortBody = stream.abort;
        resolve(response);
        return;
      }
      readWhole(source).then(
        (bytes) => {
          done();
          if (settled) return;
          settled = true;
          resolve(new Response(bytes, responseInit));
        },
        (err: unknown) => fail(err),
      );
    };
    const send = (resent: boolean) => {
      let answered = false;
      req.on('error', (err: NodeJS.ErrnoException) => {
        // The keep-alive race: a pooled socket the server closed as idle (its 5 s passed while our event loop
        // was busy, before our 4 s timer ran) is reset under the request, which the server never read: sent
        // again once, on a fresh socket (Node's documented remedy). Any other failure is the caller's.
        if (!resent && !answered && !settled && req.reusedSocket && err.code === 'ECONNRESET' && !signal?.aborted) {
          // No agent: a connection of its own (another pooled socket may have been closed the same way).
          req = new http.ClientRequest({ ...options, agent: false });
          send(true);
          return;
        }
        fail(err);
      });
      req.on('response', (res) => {
        answered = true;
        try {
          answer(res);
        } catch (err) {
          res.destroy();
          fail(err);
        }
      });
      req.end(body);
    };
    if (signal) {
      // The SDK's transports give all their requests one signal: with more than 10 in flight Node would warn
      // of a listener leak in the user's log, though each request removes its listener when it ends.
      setMaxListeners(0, signal);
      signal.addEventListener('abort', onAbort, { once: true });
    }
    send(false);
  });
}

const TOOL_CALL = /"method"\s*:\s*"tools\/call"/;

/** Is this a JSON-RPC `tools/call` (the SDKs send their messages as JSON text)? */
function startsWork(body: Body): boolean {
  if (body === undefined) return false;
  return TOOL_CALL.test(typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
}

function headerRecord(headers: RequestInit['headers']): Record<string, string> {
  const record: Record<string, string> = {};
  if (headers === undefined) return record;
  new Headers(headers).forEach((value, name) => (record[name] = value));
  return record;
}

function responseHeaders(raw: readonly string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}

/** The body as fetch would give it: decompressed when the server compressed it (we never ask it to). */
function decoded(res: http.IncomingMessage, encoding: string | null): NodeJS.ReadableStream & { destroy(err?: Error): void } {
  const e = encoding?.trim().toLowerCase();
  const unzip = e === 'gzip' || e === 'x-gzip' ? zlib.createGunzip() : e === 'deflate' ? zlib.createInflate() : e === 'br' ? zlib.createBrotliDecompress() : undefined;
  if (!unzip) return res;
  res.on('error', (err) => unzip.destroy(err));
  res.on('aborted', () => unzip.destroy(new Error('aborted')));
  return res.pipe(unzip);
}

/** All of a body; a connection that ends before the body did is an error, not a short body. */
function readWhole(source: NodeJS.ReadableStream): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let ended = false;
    source.on('data', (chunk: Buffer) => chunks.push(chunk));
    source.on('end', () => {
      ended = true;
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    });
    source.on('error', reject);
    source.on('close', () => ended || reject(new Error('the connection closed before the body ended')));
  });
}

/** A web stream over a Node stream, with backpressure; an early end of the connection errors the stream. */
function streamOf(source: NodeJS.ReadableStream & { destroy(err?: Error): void }, done: () => void): { body: ReadableStream<Uint8Array>; abort: (reason: unknown) => void } {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let finished = false;
  const finish = (how: (c: ReadableStreamDefaultController<Uint8Array>) => void) => {
    if (finished) return;
    finished = true;
    done();
    try {
      how(controller);
    } catch {
      // already closed or cancelled by the reader
    }
  };
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      source.on('data', (chunk: Buffer) => {
        c.enqueue(chunk);
        if ((c.desiredSize ?? 1) <= 0) source.pause();
      });
      source.on('end', () => finish((ctl) => ctl.close()));
      source.on('error', (err) => finish((ctl) => ctl.error(new TypeError('terminated', { cause: err }))));
      source.on('close', () => finish((ctl) => ctl.error(new TypeError('terminated', { cause: new Error('the connection closed before the body ended') }))));
    },
    pull() {
      source.resume();
    },
    cancel() {
      finished = true;
      done();
      source.destroy();
    },
  });
  return {
    body,
    abort: (reason) => {
      source.destroy();
      finish((ctl) => ctl.error(reason));
    },
  };
}
