import type { LogLevel, LogSink } from '../../../../src/core/model/ports';

export interface LogEntry {
  readonly level: LogLevel;
  readonly serverId: string | undefined;
  readonly message: string;
}

/** A LogSink that keeps every line, for assertions (and request counting through the trace lines). */
export class RecordingLog implements LogSink {
  readonly entries: LogEntry[] = [];

  log(level: LogLevel, serverId: string | undefined, message: string): void {
    this.entries.push({ level, serverId, message });
    if (process.env.CORE_TEST_LOG) {
      console.log(`    [${level}] ${serverId ?? '-'}: ${message.slice(0, 300)}`);
    }
  }

  /** Requests sent to a server, counted from the connection's `→ method #id` trace lines. */
  requests(serverId: string, method: string): number {
    return this.entries.filter((e) => e.serverId === serverId && e.level === 'trace' && e.message.startsWith(`→ ${method} #`)).length;
  }

  text(): string {
    return this.entries.map((e) => `${e.level} ${e.serverId}: ${e.message}`).join('\n');
  }
}
