/**
 * `notifications/tasks/status` on their way to the store. Pushes may repeat (seen over Streamable HTTP):
 * the same state twice is handled once. A push about a task we have never seen is confirmed with
 * tasks/get before it is shown: servers have been seen pushing about ids they never created. (Our own new
 * task's first push may beat the reply to tools/call; confirming it costs one request.)
 */
import type { TaskSnapshot } from '../protocol/TaskProtocol';
import { RecentKeys } from '../util/RecentKeys';

export interface StatusPushesDeps {
  readonly isHeld: (taskId: string) => boolean;
  readonly apply: (snapshot: TaskSnapshot) => void;
  /** Asks the server about the task and applies the answer; never rejects. */
  readonly confirm: (taskId: string) => Promise<void>;
}

export class StatusPushes {
  private readonly recent = new RecentKeys();
  private readonly confirming = new Set<string>();

  constructor(private readonly deps: StatusPushesDeps) {}

  receive(snapshot: TaskSnapshot): void {
    const key = `${snapshot.taskId}\u0000${snapshot.lastUpdatedAt}\u0000${snapshot.status}\u0000${snapshot.statusMessage}`;
    if (!this.recent.add(key)) {
      return;
    }
    if (this.deps.isHeld(snapshot.taskId)) {
      this.deps.apply(snapshot);
      return;
    }
    if (!this.confirming.has(snapshot.taskId)) {
      this.confirming.add(snapshot.taskId);
      void this.deps.confirm(snapshot.taskId).finally(() => this.confirming.delete(snapshot.taskId));
    }
  }
}
