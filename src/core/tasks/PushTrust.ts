/**
 * Whether a server's status notifications can stand in for polling. A task is "push-fed" when the server
 * has pushed about it, or (2026-07-28) when the server acknowledged a listen naming it and we have seen its
 * state since. A push-fed task is still polled, as the spec asks (notifications are optional and may be
 * lost), but only as a safety net at a slow interval. If a poll ever reveals a change the server did not
 * push (well after it happened, so a push still on its way does not count), the server is not trusted any
 * more and all its tasks go back to the normal poll rate for the rest of the connection.
 *
 * How slow the safety net is depends on what backs the pushes: PROOF_PUSHES pushes without a poll showing
 * one missing, or the server's own acknowledgement of the task in a listen ("covered"). A server whose tasks
 * sit still has nothing to push and could never prove itself the first way: at 10 servers × 1,000 quiet
 * tasks, the nine with no change were polled at the quiet rate (~300 tasks/get a second). Its word, checked
 * by every safety-net poll, is what there is; a listen that fails or ends uncovers its tasks.
 */

/** A change this much older than the poll that revealed it should have been pushed by then. */
export const PUSH_GRACE_MS = 2_000;
/** Pushes received, with no poll showing one missing, before a server's pushes count as proven. */
export const PROOF_PUSHES = 10;

export class PushTrust {
  /** The last state each task was known to be pushed from (ms, the server's lastUpdatedAt). */
  private readonly lastPushed = new Map<string, number>();
  private trusted = true;
  private pushes = 0;
  /** Tasks a listen acknowledgement names: the server pushes their changes from then on. */
  private readonly covered = new Set<string>();
  /**
   * Covered tasks reported again after the acknowledgement: only these are push-fed. A change between the
   * creation and the acknowledgement is never pushed; the first report after it closes that gap.
   */
  private readonly confirmed = new Set<string>();

  /** The server pushed this state. */
  pushed(taskId: string, lastUpdatedAt: string | undefined): void {
    this.lastPushed.set(taskId, timeOf(lastUpdatedAt) ?? Date.now());
    this.pushes++;
  }

  /** Pushes arrived again and again and no poll ever showed one missing. */
  get proven(): boolean {
    return this.trusted && this.pushes >= PROOF_PUSHES;
  }

  /** The server has said it pushes (covered) or no longer pushes (not) these tasks' changes. */
  setCovered(taskIds: readonly string[], covered: boolean): void {
    for (const id of taskIds) {
      if (covered) {
        this.covered.add(id);
      } else {
        this.covered.delete(id);
        this.confirmed.delete(id);
        this.lastPushed.delete(id);
      }
    }
  }

  /**
   * A poll answered with this state. Returns true when it shows the server leaves changes unpushed
   * (the caller then polls normally and may say so in the log).
   */
  polled(taskId: string, lastUpdatedAt: string | undefined, now = Date.now()): boolean {
    const pushedAt = this.trusted ? this.lastPushed.get(taskId) : undefined;
    if (pushedAt === undefined) return false;
    const t = timeOf(lastUpdatedAt);
    if (t === undefined) return false;
    if (t > pushedAt && now - t > PUSH_GRACE_MS) {
      this.trusted = false;
      return true;
    }
    return false;
  }

  /**
   * The server reported this task again (a poll or push after the first sight). A covered task's state is
   * from then on one the server should push every change from.
   */
  reportedAgain(taskId: string, lastUpdatedAt: string | undefined): void {
    if (!this.covered.has(taskId) || this.confirmed.has(taskId)) return;
    this.confirmed.add(taskId);
    if (!this.lastPushed.has(taskId)) this.lastPushed.set(taskId, timeOf(lastUpdatedAt) ?? Date.now());
  }

  /** How many tasks are covered by a listen and reported since (their safety net is spread by their number). */
  get coveredCount(): number {
    return this.confirmed.size;
  }

  /**
   * Whether polls for this task may be slowed to a safety net: false (poll normally), true (the safety
   * net of pushes not yet proven), 'proven' (the slow one), 'covered' (acknowledged by a listen: the
   * slowest, spread over all such tasks of the server).
   */
  feed(taskId: string): boolean | 'proven' | 'covered' {
    if (!this.trusted) return false;
    if (this.confirmed.has(taskId)) return 'covered';
    if (!this.lastPushed.has(taskId)) return false;
    return this.proven ? 'proven' : true;
  }

  forget(taskId: string): void {
    this.lastPushed.delete(taskId);
    this.covered.delete(taskId);
    this.confirmed.delete(taskId);
  }

  /** A new connection: nothing is known about its pushes yet. */
  reset(): void {
    this.lastPushed.clear();
    this.covered.clear();
    this.confirmed.clear();
    this.trusted = true;
    this.pushes = 0;
  }
}

function timeOf(iso: string | undefined): number | undefined {
  const t = iso === undefined ? NaN : Date.parse(iso);
  return Number.isFinite(t) ? t : undefined;
}
