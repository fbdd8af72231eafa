import type { LogLevel, LogSink } from '../../src/core/model/ports';

export interface LogLine {
  readonly level: LogLevel;
  readonly serverId: string | undefined;
  readonly message: string;
}

export interface RecordingLogOptions {
  /**
   * The levels kept; the core does not even build lines of the others (`isEnabled`), as with the editor's
   * log at its default level. Default: every level.
   */
  readonly levels?: readonly LogLevel[];
  /** Keep only the newest this many lines (a long benchmark need not hold its whole log). Default: all. */
  readonly limit?: number;
  /** Print each kept line to stderr as it comes (e.g. from an environment variable). */
  readonly echo?: boolean;
}

/**
 * A LogSink that keeps the core's lines, for assertions (searching for secrets, counting requests through
 * the trace lines) and for benchmarks (counting warnings and errors: one that quietly hits errors measures
 * nothing useful).
 */
export class RecordingLog implements LogSink {
  readonly lines: LogLine[] = [];
  /** Lines of each level, kept or not (`limit` drops old lines, never counts). */
  readonly counts: Record<LogLevel, number> = { trace: 0, debug: 0, info: 0, warn: 0, error: 0 };

  constructor(private readonly options: RecordingLogOptions = {}) {}

  isEnabled(level: LogLevel): boolean {
    return !this.options.levels || this.options.levels.includes(level);
  }

  log(level: LogLevel, serverId: string | undefined, message: string): void {
    this.counts[level]++;
    if (!this.isEnabled(level)) return;
    this.lines.push({ level, serverId, message });
    if (this.options.limit !== undefined && this.lines.length > this.options.limit) this.lines.shift();
    if (this.options.echo) console.error(`    [log ${level}] [${serverId ?? '-'}] ${message.slice(0, 300)}`);
  }

  /** The lines of one server. */
  of(serverId: string): LogLine[] {
    return this.lines.filter((e) => e.serverId === serverId);
  }

  /** How many lines of this server match. */
  count(serverId: string, pattern: RegExp): number {
    return this.of(serverId).filter((e) => pattern.test(e.message)).length;
  }

  /** Requests sent to a server, counted from the connection's `→ method #id` trace lines. */
  requests(serverId: string, method: string): number {
    return this.of(serverId).filter((e) => e.level === 'trace' && e.message.startsWith(`→ ${method} #`)).length;
  }

  /** Warnings and errors, of every server. */
  get problems(): number {
    return this.counts.warn + this.counts.error;
  }

  text(): string {
    return this.lines.map((e) => `${e.level} [${e.serverId ?? '-'}] ${e.message}`).join('\n');
  }
}
