// Redis connections from a URL that may carry a password (redis://:secret@host:6379/0, rediss:// for TLS).
// The URL is never printed as given: messages name it through `redactedUrl`, and nothing here writes it
// to the history.
import IORedis, { type RedisOptions } from 'ioredis';

/** A queue run or worker that cannot start for a reason the user can fix (a bad URL, Redis unreachable, a file outside the workspace): the message says what. */
export class QueueSetupError extends Error {}

/** The URL with its password (and user name) replaced, for messages. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    if (parsed.username) parsed.username = parsed.password ? parsed.username : '***';
    return parsed.toString();
  } catch {
    return 'the Redis URL';
  }
}

/** The URL with `password` filled in when it has none (a password given in the URL wins). */
export function withPassword(url: string, password: string | undefined): string {
  if (!password) return url;
  try {
    const parsed = new URL(url);
    if (parsed.password) return url;
    parsed.password = password;
    return parsed.toString();
  } catch {
    return url; // Not a URL: checkedUrl refuses it with a clear message.
  }
}

export function checkedUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new QueueSetupError(`'${redactedUrl(url)}' is not a URL: give one like redis://localhost:6379 (rediss:// for TLS, redis://:PASSWORD@host:port/DB)`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new QueueSetupError(`${redactedUrl(url)} is not a Redis URL: it must start with redis:// or rediss://`);
  }
  return url;
}

/**
 * A connection for BullMQ (which needs `maxRetriesPerRequest: null` for its blocking commands). ioredis
 * reconnects on its own after a drop; the caller listens for 'error'.
 */
export function connect(url: string, options: RedisOptions = {}): IORedis {
  return new IORedis(checkedUrl(url), { maxRetriesPerRequest: null, enableReadyCheck: true, ...options });
}

/** Connects once, without retrying, and pings: rejects with a message that names the server, never the password. */
export async function probe(url: string, timeoutMs = 5000): Promise<void> {
  const client = new IORedis(checkedUrl(url), { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null });
  // What the server said (WRONGPASS, NOAUTH) arrives as an 'error' event before the command fails with "Connection is closed".
  const said: { error?: Error } = {};
  client.on('error', (error: Error) => (said.error ??= error));
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    const reason = said.error?.message ?? (error instanceof Error ? error.message : String(error));
    throw new QueueSetupError(`cannot reach Redis at ${redactedUrl(url)}: ${reason}`);
  } finally {
    client.disconnect();
  }
}
