/**
 * Entry point: builds the core, registers views and commands. Nothing else lives here. Configuration is
 * read and servers connect after activation returns, so activation stays cheap.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { type CoreSettings, hasLiveRememberedTasks, isTerminal, McpBridge, ServerRegistry, type ServerRegistryApi } from './core';
import { registerBridgeCommands } from './commands/bridgeCommands';
import { InputRequestPrompter } from './platform/InputRequestPrompter';
import { registerRunToolAsTask } from './commands/runToolAsTask';
import { registerServerCommands } from './commands/serverCommands';
import { registerResultCommands } from './commands/resultCommands';
import { registerTaskCommands } from './commands/taskCommands';
import { registerViewCommands } from './commands/viewCommands';
import { registerMcpBridgeProvider } from './platform/McpBridgeProvider';
import { MementoStorage } from './platform/MementoStorage';
import { OutputLogSink } from './platform/OutputLogSink';
import { SecretInputResolver } from './platform/SecretInputResolver';
import { ServerConfigSources } from './platform/ServerConfigSources';
import { readCoreSettings } from './platform/settings';
import { CollapsedServers } from './views/CollapsedServers';
import { describeCounts, RunningTasksStatusBar } from './views/RunningTasksStatusBar';
import { TaskCompletionNotifier } from './views/TaskCompletionNotifier';
import { TaskFilter } from './views/TaskFilter';
import { RESULT_SCHEME, TaskResultDocumentProvider } from './views/TaskResultDocumentProvider';
import { TaskTreeProvider } from './views/TaskTreeProvider';
import { inTurns } from './views/inTurns';
import type { ProblemNode, TaskTreeNode } from './views/treeNodes';

/** What activate() returns: the core and the views, for the integration tests (and other extensions). */
export interface McpTasksExtensionApi {
  readonly registry: ServerRegistryApi;
  readonly tree: TaskTreeProvider;
  readonly treeView: vscode.TreeView<TaskTreeNode>;
  readonly statusBar: RunningTasksStatusBar;
  readonly configLoaded: () => Promise<void>;
  /** The pass-through VS Code's own MCP client reaches the offered servers by. */
  readonly bridge: McpBridge;
}

export function activate(context: vscode.ExtensionContext): McpTasksExtensionApi {
  const log = vscode.window.createOutputChannel('MCP Tasks', { log: true });
  const logSink = new OutputLogSink(log);
  const prompter = new InputRequestPrompter();
  const storage = new MementoStorage(context.workspaceState);
  // Read again only after an mcpTasks setting changed: the core asks for every task of every listing page,
  // and getConfiguration was an eighth of the host's busy time with 10,000 tasks shown.
  let settingsRead: CoreSettings | undefined;
  const settings = () => (settingsRead ??= readCoreSettings());
  const registry = new ServerRegistry({
    storage,
    log: logSink,
    elicit: prompter.handler,
    settings,
    // roots/list when no VS Code session through the bridge answers it: the workspace folders.
    roots: () => (vscode.workspace.workspaceFolders ?? []).map((f) => ({ uri: f.uri.toString(), name: f.name })),
  });
  prompter.registry = registry;
  const inputs = new SecretInputResolver(context.secrets, context.globalState);
  // The user's mcp.json sits beside settings.json: <user>/globalStorage/<extension> → <user>/mcp.json.
  const userMcpJson = context.globalStorageUri.scheme === 'file' ? path.join(context.globalStorageUri.fsPath, '..', '..', 'mcp.json') : undefined;
  const sources = new ServerConfigSources(userMcpJson, inputs.resolve);

  const problems = new vscode.EventEmitter<void>();
  let problemNodes: ProblemNode[] = [];
  const filter = new TaskFilter(vscode.workspace.getConfiguration('mcpTasks').get<boolean>('showFinishedTasks', true), () => registry.servers().length);
  const tree = new TaskTreeProvider(registry, filter, { onDidChange: problems.event, problems: () => problemNodes });
  const treeDataProvider = inTurns(tree, (node) => node.kind === 'server');
  const treeView = vscode.window.createTreeView('mcpTasks.tasks', { treeDataProvider, canSelectMany: true, showCollapseAll: true });
  const collapsed = new CollapsedServers(treeView, registry, tree);
  const documents = new TaskResultDocumentProvider(registry);
  const statusBar = new RunningTasksStatusBar(registry, (counts) => {
    const n = counts.running + counts.waiting + counts.unknown;
    treeView.badge = n ? { value: n, tooltip: describeCounts(counts) } : undefined;
  });
  const notifier = new TaskCompletionNotifier(registry, () => updatePolling());

  // Poll only while someone looks, except for tasks the user started (their completion is announced). A
  // view just shown draws from what is held first: polling resumes once VS Code has fetched its rows.
  let wasVisible = false;
  function updatePolling(): void {
    const shown = treeView.visible && !wasVisible;
    wasVisible = treeView.visible;
    const apply = () => registry.setPollingPaused(!treeView.visible && notifier.pending === 0);
    if (shown) {
      tree.afterRowsServed(apply);
      collapsed.afterRowsServed();
    } else apply();
  }

  sources.onDidLoad((loaded) => {
    problemNodes = [
      ...loaded.errors.map((e): ProblemNode => ({ kind: 'problem', label: e.server ?? path.basename(e.source), detail: e.message, source: e.source })),
      ...loaded.blocked.map((s): ProblemNode => ({ kind: 'problem', label: s.name, detail: 'not started: this workspace is not trusted (its stdio servers run commands)', source: s.source })),
    ];
    registry.setConfigs(loaded.servers);
    void vscode.commands.executeCommand('setContext', 'mcpTasks.serverCount', loaded.servers.length + problemNodes.length);
    problems.fire();
  });

  // Nothing is read or connected during activate() (it runs at every startup). Servers connect once the
  // view is seen; before that only those with a task of ours still running (so its end is announced and
  // the status bar counts it), and only when such tasks are remembered is the configuration read at all.
  let awake = false;
  let firstLoad: Promise<void> | undefined;
  const load = () => (firstLoad ??= sources.loadNow());
  function wakeIfSeen(): void {
    if (awake || !treeView.visible) return;
    awake = true;
    registry.setConnectAll(true);
    void load();
  }
  registry.setConnectAll(false);
  const bridge = new McpBridge(registry, {
    log: logSink,
    settings,
    cancelAbandoned: () => vscode.workspace.getConfiguration('mcpTasks.bridge').get<boolean>('cancelAbandoned', false),
  });
  const startup = setTimeout(() => {
    if (hasLiveRememberedTasks(storage, context.workspaceState.keys())) void load();
  });

  context.subscriptions.push(
    treeView.onDidChangeVisibility(() => (wakeIfSeen(), updatePolling())),
    { dispose: () => clearTimeout(startup) },
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('mcpTasks')) settingsRead = undefined;
      if (e.affectsConfiguration('mcpTasks.showFinishedTasks')) filter.setShowFinished(vscode.workspace.getConfiguration('mcpTasks').get<boolean>('showFinishedTasks', true));
    }),
    vscode.workspace.registerTextDocumentContentProvider(RESULT_SCHEME, documents),
    ...registerTaskCommands(registry, prompter),
    ...registerResultCommands(registry),
    ...registerServerCommands(registry, sources, log),
    ...registerViewCommands(registry, filter),
    ...registerMcpBridgeProvider(registry, bridge, load),
    // A task VS Code abandoned has nobody waiting for it but us: its end is announced like one started here.
    registry.onDidChangeTasks((change) => {
      const server = registry.get(change.serverId);
      for (const t of change.changed) if (server && t.abandoned && !isTerminal(t.status)) notifier.watch(server, t);
    }),
    ...registerBridgeCommands(registry, bridge, load),
    registerRunToolAsTask(registry, (server, task) => notifier.watch(server, task)),
    vscode.commands.registerCommand('mcpTasks.clearSavedInputs', async () => {
      const n = await inputs.clear();
      void vscode.window.showInformationMessage(n ? `Forgot ${n} saved server input${n === 1 ? '' : 's'}; servers will ask again when they next start.` : 'No server inputs were saved.');
      return n;
    }),
    log, prompter, sources, problems, filter, tree, treeView, collapsed, documents, statusBar, notifier,
    { dispose: () => void bridge.dispose().then(() => registry.dispose()) },
  );
  updatePolling();
  wakeIfSeen();
  return { registry, tree, treeView, statusBar, configLoaded: () => load(), bridge };
}

export function deactivate(): void {}
