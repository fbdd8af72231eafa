/**
 * Offers the managed servers to VS Code's own MCP client (`vscode.lm.registerMcpServerDefinitionProvider`)
 * as Streamable HTTP definitions pointing at the bridge's loopback endpoint. Providing starts nothing: the
 * endpoint listens, and the server connects, only when VS Code resolves a definition to start it.
 *
 * HTTP rather than a stdio bridge: VS Code opens HTTP MCP connections from the extension host, so a loopback
 * URL on the extension host's machine works in a remote window (SSH, WSL, containers, code-server) too, with
 * no helper process to spawn and end; a stdio definition would need a command that reaches back into this
 * extension host from wherever VS Code starts it.
 */
import * as vscode from 'vscode';
import { offerVerdict, type McpBridge, type ServerRegistryApi } from '../core';

export const BRIDGE_PROVIDER_ID = 'mcpTasks.bridge';

export interface BridgeOffer {
  readonly serverId: string;
  readonly name: string;
  readonly source: string;
  readonly offered: boolean;
  readonly why?: string;
}

/** The definition's label: VS Code shows it in its server list, and ids the server by it (`<extension id>/<label>`). */
export function bridgeLabel(name: string): string {
  return `${name} (MCP Tasks)`;
}

function bridgeSettings(): { enabled: boolean; mcpJsonNames: string[] } {
  const cfg = vscode.workspace.getConfiguration('mcpTasks.bridge');
  const names = cfg.get<unknown>('offerMcpJsonServers');
  return { enabled: cfg.get<boolean>('enabled', true), mcpJsonNames: Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : [] };
}

/** Every configured server and whether it is offered (why not, when not). */
export function bridgeOffers(registry: ServerRegistryApi): BridgeOffer[] {
  const { enabled, mcpJsonNames } = bridgeSettings();
  return registry.servers().map((s) => {
    const verdict = enabled ? offerVerdict(s.config, mcpJsonNames) : { offered: false as const, why: 'mcpTasks.bridge.enabled is off' };
    return { serverId: s.id, name: s.config.name, source: s.config.source, offered: verdict.offered, ...(verdict.offered ? {} : { why: verdict.why }) };
  });
}

export function registerMcpBridgeProvider(registry: ServerRegistryApi, bridge: McpBridge, loadConfig: () => Promise<void>): vscode.Disposable[] {
  if (typeof vscode.lm?.registerMcpServerDefinitionProvider !== 'function') return [];
  const changed = new vscode.EventEmitter<void>();
  /** Definition labels (what VS Code shows and ids by) to server ids, as last provided. */
  let labels = new Map<string, string>();
  const provider: vscode.McpServerDefinitionProvider<vscode.McpHttpServerDefinition> = {
    onDidChangeMcpServerDefinitions: changed.event,
    async provideMcpServerDefinitions() {
      await loadConfig();
      const offers = bridgeOffers(registry).filter((o) => o.offered);
      // Not the bare name: an mcp.json server of that name is VS Code's own definition, and two servers
      // with one label make VS Code drop the tools of both (seen in 1.139).
      labels = new Map(offers.map((o) => [bridgeLabel(o.name), o.serverId]));
      // The real URL and the token are given only on resolve (the endpoint is not listening yet).
      return offers.map((o) => new vscode.McpHttpServerDefinition(bridgeLabel(o.name), vscode.Uri.parse(`http://127.0.0.1/mcp/${encodeURIComponent(o.serverId)}`)));
    },
    async resolveMcpServerDefinition(definition) {
      const serverId = labels.get(definition.label);
      const resolved = serverId !== undefined ? await bridge.resolve(serverId) : undefined;
      if (!resolved) throw new Error(`MCP Tasks no longer offers "${definition.label}"`);
      return new vscode.McpHttpServerDefinition(definition.label, vscode.Uri.parse(resolved.url), { ...resolved.headers });
    },
  };
  return [
    changed,
    vscode.lm.registerMcpServerDefinitionProvider(BRIDGE_PROVIDER_ID, provider),
    registry.onDidChangeServers(() => changed.fire()),
    // The servers' roots/list answer (the workspace folders, when no VS Code session answers) changed.
    vscode.workspace.onDidChangeWorkspaceFolders(() => bridge.rootsChanged()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('mcpTasks.bridge.enabled') || e.affectsConfiguration('mcpTasks.bridge.offerMcpJsonServers')) changed.fire();
    }),
  ];
}
