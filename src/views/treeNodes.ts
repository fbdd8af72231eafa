/**
 * Tree elements: small identity objects (server id, task id), cached so the same object is fired when its
 * state changes. Their look is computed from the core's store in `TaskTreeProvider.getTreeItem`.
 */
export class ServerNode {
  readonly kind = 'server';
  constructor(readonly serverId: string) {}
}

export class TaskNode {
  readonly kind = 'task';
  constructor(
    readonly serverId: string,
    readonly taskId: string,
  ) {}
}

export class LoadMoreNode {
  readonly kind = 'loadMore';
  constructor(readonly serverId: string) {}
}

/** A configuration problem or a server that was not started (e.g. untrusted workspace). */
export class ProblemNode {
  readonly kind = 'problem';
  constructor(
    readonly label: string,
    readonly detail: string,
    readonly source?: string,
  ) {}
}

/** A line of text under a server: "No tasks", or why it is not connected. */
export class MessageNode {
  readonly kind = 'message';
  constructor(
    readonly serverId: string,
    readonly label: string,
    readonly icon?: string,
  ) {}
}

export type TaskTreeNode = ServerNode | TaskNode | LoadMoreNode | ProblemNode | MessageNode;
