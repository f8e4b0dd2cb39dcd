// When the history file is written (spec 3.7). Each write copies the whole database, so writes are
// batched: the first change arms a timer and later changes ride along with it (the timer is never
// re-armed by a change, so a busy run cannot postpone its first write). While changes keep coming the
// file is written once per interval; it is written at once when a run ends or the history closes.
// Writes never overlap. A process killed mid-run therefore loses at most about one interval of events.

export interface ExportTiming {
  /** How long after the first unwritten change the file is written (and so, how often while a run is busy). */
  intervalMs: number;
}

export const DEFAULT_EXPORT_TIMING: ExportTiming = { intervalMs: 1000 };

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
    this.dirtySince ??= Date.now();
    this.arm();
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

  /** One timer at a time, counted from the oldest unwritten change. */
  private arm(): void {
    if (this.timer || this.dirtySince === null) return;
    const wait = Math.max(0, this.dirtySince + this.timing.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      // A failed write leaves the changes dirty: a later write (at the latest flush or close) retries and
      // reports. Changes that arrived while writing arm the next interval.
      this.now()
        .catch(() => undefined)
        .finally(() => this.arm());
    }, wait);
  }
}
