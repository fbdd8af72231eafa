import * as vscode from 'vscode';
import { isTerminal, taskKey, type TrackedStatus } from '../core';
import { firstPage, PAGE_SIZE } from './taskPaging';

/**
 * Which tasks the tree shows: a status set, "hide finished" (the `mcpTasks.showFinishedTasks` setting), and
 * how many rows of each server (its page, grown by "Show more").
 */
export class TaskFilter {
  private readonly onDidChangeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.onDidChangeEmitter.event;
  private readonly onDidShowMoreEmitter = new vscode.EventEmitter<string>();
  /** A server's page grew (its id): only that server's rows change. */
  readonly onDidShowMore = this.onDidShowMoreEmitter.event;
  private readonly pages = new Map<string, number>();
  private hidden = new Set<TrackedStatus>();
  /** Finished tasks the user cleared from the view (by `taskKey`); the core keeps them. */
  private readonly cleared = new Set<string>();

  /** `servers`: how many servers the tree shows (their first pages share out about a few screens of rows). */
  constructor(
    private showFinished: boolean,
    private readonly servers: () => number = () => 1,
  ) {}

  get hiddenStatuses(): ReadonlySet<TrackedStatus> {
    return this.hidden;
  }

  get finishedShown(): boolean {
    return this.showFinished;
  }

  shows(serverId: string, taskId: string, status: TrackedStatus): boolean {
    if (isTerminal(status) && (!this.showFinished || this.cleared.has(taskKey(serverId, taskId)))) return false;
    return !this.hidden.has(status);
  }

  /** How many of a server's tasks the tree shows at most. */
  pageLimit(serverId: string): number {
    return this.pages.get(serverId) ?? firstPage(this.servers());
  }

  showMore(serverId: string): void {
    this.pages.set(serverId, this.pageLimit(serverId) + PAGE_SIZE);
    this.onDidShowMoreEmitter.fire(serverId);
  }

  /** Hides these finished tasks from the view from now on. */
  clearFinished(tasks: Iterable<{ serverId: string; taskId: string; status: TrackedStatus }>): number {
    let n = 0;
    for (const t of tasks) {
      const key = taskKey(t.serverId, t.taskId);
      if (isTerminal(t.status) && !this.cleared.has(key)) {
        this.cleared.add(key);
        n++;
      }
    }
    if (n) this.onDidChangeEmitter.fire();
    return n;
  }

  setHidden(statuses: Iterable<TrackedStatus>): void {
    this.hidden = new Set(statuses);
    this.onDidChangeEmitter.fire();
  }

  setShowFinished(show: boolean): void {
    if (show === this.showFinished) return;
    this.showFinished = show;
    this.onDidChangeEmitter.fire();
  }

  dispose(): void {
    this.onDidChangeEmitter.dispose();
    this.onDidShowMoreEmitter.dispose();
  }
}
