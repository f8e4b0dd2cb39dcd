// One pace for the views that follow a live run: the Runs view's change events, the lenses above a tree,
// and the run statuses told to the language server.

/**
 * Calls `act` at most once per gap: at once when the last call is a gap old, else at the end of the gap.
 * (Called only at a gap's end, what lasted less than the gap was never shown: a task that ran for 200 ms
 * never showed as running.)
 */
export class Pace {
  private timer: NodeJS.Timeout | null = null;
  private last = Number.NEGATIVE_INFINITY;

  constructor(private readonly act: () => void) {}

  /** Asks for a call; a call already waiting answers this one too. */
  request(gapMs: number): void {
    if (this.timer) return;
    const wait = this.last + gapMs - performance.now();
    if (wait <= 0) this.run();
    else this.timer = setTimeout(() => this.run(), Math.ceil(wait));
  }

  /** Drops the waiting call, if any (what it would have shown was shown some other way). */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private run(): void {
    this.timer = null;
    this.last = performance.now();
    this.act();
  }
}
