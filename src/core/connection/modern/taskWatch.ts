/**
 * Which tasks the server pushes for. A `subscriptions/listen` names a fixed set of task ids, and a client may
 * hold several listens at once (the v2 Client keeps a state per listen id; each is its own stream). So the
 * followed set is spread over several listens, and following one more task never re-sends the others:
 * - new ids are batched into a listen of their own (sent BATCH_MS after the last new id, at most BATCH_MAX_MS
 *   after the first: tasks created one after another go out together): each id is named once;
 * - a listen whose tasks have all ended is closed; one that has lost more than half of them is replaced by a
 *   listen of the rest (paid for by the ends: at most one id re-named per ended task);
 * - small listens are folded together, FOLD_FANIN of one size class into one of the next, so a burst of tiny
 *   batches does not leave hundreds of streams open: an id is re-named at most once per class below
 *   FOLD_LIMIT (3 times), and listens of FOLD_LIMIT ids or more are never folded. Open listens: at most
 *   FOLD_FANIN - 1 small ones per class, plus one per FOLD_LIMIT followed tasks.
 * The cost per followed task is constant. A replaced listen stays open until its successor is acknowledged,
 * so no push is missed in between (a duplicate may come; the tracker ignores one that changes nothing).
 * A listen the server ends is not re-opened (the tracker's polls are the safety net, and a server that
 * refuses task listens would otherwise be asked forever); its tasks are listened to again when it is replaced.
 *
 * Coverage: the ids a listen's acknowledgement honours are reported covered (the server says it will push
 * their changes: a server whose tasks sit still can prove that no other way); when that listen fails or the
 * server ends it while it still serves them, they are reported uncovered. A replaced listen's ids are
 * reported again by its successor's acknowledgement (or uncovered if it fails).
 */

/** What the v2 Client's `listen()` resolves to (structurally). */
export interface TaskListen {
  /** The ids named that the server's acknowledgement honours (it may honour fewer, or none). */
  readonly honoured: readonly string[];
  close(): Promise<void>;
  readonly closed: Promise<'local' | 'graceful' | 'remote'>;
}

export type OpenListen = (taskIds: string[]) => Promise<TaskListen | undefined>;

/** The server now pushes (covered) or no longer pushes (not covered) the changes of these tasks. */
export type CoverageListener = (taskIds: readonly string[], covered: boolean) => void;

/** New ids this close together go out in one listen... */
const BATCH_MS = 20;
/**
 * ...unless ids keep coming. Kept short: a change before the listen is acknowledged is never pushed, and the
 * tracker takes a new task of a server whose pushes have proven reliable as push-fed at once (polls rarely).
 */
const BATCH_MAX_MS = 100;
const FOLD_FANIN = 4;
/** Listens naming at least this many ids are never folded into others. */
const FOLD_LIMIT = 64;

/** Size class: 1-3 ids → 0, 4-15 → 1, 16-63 → 2, 64-255 → 3 (FOLD_LIMIT: never folded), … */
function sizeClass(ids: number): number {
  return Math.floor(Math.log(Math.max(1, ids)) / Math.log(FOLD_FANIN));
}
const LARGE_CLASS = sizeClass(FOLD_LIMIT);

class Group {
  /** The ids of this listen whose tasks are still followed. */
  readonly ids = new Set<string>();
  listen: Promise<TaskListen | undefined> = Promise.resolve(undefined);
  /** How many ids the listen named. */
  named = 0;
}

export class TaskWatch {
  private readonly pending = new Set<string>();
  private readonly groupOf = new Map<string, Group>();
  private readonly groups = new Set<Group>();
  /** Listens replaced by the next batch: closed once it is acknowledged. */
  private retiring: Group[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** When the current batch began (its first id). */
  private batchStart = 0;
  private closed = false;

  constructor(
    private readonly open: OpenListen,
    private readonly coverage: CoverageListener = () => undefined,
  ) {}

  /** Pushes for this task from the next batch on. Idempotent. */
  watch(taskId: string): void {
    if (this.closed || this.groupOf.has(taskId) || this.pending.has(taskId)) return;
    this.pending.add(taskId);
    this.schedule();
  }

  /** No pushes needed for this task any more (it ended, or is forgotten). Idempotent. */
  unwatch(taskId: string): void {
    if (this.pending.delete(taskId)) return;
    const group = this.groupOf.get(taskId);
    if (!group) return;
    this.groupOf.delete(taskId);
    group.ids.delete(taskId);
    if (group.ids.size === 0) {
      this.groups.delete(group);
      void closeListen(group);
    } else if (group.ids.size * 2 < group.named) {
      this.retire(group);
      this.schedule();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const all = [...this.groups, ...this.retiring];
    this.groups.clear();
    this.retiring = [];
    this.groupOf.clear();
    this.pending.clear();
    await Promise.all(all.map(closeListen));
  }

  private schedule(): void {
    if (this.closed) return;
    const now = Date.now();
    if (this.timer) {
      if (now - this.batchStart >= BATCH_MAX_MS - BATCH_MS) return;
      clearTimeout(this.timer);
    } else {
      this.batchStart = now;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, BATCH_MS);
    this.timer.unref?.();
  }

  /** Its remaining ids go into the next batch; the listen itself stays open until that one is acknowledged. */
  private retire(group: Group): void {
    this.groups.delete(group);
    for (const id of group.ids) {
      this.groupOf.delete(id);
      this.pending.add(id);
    }
    this.retiring.push(group);
  }

  private flush(): void {
    const ids = [...this.pending];
    this.pending.clear();
    for (;;) {
      const size = sizeClass(ids.length);
      if (ids.length === 0 || size >= LARGE_CLASS) break;
      const peers = [...this.groups].filter((g) => g.named < FOLD_LIMIT && sizeClass(g.ids.size) === size).slice(0, FOLD_FANIN - 1);
      if (peers.length < FOLD_FANIN - 1) break;
      for (const peer of peers) {
        this.retire(peer);
        ids.push(...peer.ids);
      }
      this.pending.clear();
    }
    const retiring = this.retiring;
    this.retiring = [];
    if (ids.length === 0) {
      void Promise.all(retiring.map(closeListen));
      return;
    }
    const group = new Group();
    for (const id of ids) {
      group.ids.add(id);
      this.groupOf.set(id, group);
    }
    group.named = ids.length;
    this.groups.add(group);
    group.listen = this.open(ids);
    void group.listen.then(
      (listen) => {
        this.acknowledged(group, listen);
        return Promise.all(retiring.map(closeListen));
      },
      () => {
        this.acknowledged(group, undefined);
        return Promise.all(retiring.map(closeListen));
      },
    );
  }

  /** Reports what the listen covers, and uncovers it when it ends while still serving this group. */
  private acknowledged(group: Group, listen: TaskListen | undefined): void {
    // A group replaced while its listen was opening: its successor reports its ids.
    if (this.closed || !this.groups.has(group)) return;
    const honouredIds = new Set(listen?.honoured);
    const covered = [...group.ids].filter((id) => honouredIds.has(id));
    const notCovered = [...group.ids].filter((id) => !honouredIds.has(id));
    if (notCovered.length > 0) this.coverage(notCovered, false);
    if (covered.length === 0) return;
    this.coverage(covered, true);
    void listen!.closed.then((how) => {
      // A listen we closed was replaced or emptied (its successor reports its own ids); one the server or the
      // connection ended leaves its remaining tasks without pushes.
      if (how === 'local' || this.closed || !this.groups.has(group)) return;
      const left = [...group.ids].filter((id) => honouredIds.has(id));
      if (left.length > 0) this.coverage(left, false);
    });
  }
}

async function closeListen(group: Group): Promise<void> {
  await group.listen.then((listen) => listen?.close()).catch(() => undefined);
}
