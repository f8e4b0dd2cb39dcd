// Redis going away mid-run (issue 15, docs/workers.md). ioredis reconnects on its own and our
// connections keep their commands until it has (`maxRetriesPerRequest: null`), so an outage is silent
// and, if Redis never comes back, endless. This watches one connection for its owner: it says when the
// connection is lost and when it is back, and gives up once it has been down for longer than a bound.
import type IORedis from 'ioredis';
import { redactedUrl } from './connection';

export interface OutageHandlers {
  /** The connection dropped: `reason` is what ioredis last said (ECONNREFUSED, …). */
  lost(reason: string): void;
  /** It is back, after `downMs`. */
  back(downMs: number): void;
  /** It has been down for the whole bound (only when a bound is given). */
  gaveUp?(reason: string): void;
}

export class OutageWatch {
  private downSince: number | null = null;
  private reason = 'the connection closed';
  private timer: NodeJS.Timeout | null = null;
  /** After dispose: the owner's own disconnect is no outage. */
  private disposed = false;

  constructor(
    client: IORedis,
    private readonly handlers: OutageHandlers,
    /** How long the connection may stay down before `gaveUp`; null for no bound. */
    private readonly boundMs: number | null = null,
  ) {
    client.on('error', (error: Error) => (this.reason = error.message || this.reason));
    client.on('close', () => this.dropped());
    client.on('ready', () => this.restored());
  }

  /** Whether the connection is down now: commands sent now wait for it. */
  get down(): boolean {
    return this.downSince !== null;
  }

  dispose(): void {
    this.disposed = true;
    this.stopTimer();
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private dropped(): void {
    if (this.disposed || this.downSince !== null) return;
    this.downSince = Date.now();
    this.handlers.lost(this.reason);
    if (this.boundMs !== null) {
      this.timer = setTimeout(() => this.handlers.gaveUp?.(this.reason), this.boundMs);
      this.timer.unref();
    }
  }

  private restored(): void {
    if (this.disposed || this.downSince === null) return;
    const downMs = Date.now() - this.downSince;
    this.downSince = null;
    this.stopTimer();
    this.handlers.back(downMs);
  }
}

/** "lost the connection to Redis at URL (reason)": the start of every outage message. */
export function lostConnection(url: string, reason: string): string {
  return `lost the connection to Redis at ${redactedUrl(url)} (${reason})`;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
