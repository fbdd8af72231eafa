import type { TaskTreeNode } from './treeNodes';

/**
 * While a task's hover card opens (and is read), a repaint of its row closes it; with tasks that report
 * progress every second the card could not be read. So that row's updates, and its server's (a server's
 * repaint redraws its rows), wait a few seconds after the card is resolved, batched and none lost. Only
 * those: holding the whole tree left other rows stale for seconds while the pointer rested on one (an e2e
 * screenshot showed a task's toast asking for input while its row still said working). VS Code tells us when
 * a hover starts (resolveTreeItem), not when it ends.
 */
export class HoverHold {
  private held: { readonly serverId: string; readonly taskId: string; until: number } | undefined;

  /** A card for this task is being resolved: hold its row from now. */
  hold(serverId: string, taskId: string): void {
    this.held = { serverId, taskId, until: Date.now() + HOVER_HOLD_MS };
  }

  /** Does a repaint of this element wait? */
  holds(node: TaskTreeNode): boolean {
    const h = this.held;
    if (!h || h.until <= Date.now()) return false;
    if (node.kind === 'server') return node.serverId === h.serverId;
    return node.kind === 'task' && node.taskId === h.taskId && node.serverId === h.serverId;
  }

  /** Milliseconds until what is held may be repainted (0 when nothing is). */
  remainingMs(): number {
    return Math.max(0, (this.held?.until ?? 0) - Date.now());
  }
}

const HOVER_HOLD_MS = 4000;
