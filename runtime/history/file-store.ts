// The history file on disk: read whole, written whole and atomically (temporary file in the same
// folder, flushed, renamed over the old one), so that a crash leaves the old file or the new one,
// never a torn one.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { HistoryError } from './history';

const SQLITE_HEADER = 'SQLite format 3\u0000';

/** The file's bytes, or null when there is no file (or it is empty: SQLite treats that as a new database). */
export function readHistoryFile(path: string): Uint8Array | null {
  if (!existsSync(path)) return null;
  // A FIFO or a device would block the read forever, or never end.
  if (!statSync(path).isFile()) throw new HistoryError(`${path} is not a regular file, so it cannot be a run history; give --history a file name`);
  const bytes = readFileSync(path);
  return bytes.length === 0 ? null : bytes;
}

export function hasSqliteHeader(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(16, bytes.length)).toString('latin1') === SQLITE_HEADER;
}

const tempPrefix = (path: string) => `.${basename(path)}.`;

export async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const temp = join(dirname(path), `${tempPrefix(path)}${process.pid}.${Date.now()}.tmp`);
  try {
    // Only the owner may read the history: it holds inputs (tokens among them) and command output.
    const file = await open(temp, 'w', 0o600);
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(path));
}

/** Makes the rename itself durable; not every platform can open a directory, which is fine. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows cannot fsync a directory; its rename is already durable enough.
  }
}

/**
 * Removes temporary files of writes that never finished (a process killed while writing). Only the
 * lock holder calls this, before its first write, so none of them can still be in use.
 */
export function removeUnfinishedWrites(path: string): void {
  const dir = dirname(path);
  for (const name of readdirSync(dir)) {
    if (name.startsWith(tempPrefix(path)) && name.endsWith('.tmp')) rmSync(join(dir, name), { force: true });
  }
}

/** Moves a damaged file out of the way as `<name>.corrupt-<timestamp>`; returns the new path. */
export function moveAside(path: string): string {
  const target = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  renameSync(path, target);
  return target;
}
