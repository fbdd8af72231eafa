/**
 * Which servers VS Code is offered through the bridge. Servers defined for this extension only
 * (`mcpTasks.servers`) are, automatically: VS Code does not know them otherwise. Servers of `mcp.json` files
 * VS Code already runs itself; offering them too would show every tool twice in chat, so only those the user
 * names. Servers of either protocol generation are: VS Code speaks 2025-11-25 only (vscode#329848), and the
 * bridge translates for a 2026-07-28 server (`Translated2026Upstream`).
 */
import type { ServerConfig } from '../config/ServerConfig';

export type OfferVerdict = { readonly offered: true } | { readonly offered: false; readonly why: string };

export function offerVerdict(config: ServerConfig, mcpJsonNames: readonly string[]): OfferVerdict {
  if (isFromSettings(config) || mcpJsonNames.includes(config.name)) return { offered: true };
  return { offered: false, why: 'VS Code runs it directly from mcp.json (list it in mcpTasks.bridge.offerMcpJsonServers to offer it here)' };
}

/** `mcpTasks.servers` at any level (user, workspace, folder); everything else is an mcp.json file. */
function isFromSettings(config: ServerConfig): boolean {
  return config.source === 'user settings' || config.source === 'workspace settings' || config.source.startsWith('folder settings');
}
