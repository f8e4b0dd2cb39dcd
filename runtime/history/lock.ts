// One writer per history file (spec 3.7): a lock file beside it names its holder — pid, the process's
// start time and the host — so that a pid reused by another process (pid 1 in a new container, pid
// wrap-around) is not mistaken for the holder. A second writer waits, then names the process that
// holds it; a lock whose holder is gone (or that is empty or unreadable) is stale and broken, and the
// caller is told so.
import { closeSync, linkSync, openSync, readFileSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { isAlive, processStartTime } from '../process-table';

const POLL_MS = 100;

export class HistoryLockedError extends Error {
  constructor(
    readonly pid: number,
    readonly lockPath: string,
    host: string | null = null,
  ) {
    super(`it is in use by process ${pid}${host && host !== hostname() ? ` on ${host}` : ''} (lock file ${lockPath}); wait for that run to finish, or choose another history file`);
  }
}

export interface Lock {
  readonly path: string;
  /** Set when a stale lock was broken to take this one: what the user should be told. */
  readonly broke: string | null;
  release(): void;
}

/** Who holds a lock. `start` is null where the platform cannot say (no /proc), `host` in locks of older versions. */
interface Holder {
  pid: number;
  start: string | null;
  host: string | null;
}

/** Takes the lock, waiting up to `waitMs` for another live writer to let go. */
export async function acquireLock(lockPath: string, waitMs: number): Promise<Lock> {
  const deadline = Date.now() + waitMs;
  let broke: string | null = null;
  for (;;) {
    const found = tryCreate(lockPath);
    if (found === null) return ownLock(lockPath, broke);
    if ('stale' in found) {
      broke = breakStale(lockPath, found.stale);
      continue;
    }
    if (Date.now() >= deadline) throw new HistoryLockedError(found.pid, lockPath, found.host);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Takes the lock only if it is free (or stale) right now. */
export function tryLock(lockPath: string): Lock | null {
  let broke: string | null = null;
  for (;;) {
    const found = tryCreate(lockPath);
    if (found === null) return ownLock(lockPath, broke);
    if (!('stale' in found)) return null;
    broke = breakStale(lockPath, found.stale);
  }
}

function me(): Holder {
  return { pid: process.pid, start: processStartTime(process.pid), host: hostname() };
}

type Found = Holder | { stale: string };

/**
 * null when created. The lock is written whole before it appears (a hard link of a finished temporary
 * file), so an empty or unreadable lock is never one being written: it is stale.
 */
function tryCreate(lockPath: string): Found | null {
  const content = `${JSON.stringify(me())}\n`;
  const temp = `${lockPath}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(temp, content, { mode: 0o600 });
    try {
      linkSync(temp, lockPath);
      return null;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return holderOf(lockPath);
      // A file system without hard links: exclusive creation, then the content.
      return createExclusive(lockPath, content);
    }
  } finally {
    removeQuietly(temp);
  }
}

function createExclusive(lockPath: string, content: string): Found | null {
  let fd: number;
  try {
    fd = openSync(lockPath, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return holderOf(lockPath);
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return null;
}

function holderOf(lockPath: string): Found {
  let text: string;
  try {
    text = readFileSync(lockPath, 'utf8').trim();
  } catch (error) {
    return { stale: `it could not be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
  const holder = parseHolder(text);
  if (!holder) return { stale: text === '' ? 'it was empty' : 'it did not name a process' };
  // Another host's processes cannot be checked from here: its lock is respected.
  if (holder.host !== null && holder.host !== hostname()) return holder;
  if (!isAlive(holder.pid)) return { stale: `its process ${holder.pid} is no longer running` };
  const start = processStartTime(holder.pid);
  if (holder.start !== null && start !== null && start !== holder.start) {
    return { stale: `its process ${holder.pid} is no longer running (that pid now belongs to another process)` };
  }
  return holder;
}

/** The JSON this version writes, or the bare pid older versions wrote. */
function parseHolder(text: string): Holder | null {
  if (/^\d+$/.test(text)) return { pid: Number(text), start: null, host: null };
  try {
    const value = JSON.parse(text) as Partial<Holder>;
    if (!Number.isInteger(value.pid)) return null;
    return { pid: value.pid as number, start: typeof value.start === 'string' ? value.start : null, host: typeof value.host === 'string' ? value.host : null };
  } catch {
    return null;
  }
}

function breakStale(lockPath: string, why: string): string {
  try {
    unlinkSync(lockPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`its lock file ${lockPath} is stale (${why}) but cannot be removed: ${(error as Error).message}; remove it by hand`);
    }
  }
  return `warning: broke the stale lock ${lockPath}: ${why}`;
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Someone else removed it first.
  }
}

function ownLock(lockPath: string, broke: string | null): Lock {
  const mine = me();
  const release = () => {
    process.removeListener('exit', release);
    // Only remove it while it is still ours (a takeover after a hang must not be undone).
    try {
      const holder = parseHolder(readFileSync(lockPath, 'utf8').trim());
      if (holder?.pid === mine.pid && holder.start === mine.start) unlinkSync(lockPath);
    } catch {
      // Already gone.
    }
  };
  process.on('exit', release);
  return { path: lockPath, broke, release };
}
