/**
 * What a stdio server writes to stderr. Keeps a chatty server from flooding the log: up to a budget of lines
 * and bytes per second pass; the rest are counted and reported in one line when the second is over. Keeps the
 * last line too: a server that exits usually says why there ("ModuleNotFoundError: …", "missing API_KEY"); the
 * bare "Connection closed" the SDK reports does not, so the failure reason quotes it (found by the reliability
 * suite's exit-at-start and exit-mid-request cases).
 */
import { oneLine } from '../util/logText';
import { delay, unrefTimeout, type TimerHandle } from '../util/timers';

const WINDOW_MS = 1_000;
const MAX_LINES_PER_WINDOW = 100;
const MAX_BYTES_PER_WINDOW = 32 * 1024;
/** How long to wait for a dying process's stderr after its stdout closed. */
const STDERR_GRACE_MS = 30;

export class StderrThrottle {
  private lines = 0;
  private bytes = 0;
  private suppressed = 0;
  private window?: TimerHandle;
  /** The last line of the current process (cleared for a new one). */
  private lastLine?: string;

  constructor(private readonly emit: (line: string) => void) {}

  /** A new process: its last words are its own. */
  newProcess(): void {
    this.lastLine = undefined;
  }

  /** `; the server last printed: "…"` if the process printed anything, else ''. */
  async lastWords(): Promise<string> {
    // The process's last stderr bytes may be read just after its stdout closed.
    await delay(STDERR_GRACE_MS);
    const line = this.lastLine;
    return line === undefined ? '' : `; the server last printed: "${oneLine(line, 300)}"`;
  }

  push(line: string): void {
    this.lastLine = line;
    if (!this.window) {
      this.window = unrefTimeout(() => this.endWindow(), WINDOW_MS);
    }
    if (this.lines < MAX_LINES_PER_WINDOW && this.bytes + line.length <= MAX_BYTES_PER_WINDOW) {
      this.lines++;
      this.bytes += line.length;
      this.emit(line);
    } else {
      this.suppressed++;
    }
  }

  dispose(): void {
    if (this.window) {
      clearTimeout(this.window);
    }
    this.endWindow();
  }

  private endWindow(): void {
    this.window = undefined;
    this.lines = 0;
    this.bytes = 0;
    if (this.suppressed > 0) {
      const n = this.suppressed;
      this.suppressed = 0;
      this.emit(`… ${n} more stderr line(s) suppressed (the server writes faster than the log takes)`);
    }
  }
}
