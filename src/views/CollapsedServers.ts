import * as vscode from 'vscode';
import type { ServerRegistryApi } from '../core';
import type { TaskTreeProvider } from './TaskTreeProvider';
import type { TaskTreeNode } from './treeNodes';

/**
 * A collapsed server shows no rows, so none of its tasks is polled at its own rate (issue 13: never poll what
 * the view cannot show; they are left to the slow background cadence, like tasks behind "Show more").
 * Collapsing says "nothing shown"; expanding gives back the page VS Code was last given, because VS Code may
 * draw the children it already has without asking for them again. A server the user collapsed in an earlier
 * window is never asked for its children at all (VS Code keeps the collapsed state by the row's id): once the
 * rows of a view are served, a server VS Code did not ask about shows nothing either.
 */
export class CollapsedServers implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[];

  constructor(
    treeView: vscode.TreeView<TaskTreeNode>,
    private readonly registry: ServerRegistryApi,
    private readonly tree: TaskTreeProvider,
  ) {
    this.disposables = [
      treeView.onDidCollapseElement(({ element }) => {
        if (element.kind === 'server') this.registry.get(element.serverId)?.setShownTasks([]);
      }),
      treeView.onDidExpandElement(({ element }) => {
        if (element.kind !== 'server') return;
        const page = this.tree.lastPage(element.serverId);
        if (page) this.registry.get(element.serverId)?.setShownTasks(page);
      }),
      // New servers: the expanded ones are asked for their children when the tree is drawn again.
      registry.onDidChangeServers(() => this.afterRowsServed()),
    ];
  }

  /** Once VS Code has fetched the rows it draws: the servers it did not ask about are collapsed. */
  afterRowsServed(): void {
    this.tree.afterRowsServed(() => {
      for (const server of this.registry.servers()) if (!this.tree.lastPage(server.id)) server.setShownTasks([]);
    });
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}
