import * as vscode from 'vscode';
import { isTerminal, type ServerRegistryApi, type TaskChange, taskKey, type TaskServerApi } from '../core';
import type { TaskFilter } from './TaskFilter';
import { HoverHold } from './HoverHold';
import { RowsServed } from './RowsServed';
import { compareNames, ServerOrder } from './taskPaging';
import { loadMoreItem, messageItem, problemItem, serverItem, showMoreItem, taskItem } from './treeItems';
import { serverTooltip, taskTooltip } from './taskTooltip';
import type { ProblemNode, ServerNode, ShowMoreNode, TaskNode, TaskTreeNode } from './treeNodes';

/** Configuration problems and servers not started, shown above the servers. */
export interface ProblemSource {
  readonly onDidChange: vscode.Event<void>;
  problems(): readonly ProblemNode[];
}

/** What VS Code was last given as a server's children. */
interface Shown {
  /** The page's task ids, in order. */
  readonly page: readonly string[];
  readonly ids: ReadonlySet<string>;
  /** Tasks beyond the page (the "Show more" row's count). */
  readonly remaining: number;
  /** The task count its description shows. */
  readonly size: number;
}

/**
 * Servers → tasks, read from the core's stores, a page per server (live tasks first, then the newest
 * finished; a "Show more" row for the rest). Store events fire only the elements that changed: a task on
 * its page whose state changed, or its server when its page or the counts in its description changed.
 * Tooltips are left undefined and filled in `resolveTreeItem` (on hover).
 */
export class TaskTreeProvider implements vscode.TreeDataProvider<TaskTreeNode>, vscode.Disposable {
  private readonly onDidChangeEmitter = new vscode.EventEmitter<TaskTreeNode | TaskTreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.onDidChangeEmitter.event;

  private readonly serverNodes = new Map<string, ServerNode>();
  private readonly taskNodes = new Map<string, TaskNode>();
  private readonly moreNodes = new Map<string, ShowMoreNode>();
  private readonly orders = new Map<string, ServerOrder>();
  private readonly shown = new Map<string, Shown>();
  /**
   * Servers whose order or size may have changed since the last flush, with what VS Code had been given
   * before the change: has their page changed?
   */
  private readonly dirty = new Map<string, Shown>();
  private readonly disposables: vscode.Disposable[] = [];
  private pending = new Set<TaskTreeNode>();
  private pendingAll = false;
  private flushTimer: NodeJS.Timeout | undefined;
  private flushAt = 0;
  /** Not before this time are pages settled again (see PAGE_SETTLE_MS). */
  private settleAfter = 0;
  private readonly hoverHold = new HoverHold();
  private readonly rowsServed = new RowsServed();

  constructor(
    private readonly registry: ServerRegistryApi,
    private readonly filter: TaskFilter,
    private readonly problems: ProblemSource,
  ) {
    this.disposables.push(
      registry.onDidChangeServers(() => this.syncServers()),
      registry.onDidChangeTasks((change) => this.onTasksChanged(change)),
      registry.onDidChangeServerState((server) => this.fire(this.serverNode(server.id))),
      filter.onDidChange(() => (this.orders.forEach((o) => o.invalidate()), this.refreshAll())),
      filter.onDidShowMore((serverId) => this.fire(this.serverNode(serverId))),
      problems.onDidChange(() => this.refreshAll()),
    );
    this.refreshAll();
  }

  refreshAll(): void {
    this.pendingAll = true;
    this.scheduleFlush();
  }

  getTreeItem(node: TaskTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'server':
        return serverItem(node, this.registry.get(node.serverId));
      case 'task':
        return taskItem(node, this.registry.get(node.serverId)?.store.get(node.taskId));
      case 'showMore':
        return showMoreItem(node, this.shown.get(node.serverId)?.remaining ?? 0);
      case 'loadMore':
        return loadMoreItem(node);
      case 'message':
        return messageItem(node);
      case 'problem':
        return problemItem(node);
    }
  }

  /** Runs `fn` once VS Code has fetched the rows it draws (see RowsServed). */
  afterRowsServed(fn: () => void): void {
    this.rowsServed.then(fn);
  }

  getChildren(node?: TaskTreeNode): TaskTreeNode[] {
    this.rowsServed.asked();
    if (!node) {
      const servers = this.registry
        .servers()
        .slice()
        .sort((a, b) => compareNames(a.config.name, b.config.name))
        .map((s) => this.serverNode(s.id));
      return [...this.problems.problems(), ...servers];
    }
    if (node.kind !== 'server') return [];
    const server = this.registry.get(node.serverId);
    if (!server) return [];
    const { tasks, remaining } = this.orderOf(server).page(this.filter.pageLimit(server.id));
    const page = tasks.map((t) => t.taskId);
    this.shown.set(server.id, { page, ids: new Set(page), remaining, size: server.store.size });
    server.setShownTasks(page); // only shown (or awaited) tasks are polled at their own rate
    const children: TaskTreeNode[] = [];
    // Not connected: say why first (the row itself stays short).
    const reason = server.state.kind === 'failed' || server.state.kind === 'disconnected' ? server.state.reason : undefined;
    if (reason) children.push({ kind: 'message', serverId: server.id, label: reason, icon: 'warning' });
    for (const id of page) children.push(this.taskNode(server.id, id));
    if (remaining) children.push(this.moreNode(server.id));
    if (server.hasMore) children.push({ kind: 'loadMore', serverId: server.id });
    // Like the Testing and Source Control views: an empty group says so instead of expanding to nothing.
    if (!children.length) children.push({ kind: 'message', serverId: server.id, label: server.store.size ? 'No tasks match the filter' : server.state.kind === 'connected' ? 'No tasks' : 'No tasks yet' });
    return children;
  }

  getParent(node: TaskTreeNode): TaskTreeNode | undefined {
    return node.kind === 'task' || node.kind === 'showMore' || node.kind === 'loadMore' || node.kind === 'message' ? this.serverNodes.get(node.serverId) : undefined;
  }

  async resolveTreeItem(item: vscode.TreeItem, node: TaskTreeNode, token: vscode.CancellationToken): Promise<vscode.TreeItem> {
    if (node.kind === 'server') {
      const server = this.registry.get(node.serverId);
      if (server) item.tooltip = serverTooltip(server);
      return item;
    }
    if (node.kind !== 'task') return item;
    this.hoverHold.hold(node.serverId, node.taskId); // from now: a re-render while we fetch would cancel the card
    const server = this.registry.get(node.serverId);
    let task = server?.store.get(node.taskId);
    if (!server || !task) return item;
    // A peek should be current: ask the server when what we hold is older than its poll interval.
    const staleAfter = task.pollInterval ?? 1000;
    if (!isTerminal(task.status) && server.state.kind === 'connected' && Date.now() - task.fetchedAt > staleAfter) {
      task = await server.getTaskStatus(task.taskId).catch(() => server.store.get(node.taskId) ?? task!);
    }
    let outcome = server.cachedOutcome(task.taskId);
    if (!outcome && (task.status === 'completed' || task.status === 'failed') && server.state.kind === 'connected' && !token.isCancellationRequested) {
      outcome = await server.getTaskResult(task.taskId).catch(() => undefined);
    }
    item.tooltip = taskTooltip(server, task, outcome);
    this.hoverHold.hold(node.serverId, node.taskId);
    return item;
  }

  /** The task ids VS Code was last given as the server's children (undefined: it never asked). */
  lastPage(serverId: string): readonly string[] | undefined {
    return this.shown.get(serverId)?.page;
  }

  /** The node for a task, for `reveal`. */
  nodeFor(serverId: string, taskId?: string): TaskTreeNode {
    return taskId ? this.taskNode(serverId, taskId) : this.serverNode(serverId);
  }

  private serverNode(id: string): ServerNode {
    let n = this.serverNodes.get(id);
    if (!n) this.serverNodes.set(id, (n = { kind: 'server', serverId: id }));
    return n;
  }

  private moreNode(serverId: string): ShowMoreNode {
    let n = this.moreNodes.get(serverId);
    if (!n) this.moreNodes.set(serverId, (n = { kind: 'showMore', serverId }));
    return n;
  }

  private orderOf(server: TaskServerApi): ServerOrder {
    let o = this.orders.get(server.id);
    if (!o) this.orders.set(server.id, (o = new ServerOrder(() => server.store.list(), (t) => this.filter.shows(t.serverId, t.taskId, t.status))));
    return o;
  }

  private taskNode(serverId: string, taskId: string): TaskNode {
    const key = taskKey(serverId, taskId);
    let n = this.taskNodes.get(key);
    if (!n) this.taskNodes.set(key, (n = { kind: 'task', serverId, taskId }));
    return n;
  }

  /** Servers came or went: forget the nodes of those gone, and draw the tree again. */
  private syncServers(): void {
    for (const id of this.serverNodes.keys()) {
      if (this.registry.get(id)) continue;
      this.serverNodes.delete(id);
      this.shown.delete(id);
      this.orders.delete(id);
      this.moreNodes.delete(id);
      for (const [key, node] of this.taskNodes) if (node.serverId === id) this.taskNodes.delete(key);
    }
    this.refreshAll();
  }

  /** O(changes), not O(tasks): this runs for every burst of status pushes. */
  private onTasksChanged(change: TaskChange): void {
    const server = this.registry.get(change.serverId);
    if (!server) return;
    const moved = this.orders.get(server.id)?.take(change.changed) ?? false;
    const shown = this.shown.get(server.id);
    if (!shown) return; // never expanded: nothing rendered to update
    if (moved || server.store.size !== shown.size) {
      // Whether the page changed is settled once per flush (ordering again is O(tasks)).
      if (!this.dirty.has(server.id)) this.dirty.set(server.id, shown);
      this.scheduleFlush();
    }
    for (const t of change.changed) if (shown.ids.has(t.taskId)) this.fire(this.taskNode(server.id, t.taskId));
  }

  /** Servers whose page or count differs from what VS Code was given are fired (and their tasks need not be). */
  private settleDirty(): void {
    for (const [id, shown] of this.dirty) {
      const server = this.registry.get(id);
      if (!server) continue;
      const now = this.orderOf(server).page(this.filter.pageLimit(id));
      const same = now.remaining === shown.remaining && server.store.size === shown.size && now.tasks.length === shown.page.length && now.tasks.every((t, i) => t.taskId === shown.page[i]);
      if (same) continue;
      const node = this.serverNode(id);
      // Its rows repaint with it, unless it waits for a hover: then they repaint now and it after.
      if (!this.hoverHold.holds(node)) for (const n of this.pending) if (n.kind === 'task' && n.serverId === id) this.pending.delete(n);
      this.pending.add(node);
    }
    this.dirty.clear();
  }

  /** A dirty server holds tasks it did not hold before: new tasks are shown at once, not after a settle pause. */
  private tasksCame(): boolean {
    for (const [id, base] of this.dirty) if ((this.registry.get(id)?.store.size ?? base.size) !== base.size) return true;
    return false;
  }

  /** Coalesces fires within one short window into one event naming just those elements. */
  private fire(node: TaskTreeNode): void {
    this.pending.add(node);
    this.scheduleFlush();
  }

  private scheduleFlush(delayMs = FLUSH_MS): void {
    // A change waits at most FLUSH_MS, even when a flush is already due later (a held row, a page settling).
    const at = Date.now() + delayMs;
    if (this.flushTimer && this.flushAt <= at) return;
    clearTimeout(this.flushTimer);
    this.flushAt = at;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      if (this.pendingAll) {
        this.pendingAll = false;
        this.pending.clear();
        this.dirty.clear();
        this.onDidChangeEmitter.fire(undefined);
        return;
      }
      if (this.dirty.size && (Date.now() >= this.settleAfter || this.tasksCame())) {
        this.settleDirty();
        this.settleAfter = Date.now() + PAGE_SETTLE_MS;
      }
      const nodes: TaskTreeNode[] = [];
      for (const n of this.pending) if (!this.hoverHold.holds(n)) nodes.push(n);
      for (const n of nodes) this.pending.delete(n);
      if (nodes.length) this.onDidChangeEmitter.fire(nodes);
      const held = this.pending.size ? this.hoverHold.remainingMs() : Infinity;
      const settle = this.dirty.size ? Math.max(0, this.settleAfter - Date.now()) : Infinity;
      if (Math.min(held, settle) < Infinity) this.scheduleFlush(Math.min(held, settle));
    }, delayMs);
  }

  dispose(): void {
    clearTimeout(this.flushTimer);
    this.rowsServed.dispose();
    this.disposables.forEach((d) => d.dispose());
    this.onDidChangeEmitter.dispose();
  }
}

/**
 * Changes are rendered in batches at most this often: tasks reporting progress every second should not
 * make the tree repaint several times a second (which also keeps closing the hover before it opens).
 */
const FLUSH_MS = 250;
/**
 * A page is re-settled (its server fired, VS Code fetching its page again) at most this often: while tasks
 * finish in a burst their rows repaint at once, and move behind the live ones together, not four times a second.
 */
const PAGE_SETTLE_MS = 1000;
