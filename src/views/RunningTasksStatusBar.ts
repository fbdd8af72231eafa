import * as vscode from 'vscode';
import { isTerminal, shownStatus, type ServerRegistryApi } from '../core';

/** Tasks still going, by kind: a status the extension does not know is neither running nor waiting. */
export interface TaskCounts {
  readonly running: number;
  readonly waiting: number;
  /** Tasks with a status the server sent that the extension does not know (still polled). */
  readonly unknown: number;
}

/** "3 running, 1 waiting for input, 1 with an unknown status": for the badge and the status bar's tooltip. */
export function describeCounts({ running, waiting, unknown }: TaskCounts): string {
  return [running && `${running} running`, waiting && `${waiting} waiting for input`, unknown && `${unknown} with an unknown status`].filter(Boolean).join(', ');
}

/** "$(sync~spin) 3 MCP tasks" while tasks run (a bell when one waits for input, a question mark for unknown statuses); click reveals the tree. */
export class RunningTasksStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('mcpTasks.running', vscode.StatusBarAlignment.Left, 50);
  private readonly listeners: vscode.Disposable[];
  private timer: NodeJS.Timeout | undefined;

  /** `onCounts` receives the counts after each update (the view's badge shows them too). */
  constructor(
    private readonly registry: ServerRegistryApi,
    private readonly onCounts: (counts: TaskCounts) => void = () => undefined,
  ) {
    this.item.name = 'MCP Tasks';
    this.item.command = 'mcpTasks.tasks.focus';
    this.listeners = [registry.onDidChangeServers(() => this.schedule()), registry.onDidChangeTasks(() => this.schedule())];
    this.schedule();
  }

  /** Running, waiting and unknown counts (also what tests read). */
  counts(): TaskCounts {
    let running = 0;
    let waiting = 0;
    let unknown = 0;
    for (const s of this.registry.servers()) {
      for (const t of s.store.list()) {
        if (shownStatus(t) === 'input_required') waiting++;
        // A task remembered from an earlier session and not confirmed yet (no status from the server at
        // all) was running when last seen: count it so. An unknown status the server sent is counted apart.
        else if (t.status === 'unknown' && t.rawStatus !== undefined) unknown++;
        else if (!isTerminal(t.status)) running++;
      }
    }
    return { running, waiting, unknown };
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
    const { running, waiting, unknown } = counts;
    if (!running && !waiting && !unknown) {
      this.item.hide();
      return;
    }
    this.item.text = [
      running && `$(sync~spin) ${running} MCP task${running === 1 ? '' : 's'}`,
      waiting && `$(bell-dot) ${waiting} waiting`,
      unknown && `$(question) ${unknown} unknown`,
    ].filter(Boolean).join('  ');
    this.item.tooltip = `MCP tasks: ${describeCounts(counts)}. Click to show them.`;
    this.item.show();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.listeners.forEach((l) => l.dispose());
    this.item.dispose();
  }
}
