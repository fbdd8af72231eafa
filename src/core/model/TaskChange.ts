/** How the task store is read and how its changes travel to the views. */
import type { Event } from '../util/Emitter';
import type { TrackedTask } from './TaskModel';

/** What changed in one server's store: the tasks whose state changed (the store never drops a task). */
export interface TaskChange {
  readonly serverId: string;
  readonly changed: readonly TrackedTask[];
}

/** Read side of one server's task store: the only source the UI reads. */
export interface TaskStoreView {
  readonly onDidChange: Event<TaskChange>;
  get(taskId: string): TrackedTask | undefined;
  /** Newest first (by createdAt, then first seen). */
  list(): TrackedTask[];
  readonly size: number;
}

export interface TaskPage {
  readonly tasks: readonly TrackedTask[];
  readonly nextCursor?: string;
}
