/**
 * Status pushes on their way to the tracker. Pushes may repeat (seen over Streamable HTTP): the same state
 * twice is handled once. A push about a task we have never seen is confirmed with tasks/get before it is
 * shown: servers have been seen pushing about ids they never created. (Our own new task's first push may
 * beat the reply to tools/call; confirming it costs one request.)
 */
import type { TaskSnapshot } from '../protocol/TaskProtocol';
import { errorMessage } from '../util/errors';
import { RecentKeys } from '../util/RecentKeys';
import type { ProtocolSlot } from './ProtocolSlot';
import type { TaskTracker } from './TaskTracker';

export class StatusPushes {
  private readonly recent = new RecentKeys();
  private readonly confirming = new Set<string>();

  constructor(
    private readonly tracker: TaskTracker,
    private readonly slot: ProtocolSlot,
  ) {}

  receive(snapshot: TaskSnapshot): void {
    const key = `${snapshot.taskId}\u0000${snapshot.lastUpdatedAt}\u0000${snapshot.status}\u0000${snapshot.statusMessage}`;
    if (!this.recent.add(key)) {
      return;
    }
    if (this.tracker.store.get(snapshot.taskId) !== undefined) {
      this.tracker.pushed(snapshot);
      return;
    }
    if (!this.confirming.has(snapshot.taskId)) {
      this.confirming.add(snapshot.taskId);
      void this.confirm(snapshot.taskId).finally(() => this.confirming.delete(snapshot.taskId));
    }
  }

  /** The server has said it pushes (or no longer pushes) these tasks' changes (a 2026-07-28 listen). */
  coverage(taskIds: readonly string[], covered: boolean): void {
    this.tracker.pushCoverage(taskIds, covered);
  }

  /** Asks the server about the task and applies the answer; never rejects. */
  private async confirm(taskId: string): Promise<void> {
    const protocol = this.slot.current;
    if (!protocol) {
      return;
    }
    try {
      this.tracker.apply(await protocol.getTask(taskId));
    } catch (err) {
      if (this.slot.isCurrent(protocol)) {
        this.tracker.log('debug', `ignored a status push about task ${taskId}: ${errorMessage(err)}`);
      }
    }
  }
}
