// Which servers VS Code is offered through the bridge: no duplicates of what VS Code already runs by default.
import * as assert from 'node:assert/strict';
import { offerVerdict } from '../../../src/core/bridge/offered';
import type { ServerConfig } from '../../../src/core/config/ServerConfig';

function server(name: string, source: string, extra: Partial<ServerConfig> = {}): ServerConfig {
  return { id: name, name, source, fromWorkspace: false, type: 'stdio', command: 'node', args: [], env: {}, ...extra } as ServerConfig;
}

describe('servers offered to VS Code', () => {
  it('offers mcpTasks.servers at every level', () => {
    for (const source of ['user settings', 'workspace settings', 'folder settings', 'folder settings (second)']) {
      assert.equal(offerVerdict(server('a', source), []).offered, true, source);
    }
  });

  it('offers an mcp.json server only when the user names it', () => {
    const fromFile = server('files', '/w/.vscode/mcp.json');
    const refused = offerVerdict(fromFile, ['other']);
    assert.equal(refused.offered, false);
    assert.match(refused.offered ? '' : refused.why, /offerMcpJsonServers/);
    assert.equal(offerVerdict(fromFile, ['files']).offered, true);
  });

  it('offers a server pinned to 2026-07-28 like any other (the bridge translates for VS Code)', () => {
    assert.equal(offerVerdict(server('modern', 'user settings', { protocol: '2026-07-28' }), []).offered, true);
    const fromFile = offerVerdict(server('modern', '/w/.vscode/mcp.json', { protocol: '2026-07-28' }), []);
    assert.match(fromFile.offered ? '' : fromFile.why, /offerMcpJsonServers/);
  });
});
