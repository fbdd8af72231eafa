import * as vscode from 'vscode';
import { type ServerRegistryApi, type TaskServerApi, errorMessage } from '../core';
import type { ServerConfigSources } from '../platform/ServerConfigSources';

/** Refresh, restart, load more, the log and the configuration files. */
export function registerServerCommands(registry: ServerRegistryApi, sources: ServerConfigSources, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const serverOf = async (arg: unknown, title: string): Promise<TaskServerApi | undefined> => {
    if (typeof arg === 'object' && arg !== null && typeof (arg as { serverId?: unknown }).serverId === 'string') {
      return registry.get((arg as { serverId: string }).serverId);
    }
    const servers = registry.servers();
    if (servers.length <= 1) return servers[0];
    const picked = await vscode.window.showQuickPick(servers.map((s) => ({ label: s.config.name, description: s.state.kind, server: s })), { title });
    return picked?.server;
  };

  return [
    vscode.commands.registerCommand('mcpTasks.refresh', async (arg?: unknown) => {
      const servers = typeof arg === 'object' && arg !== null && 'serverId' in arg ? [await serverOf(arg, 'Refresh')].filter((s) => !!s) : registry.servers();
      if (!servers.length) await sources.loadNow(); // nothing configured yet: maybe the files changed
      const failures = (await Promise.allSettled(servers.map((s) => (s.state.kind === 'connected' ? s.refresh() : s.restart()))))
        .flatMap((r, i) => (r.status === 'rejected' ? [`${servers[i]!.config.name}: ${errorMessage(r.reason)}`] : []));
      if (failures.length) void vscode.window.showWarningMessage(`Refresh failed for ${failures.join('; ')}`);
    }),
    vscode.commands.registerCommand('mcpTasks.restartServer', async (arg?: unknown) => {
      const server = await serverOf(arg, 'Restart Server');
      if (server) await server.restart();
    }),
    vscode.commands.registerCommand('mcpTasks.loadMore', async (arg?: unknown) => {
      const server = await serverOf(arg, 'Load More Tasks');
      if (server) await server.loadMore().catch((e: unknown) => void vscode.window.showErrorMessage(`Could not load more tasks from ${server.config.name}: ${errorMessage(e)}`));
    }),
    vscode.commands.registerCommand('mcpTasks.showServerLog', () => log.show(true)),
    vscode.commands.registerCommand('mcpTasks.openMcpJson', async () => {
      const uri = sources.workspaceMcpJson();
      if (!uri) {
        void vscode.window.showInformationMessage('Open a folder first: the workspace mcp.json lives in its .vscode folder.');
        return;
      }
      try {
        await vscode.workspace.fs.stat(uri);
      } catch {
        // Create it with an example the user can edit (a missing file is simply no servers).
        const example = '{\n  // MCP servers for this workspace. Tasks of each appear in the MCP Tasks view.\n  "servers": {\n    // "my-server": { "type": "stdio", "command": "node", "args": ["server.js"] }\n  }\n}\n';
        await vscode.workspace.fs.writeFile(uri, Buffer.from(example));
      }
      await vscode.window.showTextDocument(uri);
    }),
    vscode.commands.registerCommand('mcpTasks.openSettings', () => vscode.commands.executeCommand('workbench.action.openSettings', '@ext:mcp-tasks-dev.mcp-tasks-vscode')),
  ];
}
