// One writer per history file (spec 3.7): a lock file beside it holds the owner's pid. A second writer
// waits, then names the process that holds it; a lock whose process is gone is taken over.
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';

const POLL_MS = 100;
/** A lock file still empty after this long was left by a process that died while creating it. */
const EMPTY_LOCK_GRACE_MS = 2000;

export class HistoryLockedError extends Error {
  constructor(
    readonly pid: number,
    readonly lockPath: string,
  ) {
    super(`it is in use by process ${pid} (lock file ${lockPath}); wait for that run to finish, or choose another history file`);
  }
}

export interface Lock {
  readonly path: string;
  release(): void;
}

/** Takes the lock, waiting up to `waitMs` for another live writer to let go. */
export async function acquireLock(lockPath: string, waitMs: number): Promise<Lock> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const holder = tryCreate(lockPath);
    if (holder === null) return ownLock(lockPath);
    if (holder === 'stale') {
      removeQuietly(lockPath);
      continue;
    }
    // An empty lock being written becomes stale after EMPTY_LOCK_GRACE_MS, well within a writer's wait.
    if (holder !== 'starting' && Date.now() >= deadline) throw new HistoryLockedError(holder, lockPath);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Takes the lock only if it is free (or stale) right now. */
export function tryLock(lockPath: string): Lock | null {
  for (;;) {
    const holder = tryCreate(lockPath);
    if (holder === null) return ownLock(lockPath);
    if (holder !== 'stale') return null;
    removeQuietly(lockPath);
  }
}

type Holder = number | 'stale' | 'starting';

/** null when created; otherwise the live holder's pid, 'stale', or 'starting' (its pid not yet written). */
function tryCreate(lockPath: string): Holder | null {
  let fd: number;
  try {
    fd = openSync(lockPath, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return holderOf(lockPath);
  }
  try {
    writeSync(fd, String(process.pid));
  } finally {
    closeSync(fd);
  }
  return null;
}

function holderOf(lockPath: string): Holder {
  let text: string;
  try {
    text = readFileSync(lockPath, 'utf8').trim();
  } catch {
    return 'stale';
  }
  const pid = Number(text);
  if (text === '' || !Number.isInteger(pid)) {
    const age = Date.now() - (statSafe(lockPath) ?? 0);
    return age > EMPTY_LOCK_GRACE_MS ? 'stale' : 'starting';
  }
  return isAlive(pid) ? pid : 'stale';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it just is not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function statSafe(path: string): number | null {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Someone else removed it first.
  }
}

function ownLock(lockPath: string): Lock {
  const release = () => {
    process.removeListener('exit', release);
    // Only remove it while it is still ours (a takeover after a hang must not be undone).
    try {
      if (readFileSync(lockPath, 'utf8').trim() === String(process.pid)) unlinkSync(lockPath);
    } catch {
      // Already gone.
    }
  };
  process.on('exit', release);
  return { path: lockPath, release };
}
