/**
 * Tree elements: small identity objects (server id, task id), cached by the provider so the same object is
 * fired when its state changes. Their look is computed from the core's store in `TaskTreeProvider.getTreeItem`.
 */
export interface ServerNode {
  readonly kind: 'server';
  readonly serverId: string;
}

export interface TaskNode {
  readonly kind: 'task';
  readonly serverId: string;
  readonly taskId: string;
}

/** "Show 100 more (9,880 not shown)": grows its server's page (the tasks are held; VS Code is given a page). */
export interface ShowMoreNode {
  readonly kind: 'showMore';
  readonly serverId: string;
}

/** "Load more…": the server has tasks beyond what one sweep lists; fetches the next page from it. */
export interface LoadMoreNode {
  readonly kind: 'loadMore';
  readonly serverId: string;
}

/** A configuration problem or a server that was not started (e.g. untrusted workspace). */
export interface ProblemNode {
  readonly kind: 'problem';
  readonly label: string;
  readonly detail: string;
  readonly source?: string;
}

/** A line of text under a server: "No tasks", or why it is not connected. */
export interface MessageNode {
  readonly kind: 'message';
  readonly serverId: string;
  readonly label: string;
  readonly icon?: string;
}

export type TaskTreeNode = ServerNode | TaskNode | ShowMoreNode | LoadMoreNode | ProblemNode | MessageNode;
