import * as vscode from 'vscode';
import { isTerminal, type ServerRegistryApi } from '../core';

/** "$(sync~spin) 3 MCP tasks" while tasks run (and a bell when one waits for input); click reveals the tree. */
export class RunningTasksStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('mcpTasks.running', vscode.StatusBarAlignment.Left, 50);
  private readonly listeners: vscode.Disposable[];
  private timer: NodeJS.Timeout | undefined;

  /** `onCounts` receives the counts after each update (the view's badge shows them too). */
  constructor(
    private readonly registry: ServerRegistryApi,
    private readonly onCounts: (counts: { running: number; waiting: number }) => void = () => undefined,
  ) {
    this.item.name = 'MCP Tasks';
    this.item.command = 'mcpTasks.tasks.focus';
    this.listeners = [registry.onDidChangeServers(() => this.schedule()), registry.onDidChangeTasks(() => this.schedule())];
    this.schedule();
  }

  /** Running and waiting counts (also what tests read). */
  counts(): { running: number; waiting: number } {
    let running = 0;
    let waiting = 0;
    for (const s of this.registry.servers()) {
      for (const t of s.store.list()) {
        if (t.status === 'input_required') waiting++;
        else if (!isTerminal(t.status)) running++;
      }
    }
    return { running, waiting };
  }

  get text(): string {
    return this.item.text;
  }

  /** Counting is O(tasks): do it once per burst of changes. */
  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.update();
    }, 100);
  }

  private update(): void {
    const counts = this.counts();
    this.onCounts(counts);
    const { running, waiting } = counts;
    if (!running && !waiting) {
      this.item.hide();
      return;
    }
    this.item.text = [running && `$(sync~spin) ${running} MCP task${running === 1 ? '' : 's'}`, waiting && `$(bell-dot) ${waiting} waiting`].filter(Boolean).join('  ');
    this.item.tooltip = 'MCP tasks running on your servers. Click to show them.';
    this.item.show();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.listeners.forEach((l) => l.dispose());
    this.item.dispose();
  }
}
