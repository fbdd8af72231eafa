/**
 * Whether a server's status notifications can stand in for polling. A task the server has pushed about is
 * "push-fed": it is still polled, as the spec asks (notifications are optional and may be lost), but only
 * as a safety net at the slow interval. If a poll ever reveals a change the server did not push (well
 * after it happened, so a push still on its way does not count), the server is not trusted any more and
 * all its tasks go back to the normal poll rate for the rest of the connection.
 */

/** A change this much older than the poll that revealed it should have been pushed by then. */
export const PUSH_GRACE_MS = 2_000;
/** Pushes received, with no poll showing one missing, before a server's pushes count as proven. */
export const PROOF_PUSHES = 10;

export class PushTrust {
  private readonly lastPushed = new Map<string, number>();
  private trusted = true;
  private pushes = 0;
  /** The server pushes the changes of every running task we follow (2026-07-28 listens name them all). */
  private coversAll = false;
  /**
   * Tasks reported again after we first saw them. Where pushes cover all, only these count as push-fed: a
   * new task's listen goes out a moment after its creation, and a change before the listen is acknowledged
   * is never pushed — its first poll at the normal interval catches that.
   */
  private readonly confirmed = new Set<string>();

  /**
   * The server pushed this state. `coversAll`: its pushes cover every running task we follow, not only those
   * it has pushed about so far (a 2026-07-28 listen names them all).
   */
  pushed(taskId: string, lastUpdatedAt: string | undefined, coversAll = false): void {
    const t = lastUpdatedAt === undefined ? NaN : Date.parse(lastUpdatedAt);
    this.lastPushed.set(taskId, Number.isFinite(t) ? t : Date.now());
    this.pushes++;
    this.coversAll ||= coversAll;
  }

  /**
   * Pushes arrived again and again and no poll ever showed one missing: the safety-net polls of push-fed
   * tasks can be rare (and, where pushes cover every task, tasks that never pushed count as push-fed).
   */
  get proven(): boolean {
    return this.trusted && this.pushes >= PROOF_PUSHES;
  }

  /**
   * A poll answered with this state. Returns true when it shows the server leaves changes unpushed
   * (the caller then polls normally and may say so in the log).
   */
  polled(taskId: string, lastUpdatedAt: string | undefined, now = Date.now()): boolean {
    const pushedAt = this.trusted ? this.lastPushed.get(taskId) : undefined;
    if (pushedAt === undefined) return false;
    const t = lastUpdatedAt === undefined ? NaN : Date.parse(lastUpdatedAt);
    if (!Number.isFinite(t)) return false;
    if (t > pushedAt && now - t > PUSH_GRACE_MS) {
      this.trusted = false;
      return true;
    }
    return false;
  }

  /** The server reported this task again (a poll or push after the first sight). */
  reportedAgain(taskId: string): void {
    if (this.coversAll) this.confirmed.add(taskId);
  }

  /** Polls for this task may be slowed to the safety interval. */
  isPushFed(taskId: string): boolean {
    return this.trusted && (this.lastPushed.has(taskId) || (this.coversAll && this.proven && this.confirmed.has(taskId)));
  }

  forget(taskId: string): void {
    this.lastPushed.delete(taskId);
    this.confirmed.delete(taskId);
  }

  /** A new connection: nothing is known about its pushes yet. */
  reset(): void {
    this.lastPushed.clear();
    this.confirmed.clear();
    this.trusted = true;
    this.pushes = 0;
    this.coversAll = false;
  }
}
