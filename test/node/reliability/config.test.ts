// Configuration mistakes end to end: from mcp.json text through loadServerConfigs into the registry. The
// parser's own reporting (positions, wording) is pinned in test/node/config; here the point is that each
// mistake costs only its own server, and the rest connect and work.
import * as assert from 'node:assert/strict';
import { loadServerConfigs, parseMcpConfigText, type ServerConfig, type StdioServerConfig } from '../../../src/core/config';
import type { InputResolver } from '../../../src/core/model/ports';
import { faultServerCommand } from '../../fixtures/fault-server/spawn';
import { assertResponsive, connected, failedState, guardUnhandledRejections, Harness, rit, stdioConfig } from './harness';

const ORIGIN = { source: '/ws/.vscode/mcp.json', fromWorkspace: true };
const { command, args } = faultServerCommand();

describe('reliability: configuration mistakes', function () {
  this.timeout(30_000);
  guardUnhandledRejections();
  let h: Harness;
  afterEach(async () => {
    await h?.dispose();
  });

  const load = async (text: string, resolveInput?: InputResolver) =>
    loadServerConfigs([parseMcpConfigText(text, ORIGIN)], { workspaceFolder: '/ws', ...(resolveInput ? { resolveInput } : {}) });

  rit('broken JSONC, an unknown type, a missing command: only those servers are lost, the good ones run', async () => {
    const good = JSON.stringify({ command, args });
    const text = `{
      // a comment, and a trailing comma below are fine
      "servers": {
        "good-one": ${good},
        "unknown-type": { "type": "carrier-pigeon", "command": "x" },
        "no-command": { "args": ["--flag"] },
        "broken": { "command": "x" "args": [] },
        "good-two": ${good},
      }
    }`;
    const { servers, errors } = await load(text);
    const names = servers.map((s) => s.name).sort();
    assert.deepEqual(names, ['good-one', 'good-two']);
    for (const name of ['unknown-type', 'no-command', 'broken']) {
      assert.ok(errors.some((e) => e.server === name || e.message.includes(name)), `no error names ${name}: ${JSON.stringify(errors)}`);
    }
    h = new Harness();
    h.registry.setConfigs(servers);
    for (const s of h.registry.servers()) {
      await connected(s);
      await assertResponsive(s);
    }
  });

  rit('a command that does not exist: that server fails with a plain reason, the others run', async () => {
    h = new Harness();
    const [missing, good] = h.start(stdioConfig('missing', [], { command: '/nonexistent/bin/mcp-server', args: [] }), stdioConfig('healthy'));
    const failed = await failedState(missing!);
    assert.match(failed.reason, /ENOENT|not found|no such file/i, failed.reason);
    await connected(good!);
    await assertResponsive(good!);
  });

  rit('a server name used twice: both copies are kept under distinct ids and both run', async () => {
    const doc = JSON.stringify({ servers: { twin: { command, args } } });
    const { servers, errors } = await loadServerConfigs([parseMcpConfigText(doc, ORIGIN), parseMcpConfigText(doc, { source: '/home/me/mcp.json', fromWorkspace: false })], {});
    assert.equal(servers.length, 2);
    assert.notEqual(servers[0]!.id, servers[1]!.id);
    assert.ok(errors.some((e) => /also defined/.test(e.message)));
    h = new Harness();
    h.registry.setConfigs(servers);
    assert.equal(h.registry.servers().length, 2);
    for (const s of h.registry.servers()) await connected(s);
  });

  rit('the same id given twice to the registry: the first is kept, the second logged, nothing crashes', async () => {
    h = new Harness();
    const a = stdioConfig('dup');
    const b: ServerConfig = { ...stdioConfig('dup', ['--page-size', '3']), source: 'elsewhere' };
    h.registry.setConfigs([a, b]);
    assert.equal(h.registry.servers().length, 1);
    assert.deepEqual((h.registry.get('dup')!.config as StdioServerConfig).args, a.args);
    assert.ok(h.log.lines.some((l) => l.level === 'error' && /dup/.test(l.message)), 'the duplicate is reported');
    await connected(h.server('dup'));
  });

  rit('an ${input:...} the user dismisses: that server is not started, says why, and starts once answered', async () => {
    const text = JSON.stringify({
      inputs: [{ id: 'token', type: 'promptString', description: 'API token', password: true }],
      servers: {
        needs_token: { command, args, env: { API_TOKEN: '${input:token}' } },
        plain: { command, args },
      },
    });
    let answer: string | undefined;
    const asked: string[] = [];
    const resolver: InputResolver = async (input) => {
      asked.push(input.id);
      return answer;
    };
    const first = await load(text, resolver);
    assert.deepEqual(asked, ['token']);
    assert.deepEqual(first.servers.map((s) => s.name), ['plain']);
    const why = first.errors.find((e) => e.server === 'needs_token');
    assert.match(why?.message ?? '', /dismissed/);
    h = new Harness();
    h.registry.setConfigs(first.servers);
    assert.equal(h.registry.get('needs_token'), undefined);
    await connected(h.server('plain'));
    // The user answers on the next load (e.g. "Restart Server" or a config change).
    answer = 'tok-123456789';
    const second = await load(text, resolver);
    assert.deepEqual(second.servers.map((s) => s.name).sort(), ['needs_token', 'plain']);
    h.registry.setConfigs(second.servers);
    const started = h.server('needs_token');
    await connected(started);
    await assertResponsive(started);
    // The running server was left alone: same configuration, no reconnect.
    assert.equal(h.server('plain').state.kind, 'connected');
    assert.equal((h.states.get('plain') ?? []).filter((s) => s.kind === 'connecting').length, 1, 'plain was reconnected');
  });
});
