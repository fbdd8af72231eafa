/**
 * Keeps a chatty server's stderr from flooding the log: up to a budget of lines and bytes per second
 * pass; the rest are counted and reported in one line when the second is over.
 */
import { unrefTimeout, type TimerHandle } from '../util/timers';

const WINDOW_MS = 1_000;
const MAX_LINES_PER_WINDOW = 100;
const MAX_BYTES_PER_WINDOW = 32 * 1024;

export class StderrThrottle {
  private lines = 0;
  private bytes = 0;
  private suppressed = 0;
  private window?: TimerHandle;

  constructor(private readonly emit: (line: string) => void) {}

  push(line: string): void {
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
