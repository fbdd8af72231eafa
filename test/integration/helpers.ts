import * as vscode from 'vscode';
import type { McpTasksExtensionApi } from '../../src/extension';
import type { TaskServerApi } from '../../src/core';
import { waitFor as sharedWaitFor } from '../support/waiting';

export const EXTENSION_ID = 'mcp-tasks-dev.mcp-tasks-vscode';

/** The running extension's API (activating it if needed), after its first configuration load. */
export async function extensionApi(): Promise<McpTasksExtensionApi> {
  const ext = vscode.extensions.getExtension<McpTasksExtensionApi>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not loaded`);
  const api = await ext.activate();
  // Servers connect once someone looks: open the view as a user would.
  await vscode.commands.executeCommand('mcpTasks.tasks.focus');
  await api.configLoaded();
  return api;
}

/**
 * The shared bounded wait as the extension-host tests use it: 20 s by default, a probe every 100 ms, and a
 * probe that throws (the extension still starting) is tried again.
 */
export function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  return sharedWaitFor(what, probe, { timeoutMs, everyMs: 100, retryErrors: true });
}

export async function connectedServer(api: McpTasksExtensionApi, id: string): Promise<TaskServerApi> {
  return waitFor(`server ${id} connected`, () => {
    const s = api.registry.get(id);
    return s?.state.kind === 'connected' ? s : undefined;
  }, 30_000);
}

/** VS Code's own id of a server this extension offers (`<extensionId>/<label>`). */
export function offeredDefinition(name: string): string {
  return `${EXTENSION_ID}/${name} (MCP Tasks)`;
}

/**
 * Has VS Code start the offered server and waits until its client has a session on the bridge. Asked again
 * until then: after a setting changed, VS Code asks the provider anew, and until it has the id starts nothing.
 */
export async function startThroughBridge(api: McpTasksExtensionApi, name: string): Promise<void> {
  await waitFor('VS Code to connect through the bridge', async () => {
    await vscode.commands.executeCommand('workbench.mcp.startServer', offeredDefinition(name), { waitForLiveTools: true });
    return (api.bridge.sessions().get(name) ?? 0) > 0;
  }, 30_000);
}

/** Has VS Code stop its client of the offered server (if it runs). */
export async function stopThroughBridge(name: string): Promise<void> {
  await vscode.commands.executeCommand('workbench.mcp.stopServer', offeredDefinition(name)).then(undefined, () => undefined);
}
