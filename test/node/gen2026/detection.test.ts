/**
 * Choosing the protocol generation per server: detected through one code path (a 2026-only server refuses
 * the 2025 initialize and gets a 2026-07-28 session; a 2025 server stays on 2025-11-25), remembered per
 * server, and pinned with `protocol` in the definition. Real fixture processes over stdio and HTTP.
 */
import * as assert from 'node:assert/strict';
import { interpretDocument } from '../../../src/core/config/interpretConfig';
import type { ServerConfig } from '../../../src/core/config/ServerConfig';
import { GENERATION_KEY_PREFIX } from '../../../src/core/connection/generation';
import { demoServer2026StdioCommand, startHttpDemoServer2026, type HttpDemoServer2026 } from '../../fixtures/demo-server-2026/spawn';
import { RegistryHarness } from '../../support/registryHarness';
import { demoStdioConfig, httpConfig } from '../../support/serverConfigs';
import { waitConnected, waitFailed } from '../../support/waiting';

function stdio2026(id: string, extra: Partial<ServerConfig> = {}): ServerConfig {
  const { command, args } = demoServer2026StdioCommand();
  return { id, name: id, source: 'test', fromWorkspace: false, type: 'stdio', command, args, env: {}, ...extra } as ServerConfig;
}

const REFUSAL_LOG = /refused the 2025-11-25 handshake/;

describe('gen2026: protocol generation per server', function () {
  this.timeout(60_000);
  let h: RegistryHarness;
  let http: HttpDemoServer2026 | undefined;

  beforeEach(() => {
    h = new RegistryHarness();
  });
  afterEach(async () => {
    await h.dispose();
    await http?.stop();
    http = undefined;
  });

  it('detects a 2026-only stdio server and a 2025 server through the same path, and remembers each', async () => {
    const modern = stdio2026('modern');
    const legacy = demoStdioConfig('legacy');
    const [a, b] = h.start(modern, legacy);
    const sa = await waitConnected(a!);
    const sb = await waitConnected(b!);
    assert.equal(sa.kind === 'connected' && sa.capabilities.generation, '2026-07-28');
    assert.equal(sb.kind === 'connected' && sb.capabilities.generation, '2025-11-25');
    assert.deepEqual(sa.kind === 'connected' && sa.capabilities, { generation: '2026-07-28', list: false, cancel: true, toolCall: true });
    assert.equal(h.storage.get(GENERATION_KEY_PREFIX + 'modern'), '2026-07-28');
    assert.equal(h.storage.get(GENERATION_KEY_PREFIX + 'legacy'), '2025-11-25');
    assert.ok(h.log.lines.some((l) => l.serverId === 'modern' && REFUSAL_LOG.test(l.message)), 'the refusal was the signal');
    assert.ok(!h.log.lines.some((l) => l.serverId === 'legacy' && REFUSAL_LOG.test(l.message)));
    // Tools list on both generations; 2026 tools have no taskSupport and count as optional.
    const tools = await a!.listTools();
    assert.equal(tools.find((t) => t.name === 'slow-job')?.taskSupport, 'optional');
    assert.ok((await b!.listTools()).length > 0);
  });

  it('goes straight to 2026-07-28 on the next connect once remembered', async () => {
    h.storage.data.set(GENERATION_KEY_PREFIX + 'again', JSON.stringify('2026-07-28'));
    const [server] = h.start(stdio2026('again'));
    const state = await waitConnected(server!);
    assert.equal(state.kind === 'connected' && state.capabilities.generation, '2026-07-28');
    assert.ok(!h.log.lines.some((l) => REFUSAL_LOG.test(l.message)), 'no 2025 handshake was tried');
  });

  it('falls back to detection when a remembered 2026 verdict is wrong', async () => {
    h.storage.data.set(GENERATION_KEY_PREFIX + 'changed', JSON.stringify('2026-07-28'));
    const [server] = h.start(demoStdioConfig('changed'));
    const state = await waitConnected(server!, 20_000);
    assert.equal(state.kind === 'connected' && state.capabilities.generation, '2025-11-25');
    assert.equal(h.storage.get(GENERATION_KEY_PREFIX + 'changed'), '2025-11-25');
  });

  it('detects a 2026-only server over Streamable HTTP (its 4xx refusal does not send us to legacy SSE)', async () => {
    http = await startHttpDemoServer2026();
    const [server] = h.start(httpConfig('web', http.url));
    const state = await waitConnected(server!);
    assert.equal(state.kind === 'connected' && state.transport, 'http');
    assert.equal(state.kind === 'connected' && state.capabilities.generation, '2026-07-28');
    assert.ok(!h.log.lines.some((l) => /legacy SSE/.test(l.message)), 'no SSE fallback was tried');
  });

  it('honours a pinned protocol: 2026 skips detection, 2025 on a 2026-only server fails with the reason', async () => {
    const [pinned, wrong] = h.start(stdio2026('pinned', { protocol: '2026-07-28' }), stdio2026('wrong', { protocol: '2025-11-25' }));
    const ok = await waitConnected(pinned!);
    assert.equal(ok.kind === 'connected' && ok.capabilities.generation, '2026-07-28');
    const failed = await waitFailed(wrong!);
    assert.match(failed.reason, /Unsupported protocol version/);
    assert.equal(h.storage.get(GENERATION_KEY_PREFIX + 'pinned'), undefined, 'a pin is not a verdict to remember');
  });

  it('reads "protocol" from a definition and reports a wrong value', () => {
    const parsed = interpretDocument(
      { servers: { a: { command: 'x', protocol: '2026-07-28' }, b: { command: 'x', protocol: '2026' }, c: { url: 'http://h/mcp', protocl: '2025-11-25' } } },
      { source: 'test', fromWorkspace: false },
    );
    assert.equal(parsed.servers.find((s) => s.name === 'a')?.protocol, '2026-07-28');
    assert.equal(parsed.servers.find((s) => s.name === 'b'), undefined);
    assert.ok(parsed.errors.some((e) => e.server === 'b' && /"protocol" must be one of "2025-11-25", "2026-07-28"/.test(e.message)));
    assert.ok(parsed.errors.some((e) => e.server === 'c' && /did you mean "protocol"/.test(e.message)));
  });
});
