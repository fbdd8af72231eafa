import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import * as vscode from 'vscode';
import { type ConfigError, type InputResolver, loadMcpConfigFiles, type McpConfigFile, type ParsedConfig, parseServersSetting, type ServerConfig } from '../core';

export interface LoadedConfig {
  /** What may be started. */
  readonly servers: readonly ServerConfig[];
  readonly errors: readonly ConfigError[];
  /** Workspace-defined stdio servers held back because the workspace is not trusted. */
  readonly blocked: readonly ServerConfig[];
}

/**
 * Where servers come from: the `mcpTasks.servers` setting (user and workspace levels), each workspace
 * folder's `.vscode/mcp.json` and the user's `mcp.json`. Watches all of them and reloads on change, on
 * settings change, on folder change and when the workspace becomes trusted. Parsing is the core's.
 */
export class ServerConfigSources implements vscode.Disposable {
  private readonly onDidLoadEmitter = new vscode.EventEmitter<LoadedConfig>();
  readonly onDidLoad = this.onDidLoadEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private watchers: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private loading: Promise<void> = Promise.resolve();
  private current: LoadedConfig = { servers: [], errors: [], blocked: [] };

  constructor(
    private readonly userMcpJsonPath: string | undefined,
    private readonly resolveInput: InputResolver,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('mcpTasks') && this.reload()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => (this.watch(), this.reload())),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.reload()),
    );
    this.watch();
  }

  /** Loads soon; bursts of changes (a save touching several files) make one load. */
  reload(delayMs = 150): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.loadNow(), delayMs);
  }

  /** Loads now, after any load under way (loads never overlap: inputs are prompted one at a time). */
  loadNow(): Promise<void> {
    this.loading = this.loading.then(() => this.load()).catch((e: unknown) => {
      this.current = { servers: [], blocked: [], errors: [{ source: 'configuration', message: `could not be read: ${e instanceof Error ? e.message : String(e)}` }] };
      this.onDidLoadEmitter.fire(this.current);
    });
    return this.loading;
  }

  /** The workspace's own mcp.json (first folder), for "Open Workspace mcp.json". */
  workspaceMcpJson(): vscode.Uri | undefined {
    const folder = vscode.workspace.workspaceFolders?.[0];
    return folder && vscode.Uri.joinPath(folder.uri, '.vscode', 'mcp.json');
  }

  private files(): McpConfigFile[] {
    const cfg = vscode.workspace.getConfiguration('mcpTasks');
    const files: McpConfigFile[] = [];
    if (cfg.get<boolean>('readUserMcpJson', true) && this.userMcpJsonPath) files.push({ path: this.userMcpJsonPath, fromWorkspace: false });
    if (cfg.get<boolean>('readWorkspaceMcpJson', true)) {
      for (const f of vscode.workspace.workspaceFolders ?? []) {
        if (f.uri.scheme !== 'file') continue;
        files.push({ path: path.join(f.uri.fsPath, '.vscode', 'mcp.json'), fromWorkspace: true, workspaceFolder: f.uri.fsPath });
      }
    }
    return files;
  }

  /**
   * `mcpTasks.servers` is resource-scoped: besides the user and workspace values, each folder of a
   * multi-root workspace may have its own, read with that folder as the resource (without one, folder
   * values are never seen); `${workspaceFolder}` in it means that folder.
   */
  private settingsSources(): ParsedConfig[] {
    const inspected = vscode.workspace.getConfiguration('mcpTasks').inspect<unknown>('servers');
    const sources: ParsedConfig[] = [];
    if (inspected?.globalValue !== undefined) sources.push(parseServersSetting(inspected.globalValue, { source: 'user settings', fromWorkspace: false }));
    if (inspected?.workspaceValue !== undefined) sources.push(parseServersSetting(inspected.workspaceValue, { source: 'workspace settings', fromWorkspace: true }));
    const folders = vscode.workspace.workspaceFolders ?? [];
    for (const folder of folders) {
      const value = vscode.workspace.getConfiguration('mcpTasks', folder.uri).inspect<unknown>('servers')?.workspaceFolderValue;
      // In a single-folder window the folder value is the workspace value, already read above (inspect
      // returns a fresh object each call: compare contents, or every server would be defined twice).
      if (value === undefined || (folders.length === 1 && isDeepStrictEqual(value, inspected?.workspaceValue))) continue;
      const source = folders.length > 1 ? `folder settings (${folder.name})` : 'folder settings';
      sources.push(parseServersSetting(value, { source, fromWorkspace: true, ...(folder.uri.scheme === 'file' ? { workspaceFolder: folder.uri.fsPath } : {}) }));
    }
    return sources;
  }

  private async load(): Promise<void> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const result = await loadMcpConfigFiles(this.files(), {
      otherSources: this.settingsSources(),
      workspaceFolder: folders[0]?.uri.fsPath,
      workspaceFolders: folders.map((f) => ({ name: f.name, path: f.uri.fsPath })),
      resolveInput: this.resolveInput,
    });
    // Restricted mode: a workspace must not make us run its commands until the user trusts it.
    const trusted = vscode.workspace.isTrusted;
    const blocked = trusted ? [] : result.servers.filter((s) => s.type === 'stdio' && s.fromWorkspace);
    this.current = { servers: result.servers.filter((s) => !blocked.includes(s)), errors: result.errors, blocked };
    this.onDidLoadEmitter.fire(this.current);
  }

  private watch(): void {
    this.watchers.forEach((w) => w.dispose());
    this.watchers = [];
    const patterns: vscode.GlobPattern[] = (vscode.workspace.workspaceFolders ?? []).map((f) => new vscode.RelativePattern(f, '.vscode/mcp.json'));
    if (this.userMcpJsonPath) patterns.push(new vscode.RelativePattern(vscode.Uri.file(path.dirname(this.userMcpJsonPath)), path.basename(this.userMcpJsonPath)));
    for (const p of patterns) {
      const w = vscode.workspace.createFileSystemWatcher(p);
      w.onDidCreate(() => this.reload());
      w.onDidChange(() => this.reload());
      w.onDidDelete(() => this.reload());
      this.watchers.push(w);
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.watchers.forEach((w) => w.dispose());
    this.disposables.forEach((d) => d.dispose());
    this.onDidLoadEmitter.dispose();
  }
}
