/**
 * When VS Code has fetched the rows of a view just shown: it asks for the root, then each expanded server's
 * children, a few ms apart, so the rows are served once it pauses (QUIET_MS after its last getChildren), or
 * MAX_MS after asking at most. The extension resumes polling then: the view draws from what is held first,
 * before a burst of listings competes with it for the machine (issue 13). The pause leaves the workbench the
 * time it takes to lay out and paint the rows it was just given (100–200 ms on the bench's two cores; with
 * 50 ms, polling resumed while it was still drawing: the diagnostic "shown again" rows were 40–55 ms faster
 * with the resume held back until the rows were on screen).
 */
const QUIET_MS = 250;
const MAX_MS = 1000;

export class RowsServed {
  private readonly waiting: (() => void)[] = [];
  private quiet: NodeJS.Timeout | undefined;
  private deadline: NodeJS.Timeout | undefined;

  /** Runs `fn` once the rows are served. */
  then(fn: () => void): void {
    this.waiting.push(fn);
    this.deadline ??= setTimeout(() => this.served(), MAX_MS);
  }

  /** VS Code asked for children. */
  asked(): void {
    if (!this.waiting.length) return;
    clearTimeout(this.quiet);
    this.quiet = setTimeout(() => this.served(), QUIET_MS);
  }

  dispose(): void {
    clearTimeout(this.quiet);
    clearTimeout(this.deadline);
    this.waiting.length = 0;
  }

  private served(): void {
    clearTimeout(this.quiet);
    clearTimeout(this.deadline);
    this.quiet = this.deadline = undefined;
    for (const fn of this.waiting.splice(0)) fn();
  }
}
