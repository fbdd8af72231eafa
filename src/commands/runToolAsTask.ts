import * as vscode from 'vscode';
import { type ServerRegistryApi, type TaskServerApi, type ToolInfo, type TrackedTask, errorMessage } from '../core';
import { askForSchemaValue } from './schemaForm';

/** `{ serverId, tool, args }` skips the prompts (keybindings, scripts, tests). */
interface RunRequest {
  readonly serverId?: string;
  readonly tool?: string;
  readonly args?: Record<string, unknown>;
  readonly ttlMs?: number;
}

/**
 * Pick a server, then a task-capable tool (forbidden ones hidden, required ones marked), enter arguments
 * (a form for simple schemas, JSON otherwise). The new task shows in the tree at once (the core stores it).
 * `onStarted` lets the caller remember tasks the user started (for the completion notification).
 */
export function registerRunToolAsTask(registry: ServerRegistryApi, onStarted: (server: TaskServerApi, task: TrackedTask) => void): vscode.Disposable {
  return vscode.commands.registerCommand('mcpTasks.runToolAsTask', async (arg?: unknown): Promise<TrackedTask | undefined> => {
    const req: RunRequest = typeof arg === 'object' && arg !== null ? (arg as RunRequest) : {};
    const argServerId = typeof arg === 'object' && arg !== null && 'serverId' in arg ? String((arg as { serverId: unknown }).serverId) : undefined;
    const server = await pickServer(registry, req.serverId ?? argServerId);
    if (!server) return undefined;
    let tools: ToolInfo[];
    try {
      tools = await server.listTools();
    } catch (e) {
      void vscode.window.showErrorMessage(`Could not list the tools of ${server.config.name}: ${errorMessage(e)}`);
      return undefined;
    }
    const tool = req.tool ? tools.find((t) => t.name === req.tool) : await pickTool(server, tools);
    if (!tool) {
      if (req.tool) void vscode.window.showErrorMessage(`${server.config.name} has no tool "${req.tool}".`);
      return undefined;
    }
    const args = req.args ?? (await askForSchemaValue(tool.inputSchema, `Arguments for ${tool.name}`));
    if (!args) return undefined;
    try {
      const task = await server.callToolAsTask(tool.name, args, req.ttlMs);
      onStarted(server, task);
      return task;
    } catch (e) {
      void vscode.window.showErrorMessage(`Could not start ${tool.name} on ${server.config.name}: ${errorMessage(e)}`);
      return undefined;
    }
  });
}

const CONNECT_WAIT_MS = 10_000;

/**
 * The connected servers that run tools as tasks. The editor connects servers only once someone looks (or a
 * task of ours runs on them): when none is ready, this shows the view, which connects them, and waits a
 * little for the first.
 */
async function capableServers(registry: ServerRegistryApi): Promise<TaskServerApi[]> {
  const capable = () => registry.servers().filter((s) => s.state.kind === 'connected' && s.state.capabilities.toolCall);
  const settled = () => registry.servers().length > 0 && registry.servers().every((s) => s.state.kind === 'connected' || s.state.kind === 'failed');
  if (capable().length || settled()) return capable();
  await vscode.commands.executeCommand('mcpTasks.tasks.focus');
  registry.setConnectAll(true);
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Connecting to MCP servers…' }, () =>
    new Promise<void>((resolve) => {
      const check = () => (capable().length || settled()) && finish();
      const listeners = [registry.onDidChangeServerState(check), registry.onDidChangeServers(check)];
      const timer = setTimeout(() => finish(), CONNECT_WAIT_MS);
      const finish = () => {
        clearTimeout(timer);
        listeners.forEach((l) => l.dispose());
        resolve();
      };
      check();
    }),
  );
  return capable();
}

async function pickServer(registry: ServerRegistryApi, serverId: string | undefined): Promise<TaskServerApi | undefined> {
  if (serverId) {
    const s = registry.get(serverId);
    if (!s) void vscode.window.showErrorMessage(`The server "${serverId}" is not configured.`);
    return s;
  }
  const capable = await capableServers(registry);
  if (!capable.length) {
    void vscode.window.showInformationMessage('No connected MCP server accepts tools as tasks.');
    return undefined;
  }
  if (capable.length === 1) return capable[0];
  const picked = await vscode.window.showQuickPick(
    capable.map((s) => ({ label: s.config.name, description: s.config.type, server: s })),
    { title: 'Run Tool as Task', placeHolder: 'Pick the server to run a tool on' },
  );
  return picked?.server;
}

async function pickTool(server: TaskServerApi, tools: readonly ToolInfo[]): Promise<ToolInfo | undefined> {
  const usable = tools.filter((t) => t.taskSupport !== 'forbidden');
  if (!usable.length) {
    void vscode.window.showInformationMessage(`${server.config.name} has no tool that can run as a task.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    usable.map((t) => ({
      label: t.title ?? t.name,
      description: t.taskSupport === 'required' ? 'task required' : 'task optional',
      // Descriptions are Markdown; a pick list shows plain text, so code spans lose their backticks.
      detail: t.description?.replace(/`([^`]+)`/g, '$1'),
      tool: t,
    })),
    { title: `Run Tool as Task: ${server.config.name}`, placeHolder: 'Pick the tool to run as a background task', matchOnDetail: true },
  );
  return picked?.tool;
}
