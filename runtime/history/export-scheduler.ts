// When the history file is written (spec 3.7). Each write copies the whole database, so it follows a
// change by a trailing debounce (about 1 s) but never waits more than about 5 s while changes keep
// coming, and runs at once when a run ends or the history closes. Writes never overlap.

export interface ExportTiming {
  debounceMs: number;
  maxWaitMs: number;
}

export const DEFAULT_EXPORT_TIMING: ExportTiming = { debounceMs: 1000, maxWaitMs: 5000 };

export class ExportScheduler {
  private dirtySince: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: () => Promise<void>,
    private readonly timing: ExportTiming = DEFAULT_EXPORT_TIMING,
  ) {}

  get dirty(): boolean {
    return this.dirtySince !== null;
  }

  markDirty(): void {
    const now = Date.now();
    this.dirtySince ??= now;
    if (this.timer) clearTimeout(this.timer);
    const wait = Math.max(0, Math.min(this.timing.debounceMs, this.dirtySince + this.timing.maxWaitMs - now));
    // A failed write leaves the changes dirty: a later write (at the latest flush or close) retries and reports.
    this.timer = setTimeout(() => this.now().catch(() => undefined), wait);
  }

  /** Writes now if anything changed since the last write; resolves when the file is on disk. */
  now(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const next = this.writing
      .catch(() => undefined)
      .then(async () => {
        if (this.dirtySince === null) return;
        this.dirtySince = null;
        try {
          await this.write();
        } catch (error) {
          // The changes are still only in memory: the next write tries again.
          this.dirtySince ??= Date.now();
          throw error;
        }
      });
    this.writing = next;
    return next;
  }
}
