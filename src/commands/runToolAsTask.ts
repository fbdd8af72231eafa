import * as vscode from 'vscode';
import { type ServerRegistryApi, type TaskServerApi, type ToolInfo, type TrackedTask, errorMessage } from '../core';
import { BACK, pickOne, type Back } from './quickInput';
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
 * (a form for simple schemas, JSON otherwise), as one multi-step input: Back returns from the arguments to
 * the tool list and from there to the server list. The new task shows in the tree at once (the core stores
 * it). `onStarted` lets the caller remember tasks the user started (for the completion notification).
 */
export function registerRunToolAsTask(registry: ServerRegistryApi, onStarted: (server: TaskServerApi, task: TrackedTask) => void): vscode.Disposable {
  return vscode.commands.registerCommand('mcpTasks.runToolAsTask', async (arg?: unknown): Promise<TrackedTask | undefined> => {
    const req: RunRequest = typeof arg === 'object' && arg !== null ? (arg as RunRequest) : {};
    const argServerId = typeof arg === 'object' && arg !== null && 'serverId' in arg ? String((arg as { serverId: unknown }).serverId) : undefined;
    const chosen = await chooseServer(registry, req.serverId ?? argServerId);
    if (!chosen) return undefined;
    const { choices } = chosen;
    let server = chosen.server;
    let tools: ToolInfo[] | undefined;
    let tool: ToolInfo | undefined;
    // The steps actually asked: the server list only when there is a choice, the tool list unless given.
    let stage: 'server' | 'tool' | 'args' = server ? 'tool' : 'server';
    for (;;) {
      const serverStep = choices ? 1 : 0;
      if (stage === 'server') {
        const picked = await pickOne(
          choices!.map((s) => ({ label: s.config.name, description: s.config.type, server: s })),
          { title: 'Run Tool as Task', step: 1, totalSteps: 3, placeholder: 'Pick the server to run a tool on', activeIndex: server ? choices!.indexOf(server) : undefined },
        );
        if (!picked || picked === BACK) return undefined;
        if (picked.server !== server) tools = undefined;
        server = picked.server;
        stage = 'tool';
        continue;
      }
      const current = server!;
      if (stage === 'tool') {
        try {
          tools ??= await current.listTools();
        } catch (e) {
          void vscode.window.showErrorMessage(`Could not list the tools of ${current.config.name}: ${errorMessage(e)}`);
          return undefined;
        }
        if (req.tool) {
          tool = tools.find((t) => t.name === req.tool);
          if (!tool) void vscode.window.showErrorMessage(`${current.config.name} has no tool "${req.tool}".`);
        } else {
          const picked = await pickTool(current, tools, { step: serverStep + 1, back: !!choices, active: tool });
          if (picked === BACK) {
            stage = 'server';
            continue;
          }
          tool = picked;
        }
        if (!tool) return undefined;
        stage = 'args';
        continue;
      }
      const before = serverStep + (req.tool ? 0 : 1);
      const args = req.args ?? (await askForSchemaValue(tool!.inputSchema, `Arguments for ${tool!.name}`, { stepsBefore: before, back: before > 0 }));
      if (args === BACK) {
        stage = req.tool ? 'server' : 'tool';
        continue;
      }
      if (!args) return undefined;
      try {
        const task = await current.callToolAsTask(tool!.name, args, req.ttlMs);
        onStarted(current, task);
        return task;
      } catch (e) {
        void vscode.window.showErrorMessage(`Could not start ${tool!.name} on ${current.config.name}: ${errorMessage(e)}`);
        return undefined;
      }
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

/** The given server, the only capable one, or the capable ones to choose from (`choices`). */
async function chooseServer(registry: ServerRegistryApi, serverId: string | undefined): Promise<{ server?: TaskServerApi; choices?: TaskServerApi[] } | undefined> {
  if (serverId) {
    const s = registry.get(serverId);
    if (!s) void vscode.window.showErrorMessage(`The server "${serverId}" is not configured.`);
    return s ? { server: s } : undefined;
  }
  const capable = await capableServers(registry);
  if (!capable.length) {
    void vscode.window.showInformationMessage('No connected MCP server accepts tools as tasks.');
    return undefined;
  }
  return capable.length === 1 ? { server: capable[0] } : { choices: capable };
}

async function pickTool(server: TaskServerApi, tools: readonly ToolInfo[], at: { step: number; back: boolean; active?: ToolInfo }): Promise<ToolInfo | Back | undefined> {
  const usable = tools.filter((t) => t.taskSupport !== 'forbidden');
  if (!usable.length) {
    void vscode.window.showInformationMessage(`${server.config.name} has no tool that can run as a task.`);
    return undefined;
  }
  const picked = await pickOne(
    usable.map((t) => ({
      label: t.title ?? t.name,
      description: t.taskSupport === 'required' ? 'task required' : 'task optional',
      // Descriptions are Markdown; a pick list shows plain text, so code spans lose their backticks.
      detail: t.description?.replace(/`([^`]+)`/g, '$1'),
      tool: t,
    })),
    {
      title: `Run Tool as Task: ${server.config.name}`,
      step: at.step,
      totalSteps: at.step + 1,
      back: at.back,
      placeholder: 'Pick the tool to run as a background task',
      matchOnDetail: true,
      ...(at.active && usable.includes(at.active) ? { activeIndex: usable.indexOf(at.active) } : {}),
    },
  );
  return picked === BACK ? BACK : picked?.tool;
}
