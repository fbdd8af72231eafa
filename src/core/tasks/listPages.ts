/**
 * Walking a server's `tasks/list` page by page, with the guards a misbehaving server needs (a cursor handed
 * out twice, cursors that go round the same tasks, a page cap). Every page is applied as it comes and
 * remembered (ListingPages), so that a later refresh of a few tasks can re-read only their pages. The walk
 * starts at the first page, or at a remembered page's next cursor (ListingPages following a grown last page).
 */
import type { TaskProtocol, TaskSnapshot } from '../protocol/TaskProtocol';
import { errorMessage } from '../util/errors';
import type { ListingPages } from './ListingPages';

/** Pages without tasks (or with the same ones) must not keep a sweep going for ever. */
const MAX_PAGES = 200;
/** Consecutive tasks/list pages that bring no task not already listed in this sweep, before giving up. */
const MAX_PAGES_WITH_NOTHING_NEW = 3;

export interface Listing {
  readonly seen: ReadonlySet<string>;
  readonly pages: number;
  /** False when a page failed. */
  readonly complete: boolean;
  /** Where the listing stopped, when the server had more. */
  readonly nextCursor?: string;
}

export interface ListingSink {
  /** `now`: when the page arrived (one clock read for its tasks). */
  apply(task: TaskSnapshot, now: number): void;
  readonly pages: ListingPages;
  warn(message: string): void;
}

/** Where a walk starts when not at the first page: the cursor a remembered page handed out, and the next page's index. */
export interface ListingStart {
  readonly cursor: string;
  readonly page: number;
}

/**
 * Pages of tasks/list, applied as they come, until `enough` says so or the server has no more. A
 * failing page (e.g. -32602 because the task a cursor points at has just expired) or a cursor handed out
 * twice ends the listing early: tasks not seen are then asked about one by one.
 */
export async function listPages(
  protocol: TaskProtocol,
  enough: (seen: ReadonlySet<string>) => boolean,
  sink: ListingSink,
  start?: ListingStart,
): Promise<Listing> {
  const seen = new Set<string>();
  const cursors = new Set<string>(start ? [start.cursor] : []);
  let cursor: string | undefined = start?.cursor;
  let pages = 0;
  let pagesWithNothingNew = 0;
  try {
    do {
      const page = await protocol.listTasks(cursor);
      sink.pages.record((start?.page ?? 0) + pages, cursor, page.tasks.map((t) => t.taskId), page.nextCursor);
      pages++;
      const before = seen.size;
      const now = Date.now();
      for (const task of page.tasks) {
        seen.add(task.taskId);
        sink.apply(task, now);
      }
      pagesWithNothingNew = seen.size > before ? 0 : pagesWithNothingNew + 1;
      cursor = page.nextCursor;
      if (cursor !== undefined && cursors.has(cursor)) {
        sink.warn(`tasks/list handed out cursor "${cursor.slice(0, 40)}" twice; stopped after ${pages} page(s)`);
        cursor = undefined;
      } else if (cursor !== undefined && pagesWithNothingNew >= MAX_PAGES_WITH_NOTHING_NEW) {
        // A new cursor every time over the same tasks loops just as surely as a repeated one (found by
        // the reliability suite: MAX_PAGES requests per sweep). A few such pages are tolerated, as tasks
        // may shift between pages while we list.
        sink.warn(`tasks/list kept handing out cursors over tasks already listed; stopped after ${pages} page(s)`);
        cursor = undefined;
      } else if (cursor !== undefined) {
        cursors.add(cursor);
      }
    } while (cursor !== undefined && !enough(seen) && pages < MAX_PAGES);
  } catch (err) {
    sink.warn(`tasks/list failed after ${pages} page(s): ${errorMessage(err)}`);
    return { seen, pages, complete: false };
  }
  return cursor !== undefined ? { seen, pages, complete: true, nextCursor: cursor } : { seen, pages, complete: true };
}

/**
 * A listing's stop test: every one of `ids` seen. Amortised O(ids) over the whole listing — `every()` after
 * each page rescanned the ids already seen (listing order), 10,000 per server per page at 100,000 tasks:
 * an eighth of the idle host's time.
 */
export function allSeen(ids: readonly string[]): (seen: ReadonlySet<string>) => boolean {
  const waiting = new Set(ids);
  return (seen) => {
    for (const id of waiting) {
      if (!seen.has(id)) return false;
      waiting.delete(id);
    }
    return true;
  };
}

