import * as assert from 'node:assert/strict';
import { loadServerConfigs, parseMcpConfigText, parseServersSetting, type ServerConfig } from '../../../src/core/config';
import { errorMatching, USER, WORKSPACE } from './helpers';

const SETTINGS = { source: 'settings', fromWorkspace: false };

describe('config: loadServerConfigs', () => {
  it('sets fromWorkspace and source from each source', async () => {
    const user = parseMcpConfigText('{"servers": {"u": {"command": "x"}}}', USER);
    const workspace = parseMcpConfigText('{"servers": {"w": {"url": "http://h"}}}', WORKSPACE);
    const { servers } = await loadServerConfigs([user, workspace], { workspaceFolder: '/ws' });
    assert.deepEqual(
      servers.map((s) => [s.id, s.source, s.fromWorkspace]),
      [
        ['u', USER.source, false],
        ['w', WORKSPACE.source, true],
      ],
    );
  });

  it('keeps a name defined in two sources under unique ids and names both sources', async () => {
    const settings = parseServersSetting({ github: { url: 'https://api.github.com/mcp' } }, SETTINGS);
    const workspace = parseMcpConfigText('{"servers": {"github": {"command": "gh-mcp"}, "other": {"command": "x"}}}', WORKSPACE);
    const { servers, errors } = await loadServerConfigs([settings, workspace], { workspaceFolder: '/ws' });
    assert.deepEqual(
      servers.map((s) => [s.id, s.name, s.type]),
      [
        ['github (settings)', 'github', 'http'],
        [`github (${WORKSPACE.source})`, 'github', 'stdio'],
        ['other', 'other', 'stdio'],
      ],
    );
    const error = errorMatching(errors, 'is also defined in');
    assert.equal(error.server, 'github');
    assert.equal(error.source, WORKSPACE.source);
    assert.ok(error.message.includes('settings') && error.message.includes(WORKSPACE.source), error.message);
  });

  it('gives ids that do not depend on order or on whether a duplicate is valid', async () => {
    const a = parseServersSetting({ s: { command: 'x' } }, SETTINGS);
    const validB = parseMcpConfigText('{"servers": {"s": {"command": "y"}}}', WORKSPACE);
    const brokenB = parseMcpConfigText('{"servers": {"s": {"type": "websocket"}}}', WORKSPACE);
    const ids = (r: { servers: ServerConfig[] }) => r.servers.map((s) => s.id).sort();
    assert.deepEqual(ids(await loadServerConfigs([a, validB])), ['s (/ws/.vscode/mcp.json)', 's (settings)']);
    assert.deepEqual(ids(await loadServerConfigs([validB, a])), ['s (/ws/.vscode/mcp.json)', 's (settings)']);
    assert.deepEqual(ids(await loadServerConfigs([a, brokenB])), ['s (settings)']);
    assert.deepEqual(ids(await loadServerConfigs([a])), ['s']);
  });

  it('keeps ids unique even when a name looks like a generated id or a source is given twice', async () => {
    const a = parseServersSetting({ s: { command: 'x' }, 's (settings)': { command: 'y' } }, SETTINGS);
    const b = parseServersSetting({ s: { command: 'z' } }, SETTINGS);
    const { servers } = await loadServerConfigs([a, b]);
    const ids = servers.map((s) => s.id);
    assert.equal(new Set(ids).size, 3, JSON.stringify(ids));
  });

  it('never puts env or header values in any error message', async () => {
    const secrets = ['sk-live-123456', 'Bearer abcdef', 'hunter2-file', 'answer-from-prompt'];
    const workspace = parseMcpConfigText(
      JSON.stringify({
        inputs: [{ type: 'promptString', id: 'tok', password: true }],
        servers: {
          badEnv: { command: 'x', env: { KEY: 'sk-live-123456', FLAG: true } },
          badHeader: { url: 'https://h', headers: { Authorization: 'Bearer abcdef', Retry: null } },
          badVar: { command: 'x', env: { KEY: 'sk-live-123456${nope}' } },
          typo: { url: 'https://h', headres: { Authorization: 'Bearer abcdef' } },
          badUrl: { url: 'https://${input:tok}:bad', headers: { Authorization: 'Bearer abcdef' } },
          badEnvFile: { command: 'x', envFile: '/secret.env' },
        },
      }),
      WORKSPACE,
    );
    const { errors } = await loadServerConfigs([workspace], {
      resolveInput: async () => 'answer-from-prompt',
      readFile: async () => 'SECRET=hunter2-file\nnot-an-assignment hunter2-file\n',
    });
    errorMatching(errors, "env variable 'FLAG'");
    errorMatching(errors, "header 'Retry'");
    errorMatching(errors, "server 'badVar'", 'unknown variable ${nope}', "env variable 'KEY'");
    errorMatching(errors, "server 'badUrl'", 'not a valid http(s) URL');
    errorMatching(errors, "server 'badEnvFile'", 'line 2');
    for (const e of errors) for (const secret of secrets) assert.ok(!e.message.includes(secret), `"${secret}" leaked in: ${e.message}`);
  });
});
