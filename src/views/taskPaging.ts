/**
 * The order and paging of one server's rows, apart from VS Code (pure, tested in Node). Like the Source
 * Control and Testing views, a big group is shown a page at a time with a "Show more" row: VS Code asks the
 * extension host for every child it is given, and 10,000 rows per server took seconds to appear.
 */
import { isTerminal, type TrackedTask } from '../core';

/** Rows per page, and how many more each "Show more" adds. */
export const PAGE_SIZE = 100;

/**
 * Task rows handed to VS Code when the view opens, shared out among the servers. VS Code asks for the children
 * of every expanded server at once and builds (extension host) and lays out (workbench) every item it is
 * given, shown or not: ten servers with a page of 100 each was 1,020 items for a sidebar that shows about 30.
 */
const FIRST_ROWS = 300;
const MIN_FIRST_PAGE = 10;

/** A server's first page when `servers` are shown: a whole page for a few servers, 10 rows at least. */
export function firstPage(servers: number): number {
  return Math.max(MIN_FIRST_PAGE, Math.min(PAGE_SIZE, Math.floor(FIRST_ROWS / Math.max(1, servers))));
}

export interface Page {
  readonly tasks: readonly TrackedTask[];
  /** Tasks that pass the filter but are beyond the page. */
  readonly remaining: number;
}

/** The "Show more" row's label: "Show 100 more (9,880 not shown)". */
export function showMoreLabel(remaining: number, step = PAGE_SIZE): string {
  const next = Math.min(step, remaining);
  return next === remaining ? `Show ${fmt(next)} more` : `Show ${fmt(next)} more (${fmt(remaining)} not shown)`;
}

/**
 * Server rows by name, case-insensitively. Not `localeCompare`: its first call in the extension host builds
 * the ICU collator, 150 ms in one piece on the path of the view's first open.
 */
export function compareNames(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

/** Live tasks first (working, input required, unknown), then finished ones; each newest first as `newestFirst` is. */
export function viewOrder(newestFirst: readonly TrackedTask[], shows: (t: TrackedTask) => boolean): TrackedTask[] {
  const live: TrackedTask[] = [];
  const finished: TrackedTask[] = [];
  for (const t of newestFirst) if (shows(t)) (isTerminal(t.status) ? finished : live).push(t);
  for (const t of finished) live.push(t);
  return live;
}

/**
 * Could this change move the task in the view's order, or in or out of it? `before` is the task as it was
 * ordered (undefined: it was not shown). A change of message or progress does not: it repaints its row only.
 */
export function movesInOrder(before: TrackedTask | undefined, now: TrackedTask, shownNow: boolean): boolean {
  if (!before) return shownNow;
  if (!shownNow) return true;
  return isTerminal(before.status) !== isTerminal(now.status) || before.createdAt !== now.createdAt;
}

/**
 * One server's ordered rows, kept until a change could move one: sorting and filtering 10,000 tasks on
 * every `getChildren` (or every status push) would stall the extension host.
 */
export class ServerOrder {
  private ordered: TrackedTask[] | undefined;
  /**
   * The tasks as they were ordered, by id (only those shown): built from `ordered` when a change first asks,
   * not when ordering (the view's first open at 100,000 tasks waited ~30 ms for these maps).
   */
  private placed: Map<string, TrackedTask> | undefined;

  constructor(
    private readonly newestFirst: () => readonly TrackedTask[],
    private readonly shows: (t: TrackedTask) => boolean,
  ) {}

  /** The filter changed: order again when next asked. */
  invalidate(): void {
    this.ordered = this.placed = undefined;
  }

  /** Takes in changed tasks; true when the order was dropped (it may have changed). O(changes). */
  take(changed: readonly TrackedTask[]): boolean {
    if (!this.ordered) return true;
    this.placed ??= new Map(this.ordered.map((t) => [t.taskId, t]));
    for (const t of changed) {
      if (movesInOrder(this.placed.get(t.taskId), t, this.shows(t))) {
        this.ordered = this.placed = undefined;
        return true;
      }
    }
    return false;
  }

  /** The first `limit` rows in view order. */
  page(limit: number): Page {
    const ordered = this.order();
    return { tasks: ordered.slice(0, limit), remaining: Math.max(0, ordered.length - limit) };
  }

  private order(): TrackedTask[] {
    if (!this.ordered) {
      this.ordered = viewOrder(this.newestFirst(), this.shows);
      this.placed = undefined;
    }
    return this.ordered;
  }
}

/**
 * 12,345: digits grouped by hand. The first `toLocaleString` of the extension host loads the ICU data —
 * 50 ms in one piece, while the view was opening (the "Show more" row is rendered with the first page).
 */
function fmt(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
