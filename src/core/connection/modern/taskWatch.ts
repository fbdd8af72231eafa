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
 * A listen that fails, or that the server or the connection ends, is opened again for the ids it still serves
 * after a backoff (REOPEN_BASE_MS, doubled each time); after REOPEN_TRIES failed tries in a row it is left
 * (logged once: a server that refuses task listens is not asked forever) and the tracker's polls carry its tasks.
 * Its tasks are also listened to again when it is replaced. A server that acknowledges an empty filter (does
 * not honour task ids) is not asked again: it answered.
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
/** Re-opening a failed or ended listen: 1 s, 2 s, 4 s, 8 s, then give up. */
const REOPEN_BASE_MS = 1_000;
const REOPEN_TRIES = 4;
/** A listen that served this long before it ended counts as a success: its re-opening starts again at 1 s. */
const REOPEN_RESET_MS = 60_000;
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
  /** Re-openings in a row that have not lasted (see REOPEN_RESET_MS). */
  reopened = 0;
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
  private readonly reopenTimers = new Set<ReturnType<typeof setTimeout>>();
  private gaveUpLogged = false;

  constructor(
    private readonly open: OpenListen,
    private readonly coverage: CoverageListener = () => undefined,
    private readonly log: (message: string) => void = () => undefined,
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
    for (const t of this.reopenTimers) clearTimeout(t);
    this.reopenTimers.clear();
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
    this.groups.add(group);
    this.openGroup(group, retiring);
  }

  /** Opens the group's listen for the ids it serves now; `retiring` is closed once it is acknowledged. */
  private openGroup(group: Group, retiring: Group[] = []): void {
    const ids = [...group.ids];
    group.named = ids.length;
    group.listen = this.open(ids).catch(() => undefined);
    void group.listen.then((listen) => {
      this.acknowledged(group, listen);
      return Promise.all(retiring.map(closeListen));
    });
  }

  /** After a failed or ended listen: again after a backoff, while the group still serves tasks. */
  private reopen(group: Group): void {
    if (this.closed || !this.groups.has(group)) return;
    if (group.reopened >= REOPEN_TRIES) {
      if (!this.gaveUpLogged) this.log(`task listen failed ${REOPEN_TRIES + 1} times in a row: its ${group.ids.size} task(s) are polled from now on (logged once)`);
      this.gaveUpLogged = true;
      return;
    }
    const delay = REOPEN_BASE_MS * 2 ** group.reopened;
    group.reopened++;
    const timer = setTimeout(() => {
      this.reopenTimers.delete(timer);
      if (this.closed || !this.groups.has(group) || group.ids.size === 0) return;
      const old = group.listen;
      this.openGroup(group);
      // The ended listen's stream is released (a failed one resolved to nothing).
      void old.then((listen) => listen?.close()).catch(() => undefined);
    }, delay);
    timer.unref?.();
    this.reopenTimers.add(timer);
  }

  /** Reports what the listen covers, and uncovers it when it ends while still serving this group. */
  private acknowledged(group: Group, listen: TaskListen | undefined): void {
    const current = group.listen;
    // A group replaced while its listen was opening: its successor reports its ids.
    if (this.closed || !this.groups.has(group)) return;
    if (!listen) {
      // Failed (refused, or the connection broke): its ids are polled meanwhile; asked again later.
      this.coverage([...group.ids], false);
      this.reopen(group);
      return;
    }
    const honouredIds = new Set(listen.honoured);
    const covered = [...group.ids].filter((id) => honouredIds.has(id));
    const notCovered = [...group.ids].filter((id) => !honouredIds.has(id));
    if (notCovered.length > 0) this.coverage(notCovered, false);
    if (covered.length === 0) return;
    this.coverage(covered, true);
    const since = Date.now();
    void listen.closed.then((how) => {
      // A listen we closed was replaced, emptied or re-opened (its successor reports its own ids); one the
      // server or the connection ended leaves its remaining tasks without pushes until it is opened again.
      if (how === 'local' || this.closed || !this.groups.has(group) || group.listen !== current) return;
      const left = [...group.ids].filter((id) => honouredIds.has(id));
      if (left.length > 0) this.coverage(left, false);
      if (Date.now() - since >= REOPEN_RESET_MS) group.reopened = 0;
      this.reopen(group);
    });
  }
}

async function closeListen(group: Group): Promise<void> {
  await group.listen.then((listen) => listen?.close()).catch(() => undefined);
}
