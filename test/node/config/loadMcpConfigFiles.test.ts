import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadMcpConfigFiles, parseServersSetting, readMcpConfigFile } from '../../../src/core/config';
import { errorMatching } from './helpers';

describe('config: loadMcpConfigFiles', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-config-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads files from disk, treats a missing file as no servers, and merges settings first', async () => {
    const workspaceFile = path.join(dir, 'mcp.json');
    fs.writeFileSync(workspaceFile, '{ "servers": { "w": { "command": "node", "envFile": ".env" }, } } // trailing comment');
    fs.writeFileSync(path.join(dir, '.env'), 'export FROM_FILE="1"\n');
    const settings = parseServersSetting({ s: { url: 'http://localhost:3000/mcp' } }, { source: 'settings', fromWorkspace: false });
    const { servers, errors } = await loadMcpConfigFiles(
      [
        { path: workspaceFile, fromWorkspace: true },
        { path: path.join(dir, 'absent', 'mcp.json'), fromWorkspace: false },
      ],
      { workspaceFolder: dir, otherSources: [settings] },
    );
    assert.deepEqual(errors, []);
    assert.deepEqual(
      servers.map((s) => [s.id, s.source, s.fromWorkspace]),
      [
        ['s', 'settings', false],
        ['w', workspaceFile, true],
      ],
    );
    assert.deepEqual(servers[1]!.type === 'stdio' && servers[1]!.env, { FROM_FILE: '1' });
  });

  it('reports a path that cannot be read as a file (a directory) with its path', async () => {
    const parsed = await readMcpConfigFile({ path: dir, fromWorkspace: false });
    assert.deepEqual(parsed.servers, []);
    const error = errorMatching(parsed.errors, 'could not be read');
    assert.equal(error.message, `${dir}: the file could not be read (EISDIR)`);
  });

  it('uses the host file reader when given one', async () => {
    const read = async (p: string) => (p === '/virtual/mcp.json' ? '{"mcpServers": {"v": {"command": "x"}}}' : Promise.reject(Object.assign(new Error('nope'), { code: 'ENOENT' })));
    const { servers } = await loadMcpConfigFiles([{ path: '/virtual/mcp.json', fromWorkspace: false }, { path: '/virtual/none.json', fromWorkspace: false }], { readFile: read });
    assert.deepEqual(servers.map((s) => s.id), ['v']);
  });
});
