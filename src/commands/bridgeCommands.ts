import * as vscode from 'vscode';
import type { McpBridge, ServerRegistryApi } from '../core';
import { bridgeOffers, type BridgeOffer } from '../platform/McpBridgeProvider';

/**
 * "Show Servers Offered to VS Code": which servers VS Code's own MCP client (chat, tools) reaches through
 * this extension, how many VS Code sessions each has, and why the others are not offered. Returns the list
 * (for tests and other extensions).
 */
export function registerBridgeCommands(registry: ServerRegistryApi, bridge: McpBridge, loadConfig: () => Promise<void>): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('mcpTasks.showOfferedServers', async (options?: { quiet?: boolean }): Promise<BridgeOffer[]> => {
      await loadConfig();
      const offers = bridgeOffers(registry);
      if (options?.quiet) return offers;
      const sessions = bridge.sessions();
      const items = offers.map((o) => ({
        label: `${o.offered ? '$(check)' : '$(circle-slash)'} ${o.name}`,
        description: o.offered ? `offered · ${sessions.get(o.serverId) ?? 0} VS Code session(s)` : 'not offered',
        detail: o.offered ? `from ${o.source}; VS Code's tool calls reach it through MCP Tasks and their tasks show in the tree${translated(registry, o.serverId)}` : `${o.why ?? ''} (from ${o.source})`,
      }));
      await vscode.window.showQuickPick(items.length ? items : [{ label: 'No servers are configured', description: '', detail: '' }], { title: 'Servers Offered to VS Code (MCP Tasks)', placeHolder: 'VS Code starts an offered server from MCP: List Servers or when chat uses it' });
      return offers;
    }),
  ];
}

/** A 2026-07-28 server reaches VS Code (2025-11-25 only) translated: worth saying where the list says how. */
function translated(registry: ServerRegistryApi, serverId: string): string {
  const state = registry.get(serverId)?.state;
  return state?.kind === 'connected' && state.capabilities.generation === '2026-07-28' ? ' (it speaks MCP 2026-07-28: translated for VS Code, which speaks 2025-11-25)' : '';
}
