/**
 * The pages of one server's last listing from the start: the cursor that led to each page and the tasks
 * that were on it. Refreshing a few tasks then re-reads only the pages that hold them (asked for with the
 * cursor the page before handed out), instead of walking the listing from the start: with 10,000 tasks
 * listed oldest first and the view showing the newest hundred, that is one or two pages instead of a
 * hundred (issue 13).
 *
 * Cursors are opaque and the spec (2025-11-25) says nothing about their lifetime or the listing's order.
 * So a remembered cursor is only trusted while it works: a page that is refused (the SDK's store answers
 * -32602 once the task a cursor names has gone) or that no longer holds every task it held (an offset
 * cursor after an earlier task went) drops the whole map, and the caller lists from the start again. New
 * tasks appear on the last page in the SDK's store (insertion order, oldest first); the last page is read
 * with the others, and when it has grown the listing is followed to its new end. Anything else (tasks
 * started elsewhere in the middle, removals) is left to the periodic full sweep.
 */
import type { TaskProtocol, TaskSnapshot } from '../protocol/TaskProtocol';
import { forEachLimit } from '../util/mapLimit';
import { listPages } from './listPages';

interface ListedPage {
  /** The cursor this page was asked for with (undefined: the first page). */
  readonly cursor: string | undefined;
  readonly ids: string[];
}

const PARALLEL_PAGES = 4;

export class ListingPages {
  private pages: ListedPage[] = [];
  private readonly pageOf = new Map<string, number>();
  /** The recorded pages reach the listing's end (the last one had no next cursor). */
  private toEnd = false;
  /** When the last page was last read (ms since epoch). */
  private tailReadAt = 0;

  get size(): number {
    return this.pages.length;
  }

  clear(): void {
    this.pages = [];
    this.pageOf.clear();
    this.toEnd = false;
  }

  /**
   * Page `index` of a listing from the start, asked for with `cursor`; `next` is the cursor it handed out.
   * Page 0 starts a new map; a page out of turn is not recorded.
   */
  record(index: number, cursor: string | undefined, ids: readonly string[], next: string | undefined): void {
    if (index === 0) this.clear();
    if (index !== this.pages.length) return;
    this.pages.push({ cursor, ids: [...ids] });
    for (const id of ids) this.pageOf.set(id, index);
    this.toEnd = next === undefined;
    this.tailReadAt = Date.now();
  }

  /** The pages to read again for these tasks, in order, and the tasks on no page. */
  locate(taskIds: readonly string[]): { pages: number[]; unknown: string[] } {
    const pages = new Set<number>();
    const unknown: string[] = [];
    for (const id of taskIds) {
      const page = this.pageOf.get(id);
      if (page === undefined) unknown.push(id);
      else pages.add(page);
    }
    return { pages: [...pages].sort((a, b) => a - b), unknown };
  }

  /**
   * The last page, when the listing is known to end there and it was not read for `everyMs`: new tasks appear
   * there (read now and then, not on every round, which would double the cost of refreshing one page).
   */
  staleTail(everyMs: number): number | undefined {
    return this.toEnd && this.pages.length > 0 && this.endUnread(everyMs) ? this.pages.length - 1 : undefined;
  }

  /** The listing's end is not known (the last listing stopped early) or was not read for `everyMs`. */
  endUnread(everyMs: number): boolean {
    return !this.toEnd || Date.now() - this.tailReadAt >= everyMs;
  }

  /**
   * Reads the pages again with their remembered cursors, applying every task, and follows a grown last
   * page to its end. Returns the ids seen, or a reason when the listing has moved (the map is dropped:
   * the caller lists from the start).
   */
  async reread(protocol: TaskProtocol, indices: readonly number[], apply: (task: TaskSnapshot) => void): Promise<Set<string> | string> {
    const seen = new Set<string>();
    let moved: string | undefined;
    // A few pages at once: a busy task on the last of ten pages is not kept waiting behind the other nine.
    await forEachLimit(indices, PARALLEL_PAGES, async (index) => {
      if (moved === undefined) moved = await this.rereadOne(protocol, index, seen, apply);
    });
    return moved === undefined ? seen : this.moved(moved);
  }

  /** One page again; a reason when the listing has moved. */
  private async rereadOne(protocol: TaskProtocol, index: number, seen: Set<string>, apply: (task: TaskSnapshot) => void): Promise<string | undefined> {
    const held = this.pages[index];
    if (!held) return `page ${index + 1} is no longer known`;
    let page: Awaited<ReturnType<TaskProtocol['listTasks']>>;
    try {
      page = await protocol.listTasks(held.cursor);
    } catch (err) {
      return `page ${index + 1} was refused (${err instanceof Error ? err.message : String(err)})`;
    }
    if (this.pages[index] !== held) return `page ${index + 1} changed while it was read`;
    const ids = new Set(page.tasks.map((t) => t.taskId));
    if (held.ids.some((id) => !ids.has(id))) return `page ${index + 1} no longer holds the tasks it held`;
    for (const task of page.tasks) {
      seen.add(task.taskId);
      apply(task);
      if (!this.pageOf.has(task.taskId)) {
        held.ids.push(task.taskId);
        this.pageOf.set(task.taskId, index);
      }
    }
    if (index !== this.pages.length - 1) return undefined;
    this.tailReadAt = Date.now();
    return page.nextCursor !== undefined ? this.follow(protocol, page.nextCursor, seen, apply) : undefined;
  }

  /** The last page has a next cursor now: new pages, recorded as they come (the walk and its guards are listPages'). */
  private async follow(protocol: TaskProtocol, from: string, seen: Set<string>, apply: (task: TaskSnapshot) => void): Promise<string | undefined> {
    let problem: string | undefined;
    const sink = {
      apply: (task: TaskSnapshot) => {
        seen.add(task.taskId);
        apply(task);
      },
      pages: this,
      warn: (message: string) => (problem ??= message),
    };
    const listing = await listPages(protocol, () => false, sink, { cursor: from, page: this.pages.length });
    // Any guard that stopped the walk, or a walk cut short, leaves the map unsure: the caller lists from the start.
    if (problem !== undefined || !listing.complete || listing.nextCursor !== undefined) return `following the grown last page: ${problem ?? 'the listing does not end'}`;
    return undefined;
  }

  private moved(reason: string): string {
    this.clear();
    return reason;
  }
}
