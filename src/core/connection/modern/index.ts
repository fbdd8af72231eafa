/**
 * The lazily loaded 2026-07-28 stack (`dist/modern.js` in the bundle): opens a `ModernSession` to one
 * configured server. Loaded only through `../loadModern.ts`, when a server turns out to speak 2026-07-28:
 * the v2 client, ext-tasks and zod 4 cost ~300 KB that 2025 users never load.
 *
 * The packages are ESM-only (ext-tasks has no `require` export at all), so they are loaded with `import()`
 * even here: tsc's CommonJS output (out/, mocha) keeps `import()` as is, and esbuild bundles it.
 */
import type { ServerConfig } from '../../config/ServerConfig';
import { acceptAllValidator } from '../acceptAllValidator';
import { isLoopbackHttp, loopbackFetch } from '../loopbackFetch';
import { requestInitOption } from '../requestInit';
import type { ModernOpenOptions, ModernSession } from '../ModernSession';
import { mapped } from './errors';
import { CLIENT_CAPABILITIES, PROTOCOL_VERSION, TASKS_EXTENSION_ID } from './framing';
import { RawChannel, type ChannelTransport } from './rawChannel';
import { CALL_ID_META_KEY, V2Session } from './session';

export async function openModernSession(config: ServerConfig, options: ModernOpenOptions): Promise<ModernSession> {
  const [{ Client, StreamableHTTPClientTransport }, { createTaskSessionFromClient }] = await Promise.all([
    import('@modelcontextprotocol/client'),
    import('@modelcontextprotocol/ext-tasks/client'),
  ]);
  if (config.type === 'sse') {
    throw new Error('legacy SSE servers speak 2025-11-25 at most');
  }
  let inner: ChannelTransport;
  if (config.type === 'stdio') {
    if (!options.wire) throw new Error('a stdio server needs its process transport');
    inner = options.wire as ChannelTransport;
  } else {
    const url = new URL(config.url);
    // As for 2025 servers (httpTransports.ts): no per-request proxy resolution for a server on this machine.
    inner = new StreamableHTTPClientTransport(url, {
      ...requestInitOption(config.headers),
      ...(isLoopbackHttp(url) ? { fetch: loopbackFetch } : {}),
    }) as unknown as ChannelTransport;
  }
  const channel = new RawChannel(inner, CALL_ID_META_KEY);
  // Pinned: a server that does not offer 2026-07-28 fails here (the caller falls back to 2025-11-25).
  // Pinning also probes on this connection itself instead of a sibling process.
  // Our own validator, as for the SDK 1.x Client (see acceptAllValidator.ts): the v2 default is ajv
  // (~150 KB of dist/modern.js), which the bundle leaves out (esbuild.js, neverRun).
  const client = new Client(options.clientInfo, {
    capabilities: { ...CLIENT_CAPABILITIES, extensions: { [TASKS_EXTENSION_ID]: {} } },
    versionNegotiation: { mode: { pin: PROTOCOL_VERSION } },
    jsonSchemaValidator: acceptAllValidator,
  } as never);
  client.onerror = (err: Error) => options.log('warn', `protocol error: ${err.message}`);
  await mapped('connect', () => client.connect(channel as never, { timeout: options.connectTimeoutMs } as never));
  const extensions = (client.getServerCapabilities() as { extensions?: Record<string, unknown> } | undefined)?.extensions;
  const hasTasks = typeof extensions?.[TASKS_EXTENSION_ID] === 'object' && extensions[TASKS_EXTENSION_ID] !== null;
  let tasks;
  try {
    tasks = hasTasks
      ? createTaskSessionFromClient(client, {
          endpointId: `mcp-tasks:${config.id}`,
          rawDispatch: channel.dispatch as never,
          v2RequestFraming: { protocolVersion: PROTOCOL_VERSION, clientInfo: { ...options.clientInfo }, clientCapabilities: CLIENT_CAPABILITIES },
          onError: (err: Error) => options.log('warn', `tasks: ${err.message}`),
        })
      : undefined;
  } catch (err) {
    await client.close().catch(() => undefined);
    throw err;
  }
  const pid = options.wire?.pid;
  return new V2Session({
    client,
    ...(tasks ? { tasks } : {}),
    channel,
    clientInfo: { ...options.clientInfo },
    transport: config.type === 'stdio' ? 'stdio' : 'http',
    ...(typeof pid === 'number' ? { pid } : {}),
    log: options.log,
  });
}
