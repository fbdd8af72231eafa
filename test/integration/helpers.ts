import * as vscode from 'vscode';
import type { McpTasksExtensionApi } from '../../src/extension';
import type { TaskServerApi } from '../../src/core';

export const EXTENSION_ID = 'mcp-tasks-dev.mcp-tasks-vscode';

/** The running extension's API (activating it if needed), after its first configuration load. */
export async function extensionApi(): Promise<McpTasksExtensionApi> {
  const ext = vscode.extensions.getExtension<McpTasksExtensionApi>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not loaded`);
  const api = await ext.activate();
  await api.configLoaded();
  return api;
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${last})` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function connectedServer(api: McpTasksExtensionApi, id: string): Promise<TaskServerApi> {
  return waitFor(`server ${id} connected`, () => {
    const s = api.registry.get(id);
    return s?.state.kind === 'connected' ? s : undefined;
  }, 30_000);
}
