// Reads a run's Redis stream as workers append to it: one blocking XREAD at a time on a connection of
// its own, many entries per read, so that 10,000 quick tasks cost a few hundred round trips.
import type IORedis from 'ioredis';
import type { StreamEvent } from './protocol';

const BLOCK_MS = 250;
/** Entries handled per read: bounds the time one turn of the coordinator's event loop spends on them. */
const COUNT = 50;

type Entries = [key: string, entries: [id: string, fields: string[]][]][] | null;

export class StreamReader {
  private listener: (event: StreamEvent) => void = () => undefined;
  private running: Promise<void> | null = null;
  private stopped = false;

  private last = '0-0';

  constructor(private readonly client: IORedis) {
    client.on('error', () => undefined);
  }

  onEvent(listener: (event: StreamEvent) => void): void {
    this.listener = listener;
  }

  start(key: string): void {
    this.running = this.loop(key);
  }

  /** Ends the loop: disconnecting ends the read under way, which waits for Redis while it is unreachable. */
  async stop(): Promise<void> {
    this.stopped = true;
    const connected = this.client.status === 'ready';
    this.client.disconnect();
    // A read queued while Redis was away is never answered, not even by the disconnect: not waited for.
    if (connected) await this.running;
  }

  private async loop(key: string): Promise<void> {
    while (!this.stopped) {
      let read: Entries;
      try {
        read = (await this.client.xread('COUNT', COUNT, 'BLOCK', BLOCK_MS, 'STREAMS', key, this.last)) as Entries;
      } catch {
        if (this.stopped) break;
        // A dropped connection: ioredis reconnects, and the stream keeps what was written meanwhile.
        await new Promise((resolve) => setTimeout(resolve, BLOCK_MS));
        continue;
      }
      for (const [, entries] of read ?? []) {
        for (const [id, fields] of entries) {
          this.last = id;
          const event = parseEvent(fields);
          if (event) this.listener(event);
        }
      }
    }
  }
}

function parseEvent(fields: string[]): StreamEvent | null {
  const at = fields.indexOf('e');
  if (at < 0 || at + 1 >= fields.length) return null;
  try {
    return JSON.parse(fields[at + 1]) as StreamEvent;
  } catch {
    return null;
  }
}
