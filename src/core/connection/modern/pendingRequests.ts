/**
 * The raw channel's requests waiting for their replies: settled by id, failed at their deadline (one timer
 * for all), and failed when their abort signal fires. Every poll's round trip passes through here, so a
 * request costs one object and its promise (no closures to settle it through).
 */
import { ModernRequestError, REQUEST_TIMEOUT_CODE } from './errors';
import type { WireRecord } from '../ModernSession';

export type RawReply = { kind: 'result'; result: WireRecord } | { kind: 'error'; error: { code: number; message: string; data?: unknown } };

/**
 * How long the signal of a request ext-tasks sends is left unwatched. On Node 20, adding and removing an abort
 * listener on the fresh signal ext-tasks makes for every operation costs about 1.3 µs of CPU, more than all the
 * rest the core adds to a poll's round trip; nearly every request is answered well within this. A request
 * still waiting then is watched from then on (an abort meanwhile is acted on at once). ext-tasks checks the
 * signal itself when the request ends, so what can come this much later is only the failure of an abandoned
 * request and its `notifications/cancelled` to the server.
 */
export const ABORT_WATCH_MS = 25;

class Pending {
  resolve!: (reply: RawReply) => void;
  reject!: (error: Error) => void;
  /** Listening to `signal` (its abort listener is this object: `handleEvent`). */
  watched = false;

  constructor(
    private readonly requests: PendingRequests,
    readonly id: string,
    readonly method: string,
    /** performance.now() past which the request has timed out. */
    readonly deadline: number,
    readonly signal: AbortSignal | undefined,
  ) {}

  handleEvent(): void {
    this.requests.abort(this.id);
  }
}

export class PendingRequests {
  private readonly byId = new Map<string, Pending>();
  /** Ids of requests whose signal is not watched yet (see ABORT_WATCH_MS); those that have ended are skipped. */
  private unwatched: string[] = [];
  /**
   * One timer for all pending requests (not one per request: a poll storm would arm and clear thousands),
   * armed for the earliest deadline or, sooner, for watching the signals of requests still waiting. A
   * request that ends leaves it armed (it then finds nothing).
   */
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Infinity;
  /** The earliest deadline the timer is owed for (its request may have ended since). */
  private deadlineAt = Infinity;

  /** `aborted(id)`: the request's signal fired while it was pending (before it is failed). */
  constructor(private readonly aborted: (id: string) => void) {}

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** `watchAbort` 'now': the signal is the caller's own (an abort must act at once); 'later': ext-tasks'. */
  add(id: string, method: string, timeoutMs: number, signal: AbortSignal | undefined, watchAbort: 'now' | 'later'): Promise<RawReply> {
    const now = performance.now();
    const waiter = new Pending(this, id, method, now + timeoutMs, signal);
    const reply = new Promise<RawReply>((resolve, reject) => {
      waiter.resolve = resolve;
      waiter.reject = reject;
    });
    this.byId.set(id, waiter);
    if (waiter.deadline < this.deadlineAt) this.deadlineAt = waiter.deadline;
    let wake = this.deadlineAt;
    if (signal !== undefined) {
      if (watchAbort === 'now') this.watch(waiter);
      else {
        this.unwatched.push(id);
        wake = Math.min(wake, now + ABORT_WATCH_MS);
      }
    }
    if (wake < this.timerAt) this.armTimer(wake);
    return reply;
  }

  /** Settles the request with its reply; false when it is no longer pending. */
  resolve(id: string, reply: RawReply): boolean {
    const waiter = this.byId.get(id);
    if (waiter === undefined) return false;
    this.end(waiter);
    waiter.resolve(reply);
    return true;
  }

  reject(id: string, error: Error): void {
    const waiter = this.byId.get(id);
    if (waiter === undefined) return;
    this.end(waiter);
    waiter.reject(error);
  }

  /** Its signal aborted. */
  abort(id: string): void {
    const waiter = this.byId.get(id);
    if (waiter === undefined) return;
    this.aborted(id);
    this.reject(id, new ModernRequestError(`${waiter.method}: aborted`));
  }

  failAll(error: Error): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    this.deadlineAt = Infinity;
    this.unwatched = [];
    for (const waiter of [...this.byId.values()]) {
      this.end(waiter);
      waiter.reject(error);
    }
  }

  private watch(waiter: Pending): void {
    waiter.watched = true;
    waiter.signal!.addEventListener('abort', waiter);
  }

  private end(waiter: Pending): void {
    if (waiter.watched) waiter.signal!.removeEventListener('abort', waiter);
    this.byId.delete(waiter.id);
  }

  private armTimer(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => this.onTimer(), Math.max(0, at - performance.now()));
    this.timer.unref?.();
  }

  private onTimer(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const unwatched = this.unwatched;
    this.unwatched = [];
    for (const id of unwatched) {
      const waiter = this.byId.get(id);
      if (waiter === undefined || waiter.watched) continue;
      if (waiter.signal!.aborted) this.abort(id);
      else this.watch(waiter);
    }
    const now = performance.now();
    if (this.deadlineAt <= now) {
      let next = Infinity;
      for (const waiter of [...this.byId.values()]) {
        if (waiter.deadline <= now) this.reject(waiter.id, new ModernRequestError(`${waiter.method}: Request timed out`, REQUEST_TIMEOUT_CODE));
        else next = Math.min(next, waiter.deadline);
      }
      this.deadlineAt = next;
    }
    if (this.deadlineAt !== Infinity) this.armTimer(this.deadlineAt);
  }
}
