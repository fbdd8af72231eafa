import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { connectedServer, extensionApi } from '../helpers';

/** The server row's hover is the one place the UI names a server's protocol generation. */
async function serverHover(serverId: string): Promise<string> {
  const api = await extensionApi();
  await connectedServer(api, serverId);
  const node = api.tree.getChildren().find((n) => n.kind === 'server' && n.serverId === serverId);
  assert.ok(node, `no row for ${serverId}`);
  const item = await api.tree.resolveTreeItem(api.tree.getTreeItem(node), node, new vscode.CancellationTokenSource().token);
  // As a person reads it: appendText escapes spaces and Markdown punctuation in the value.
  return (item.tooltip as vscode.MarkdownString).value.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
}

describe('protocol generations in the UI', () => {
  it('the hover of a 2025-11-25 server names it, and says nothing about listing (it lists)', async () => {
    const hover = await serverHover('demo');
    assert.match(hover, /MCP 2025-11-25/);
    assert.doesNotMatch(hover, /cannot list/);
  });

  it('the hover of a 2026-07-28 server names it and says only tasks started here are shown', async () => {
    const hover = await serverHover('demo2026');
    assert.match(hover, /MCP 2026-07-28/);
    assert.match(hover, /cannot list its tasks: only tasks started here are shown/);
  });
});
