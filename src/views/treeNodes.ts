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

export type TaskTreeNode = ServerNode | TaskNode | LoadMoreNode | ProblemNode | MessageNode;
