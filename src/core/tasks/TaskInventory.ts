/**
 * Which tasks a server has, and polling them. A server that lists is swept with `tasks/list` (all pages,
 * up to a cap; the rest is left to `loadMore()`); the ids this client created are always asked about too,
 * one `tasks/get` each when the list did not return them. A server that cannot list is inventoried from
 * those ids alone. An id the server answers -32602 for is expired: kept and shown, never dropped.
 */
import type { TaskPage } from '../model/TaskChange';
import { codeOf, ERROR_INVALID_PARAMS } from '../protocol/requestErrors';
import type { TaskListPage, TaskProtocol, TaskSnapshot } from '../protocol/TaskProtocol';
import { errorMessage, TaskRequestError } from '../util/errors';
import { forEachLimit } from '../util/mapLimit';
import { isTerminal, type TrackedTask } from '../model/TaskModel';
import { ListingPages } from './ListingPages';
import { allSeen, listPages, type Listing } from './listPages';
import type { ProtocolSlot } from './ProtocolSlot';
import type { TaskTracker } from './TaskTracker';

export const DEFAULT_MAX_LISTED_TASKS = 1_000;
const DEFAULT_KNOWN_PAGE_SIZE = 50;
const MAX_PARALLEL_GETS = 8;
/** How often refreshes from remembered pages also read the listing's last page, where new tasks appear. */
const TAIL_EVERY_MS = 1_000;
const KNOWN_CURSOR_PREFIX = 'known:';

export class TaskInventory {
  /** Where the last sweep stopped because of the cap. */
  private moreCursor?: string;
  /** Pages the last listing took: listing is only cheaper than N gets when N is at least that. */
  private sweepPages = 1;
  private sweeping?: Promise<void>;
  private pollListing?: Promise<ReadonlySet<string>>;
  private listingAllowedAt = 0;
  /** The pages of the last listing from the start, to refresh a few tasks without walking it all. */
  private readonly listed = new ListingPages();
  /** Once the user has paged past the cap, sweeps no longer move the cursor back to it. */
  private loadedMore = false;
  /** When a listing last went through every page (ms since epoch): a sweep then would learn nothing new. */
  private listedAllAt = 0;

  constructor(
    private readonly tracker: TaskTracker,
    private readonly slot: ProtocolSlot,
    private readonly maxListed = DEFAULT_MAX_LISTED_TASKS,
  ) {}

  get hasMore(): boolean {
    return this.moreCursor !== undefined;
  }

  /** When a listing (a sweep's or the poller's) last went through every page; 0 if never. */
  get lastListedAll(): number {
    return this.listedAllAt;
  }

  /** A full inventory; concurrent callers share one sweep. */
  sweep(): Promise<void> {
    if (!this.sweeping) {
      this.sweeping = this.runSweep().finally(() => (this.sweeping = undefined));
    }
    return this.sweeping;
  }

  /**
   * The due tasks of the poll scheduler. Cheapest first: the remembered pages that hold them (ListingPages:
   * a few pages of a long listing, read with the cursors that led to them). Else, when one listing costs
   * fewer requests than a tasks/get per due task, a listing from the start refreshes them (and every other task on its pages, which keeps tasks due together in
   * step, so the next round is one listing again); else one tasks/get per due task — a lone busy task among
   * thousands of quiet ones is not worth a listing of them all.
   */
  async poll(taskIds: readonly string[]): Promise<void> {
    const protocol = this.slot.current;
    if (!protocol) return;
    let due = taskIds;
    // One listing at a time: what it did not cover is then asked for here, not fetched twice. (Left to the
    // next round instead, a task looked at just after its change on a beat was a whole interval late.)
    while (protocol.capabilities.list && due.length >= 2 && this.pollListing) {
      const seen = await this.pollListing;
      due = due.filter((id) => !seen.has(id));
    }
    let remaining: readonly string[] | undefined = due;
    // Busy tasks all come due within one interval: when they are many, one listing now answers them all
    // (and keeps them in step); a few busy ones among quiet thousands are asked one by one instead.
    const busy = this.tracker.followedBusy();
    if (protocol.capabilities.list && due.length >= 2) {
      const plan = this.rereadPlan(due);
      const listAll = this.sweepPages <= due.length || this.sweepPages <= busy.length;
      const pages = this.withStaleTail(plan, listAll);
      const seen = pages ? await this.rereadPages(protocol, pages) : undefined;
      if (seen) {
        remaining = due.filter((id) => !seen.has(id));
      } else if (listAll) {
        remaining = await this.listFromStart(protocol, due, busy);
      }
    }
    if (remaining) await forEachLimit(remaining, MAX_PARALLEL_GETS, (id) => this.getQuietly(protocol, id));
  }

  /**
   * The last page, where tasks started elsewhere appear, is read now and then whichever way the due tasks are
   * refreshed: along with a plan, or alone when they are asked one by one (a listing from the start reads it).
   */
  private withStaleTail(plan: number[] | undefined, listAll: boolean): number[] | undefined {
    const tail = this.listed.staleTail(TAIL_EVERY_MS);
    if (tail === undefined) return plan;
    if (plan) return plan.includes(tail) ? plan : [...plan, tail];
    return listAll ? undefined : [tail];
  }

  /**
   * Re-reading the remembered pages of the due tasks, when that costs fewer requests than a tasks/get per
   * due task and fewer than a listing from the start. Only the due tasks' pages: tasks re-read together are
   * due together again, so a page's tasks stay in step on their own. (Taking along the pages of every busy
   * task made each of them read again at every other task's round: half as many reads again as needed
   * while some tasks changed on a beat and others did not.)
   */
  private rereadPlan(taskIds: readonly string[]): number[] | undefined {
    if (this.listed.size === 0) return undefined;
    const { pages, unknown } = this.listed.locate(taskIds);
    const cost = pages.length + unknown.length;
    if (pages.length === 0 || pages.length >= this.sweepPages || cost >= taskIds.length) return undefined;
    return pages;
  }

  /** The ids seen; undefined when the listing had moved (the map is dropped: the next poll lists from the start). */
  private async rereadPages(protocol: TaskProtocol, pages: readonly number[]): Promise<ReadonlySet<string> | undefined> {
    const reading = this.listed.reread(protocol, pages, (t) => this.tracker.apply(t));
    this.pollListing = reading.then((seen) => (typeof seen === 'string' ? new Set() : seen));
    const seen = await reading.finally(() => (this.pollListing = undefined));
    if (typeof seen !== 'string') return seen;
    if (this.slot.isCurrent(protocol)) this.tracker.log('debug', `tasks/list from remembered cursors: ${seen}; listing from the start`);
    return undefined;
  }

  /**
   * A listing from the start until every due and busy task was seen; returns the due ids it did not see
   * (undefined: not now, the server is busy enough with our listings; these come due again after their interval).
   */
  private async listFromStart(protocol: TaskProtocol, taskIds: readonly string[], busy: readonly string[]): Promise<readonly string[] | undefined> {
    if (Date.now() < this.listingAllowedAt) return undefined;
    // Pages until every due and busy task was seen (past the inventory cap if need be: these are held already).
    const started = Date.now();
    // A listing stopped early leaves its end unknown, and new tasks appear there: when the end was not read for a
    // while, this one goes on to it (up to the inventory's cap).
    const seenAll = allSeen([...taskIds, ...busy]);
    const toEnd = this.listed.endUnread(TAIL_EVERY_MS);
    const listing = this.listPages(protocol, (seen) => seenAll(seen) && (!toEnd || seen.size >= this.maxListed));
    this.pollListing = listing.then((l) => l.seen);
    try {
      const { seen, complete, pages } = await listing;
      if (complete) this.sweepPages = Math.max(1, pages);
      return taskIds.filter((id) => !seen.has(id));
    } finally {
      this.pollListing = undefined;
      // At most half of the time listing: a server with thousands of tasks stays free for everything else.
      this.listingAllowedAt = Date.now() + (Date.now() - started);
    }
  }

  /**
   * `tasks/get` for one task; -32602 marks it expired (and resolves); other errors are recorded and thrown.
   * One `then` on the protocol's promise (every `getTaskStatus` comes here): no async frame.
   */
  refresh(taskId: string): Promise<TrackedTask> {
    let protocol: TaskProtocol;
    try {
      protocol = this.slot.require();
    } catch (err) {
      return Promise.reject(err);
    }
    return protocol.getTask(taskId).then(this.applyOne, (err: unknown) => {
      if (codeOf(err) === ERROR_INVALID_PARAMS) return this.tracker.expire(taskId);
      this.tracker.failed(taskId, errorMessage(err));
      throw err;
    });
  }

  private readonly applyOne = (task: TaskSnapshot): TrackedTask => this.tracker.apply(task);
  private readonly applyPage = (page: TaskListPage): TaskPage => {
    const now = Date.now(); // one clock read (a third of applying a repeated task) for the page's tasks, fetched together
    const tasks = page.tasks.map((task) => this.tracker.apply(task, undefined, now));
    return page.nextCursor !== undefined ? { tasks, nextCursor: page.nextCursor } : { tasks };
  };

  async loadMore(): Promise<void> {
    const protocol = this.slot.require();
    const cursor = this.moreCursor;
    if (cursor === undefined || !protocol.capabilities.list) return;
    this.loadedMore = true;
    const page = await protocol.listTasks(cursor);
    const news = page.tasks.filter((t) => this.tracker.store.get(t.taskId) === undefined).length;
    for (const task of page.tasks) this.tracker.apply(task);
    // Another sweep may have moved the cursor meanwhile; only advance from where we started. The same
    // cursor again, or a page of tasks already held, means the server goes round in circles: offer no more.
    if (this.moreCursor === cursor) {
      this.moreCursor = page.nextCursor !== cursor && (news > 0 || page.tasks.length === 0) ? page.nextCursor : undefined;
    }
  }

  /** One page for `TaskServerApi.listTasks`: the server's (one `then`, as `refresh`), or our known ids when it cannot list. */
  page(cursor?: string, limit = DEFAULT_KNOWN_PAGE_SIZE): Promise<TaskPage> {
    try {
      const protocol = this.slot.require();
      return protocol.capabilities.list ? protocol.listTasks(cursor).then(this.applyPage) : this.knownPage(protocol, cursor, limit);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  private async knownPage(protocol: TaskProtocol, cursor: string | undefined, limit: number): Promise<TaskPage> {
    const offset = parseKnownCursor(cursor);
    const ids = this.tracker.knownIds().reverse();
    const slice = ids.slice(offset, offset + Math.max(1, limit));
    await forEachLimit(
      slice.filter((id) => this.needsAsking(id)),
      MAX_PARALLEL_GETS,
      (id) => this.getQuietly(protocol, id),
    );
    const tasks = slice.map((id) => this.tracker.store.get(id)).filter((t): t is TrackedTask => t !== undefined);
    const next = offset + slice.length;
    return next < ids.length ? { tasks, nextCursor: `${KNOWN_CURSOR_PREFIX}${next}` } : { tasks };
  }

  private async runSweep(): Promise<void> {
    const protocol = this.slot.require();
    let seen: ReadonlySet<string> = new Set();
    // Whether a running task missing from the listing is worth a tasks/get of its own.
    let unseenMeansGone = true;
    if (protocol.capabilities.list) {
      const listing = await this.listPages(protocol, (seenSoFar) => seenSoFar.size >= this.maxListed);
      seen = listing.seen;
      if (listing.complete) {
        if (listing.nextCursor === undefined || !this.loadedMore) {
          this.moreCursor = listing.nextCursor;
        }
        this.sweepPages = Math.max(1, listing.pages);
      }
      // A listing stopped at the cap says nothing about the tasks past it (held since a loadMore()).
      unseenMeansGone = listing.complete && listing.nextCursor === undefined;
    }
    // Only a sweep that reaches every task refreshes those nobody sees (else the poller's slow grid does).
    this.tracker.setBackgroundSwept(protocol.capabilities.list && unseenMeansGone);
    const known = this.tracker.knownIds();
    const ours = new Set(known);
    const unseen = (ids: readonly string[]) => ids.filter((id) => !seen.has(id) && this.needsAsking(id));
    const others = unseen(
      this.tracker.store
        .list()
        .filter((t) => !isTerminal(t.status) && !ours.has(t.taskId))
        .map((t) => t.taskId),
    );
    if (unseenMeansGone) {
      await forEachLimit([...unseen(known), ...others], MAX_PARALLEL_GETS, (id) => this.getQuietly(protocol, id));
      return;
    }
    // Past the cap: asking about each of those one by one made 9,000 tasks/get per sweep once the user had
    // loaded 10,000 tasks (found by the reliability suite). The poller lists them instead: those it does not
    // follow yet (after a reconnect) are handed to it. Our own ids are still asked about one by one.
    await forEachLimit(unseen(known), MAX_PARALLEL_GETS, (id) => this.getQuietly(protocol, id));
    const followed = new Set(this.tracker.followed());
    const loose = others.filter((id) => !followed.has(id));
    if (loose.length > 0) {
      this.tracker.follow(loose);
    }
  }

  /** A listing from the start (see listPages); remembers its pages, and when it last went through them all. */
  private async listPages(protocol: TaskProtocol, enough: (seen: ReadonlySet<string>) => boolean): Promise<Listing> {
    const listing = await listPages(protocol, enough, {
      apply: (task, now) => this.tracker.apply(task, undefined, now),
      pages: this.listed,
      warn: (message) => this.slot.isCurrent(protocol) && this.tracker.log('warn', message),
    });
    if (listing.complete && listing.nextCursor === undefined) this.listedAllAt = Date.now();
    return listing;
  }

  private needsAsking(taskId: string): boolean {
    const held = this.tracker.store.get(taskId);
    return !held || !isTerminal(held.status);
  }

  private async getQuietly(protocol: TaskProtocol, taskId: string): Promise<void> {
    try {
      this.tracker.apply(await protocol.getTask(taskId));
    } catch (err) {
      if (!this.slot.isCurrent(protocol)) {
        return; // the connection this was sent on is gone; the next connection asks again
      }
      if (codeOf(err) === ERROR_INVALID_PARAMS) this.tracker.expire(taskId);
      else this.tracker.failed(taskId, errorMessage(err));
    }
  }
}

function parseKnownCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const offset = cursor.startsWith(KNOWN_CURSOR_PREFIX) ? Number(cursor.slice(KNOWN_CURSOR_PREFIX.length)) : NaN;
  if (!Number.isInteger(offset) || offset < 0) throw new TaskRequestError(`invalid cursor: ${cursor}`, ERROR_INVALID_PARAMS);
  return offset;
}
