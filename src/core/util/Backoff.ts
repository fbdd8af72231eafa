/**
 * Capped exponential backoff with jitter, for reconnects and failing polls. Jitter spreads the retries of
 * many servers (or many windows) that failed at the same moment.
 */
export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  /** 0..1: the share of each delay that is randomised. */
  readonly jitter: number;
}

export const DEFAULT_RECONNECT_BACKOFF: BackoffOptions = { initialMs: 1_000, maxMs: 30_000, jitter: 0.2 };

export class Backoff {
  private failures = 0;

  constructor(private readonly options: BackoffOptions = DEFAULT_RECONNECT_BACKOFF) {}

  /** The delay before the next try; each call counts one more failure. */
  next(): number {
    const base = Math.min(this.options.maxMs, this.options.initialMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    const spread = base * this.options.jitter;
    return Math.max(0, Math.round(base - spread + Math.random() * 2 * spread));
  }

  get attempts(): number {
    return this.failures;
  }

  reset(): void {
    this.failures = 0;
  }
}
