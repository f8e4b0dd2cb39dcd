// A history whose database lives on the calling thread: opening (lock, damaged files, migrations,
// recovery, retention) and the file writes. Read-only commands use it directly; runs use it inside a
// worker (worker-main.ts).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database, SqlJsStatic } from 'sql.js';
import type { RunRecord, TaskRecord } from '../types';
import { ExportScheduler } from './export-scheduler';
import { hasSqliteHeader, moveAside, readHistoryFile, removeUnfinishedWrites, writeAtomically } from './file-store';
import { DEFAULT_MAX_RUNS, HistoryError, HistoryUnwritableError, LOCK_WAIT_MS, type History, type HistoryOptions } from './history';
import { fsReason } from '../fs-errors';
import { acquireLock, HistoryLockedError, tryLock, type Lock } from './lock';
import type { EventRecord } from './rows';
import { migrate } from './schema';
import { loadSqlJs } from './sqljs';
import { HistoryStore, type RunSummary, type WriteBatch } from './store';

export class LocalHistory implements History {
  private readonly exports: ExportScheduler | null;

  private constructor(
    readonly path: string,
    private readonly store: HistoryStore,
    private readonly lock: Lock | null,
    private readonly maxRuns: number,
    readonly warnings: string[],
    options: HistoryOptions,
  ) {
    this.exports = lock ? new ExportScheduler(() => writeAtomically(path, store.export()), options.timing) : null;
  }

  static async open(options: HistoryOptions): Promise<LocalHistory> {
    const { path } = options;
    const SQL = await loadSqlJs();
    const lock = await takeLock(options).catch((error: unknown) => {
      if (error instanceof HistoryError) throw error;
      throw new HistoryError(`cannot use the history file ${path}: ${fsReason(error)}`);
    });
    if (lock) removeUnfinishedWrites(path);
    const warnings: string[] = lock?.broke ? [lock.broke] : [];
    let db: Database | null = null;
    try {
      // Read-only commands never move a file, even when no writer is about.
      const opened = openDatabase(SQL, path, options.mode === 'write', warnings);
      db = opened.db;
      const migrated = migrate(db);
      const store = new HistoryStore(db);
      const maxRuns = options.maxRuns ?? DEFAULT_MAX_RUNS;
      const history = new LocalHistory(path, store, lock, maxRuns, warnings, options);
      // A new database has nothing to recover or prune, and reaches the disk with its first run; an
      // existing file is rewritten only if opening changed it.
      if (lock && !opened.fresh) {
        const recovered = store.recoverInterrupted();
        const pruned = store.prune(maxRuns);
        if (migrated || recovered.length > 0 || pruned > 0) history.exports?.markDirty();
      }
      return history;
    } catch (error) {
      db?.close();
      lock?.release();
      if (error instanceof HistoryError) throw error;
      throw new HistoryError(`cannot use the history file ${path}: ${fsReason(error)}`);
    }
  }

  apply(batch: WriteBatch): void {
    if (!this.exports) throw new HistoryError(`the history file ${this.path} was opened read-only`);
    this.store.apply(batch);
    if (batch.finished.length > 0) {
      this.store.prune(this.maxRuns);
      this.exports.markDirty();
      this.exports.now().catch(() => undefined);
    } else {
      this.exports.markDirty();
    }
  }

  async flush(): Promise<void> {
    if (!this.exports) return;
    try {
      await this.exports.now();
    } catch (error) {
      throw new HistoryUnwritableError(`could not write the history file ${this.path}: ${fsReason(error)}; what changed since its last write is not saved, and the file keeps the history as last written`);
    }
  }

  async listRuns(query: { limit: number; file?: string }): Promise<RunSummary[]> {
    return this.store.listRuns(query);
  }

  async findRun(idOrPrefix: string): Promise<RunRecord | null> {
    return this.store.findRun(idOrPrefix);
  }

  async latestRetryable(): Promise<RunRecord | null> {
    return this.store.latestRetryable();
  }

  async tasksOf(runId: string): Promise<TaskRecord[]> {
    return this.store.tasksOf(runId);
  }

  async eventsOf(runId: string, taskId?: string): Promise<EventRecord[]> {
    return this.store.eventsOf(runId, taskId);
  }

  async deleteRun(id: string): Promise<boolean> {
    const deleted = this.writable().deleteRun(id);
    if (deleted) this.exports?.markDirty();
    return deleted;
  }

  async clear(): Promise<void> {
    this.writable().clear();
    this.exports?.markDirty();
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      this.store.close();
      this.lock?.release();
    }
  }

  private writable(): HistoryStore {
    if (!this.exports) throw new HistoryError(`the history file ${this.path} is in use by another process; try again when its run has finished`);
    return this.store;
  }
}

/** A writer waits for the lock; a reader takes it only if it is free, and otherwise reads a snapshot. */
async function takeLock(options: HistoryOptions): Promise<Lock | null> {
  const lockPath = `${options.path}.lock`;
  // A reader of a missing or empty file has nothing to recover, and creates nothing.
  if (options.mode === 'read' && readHistoryFile(options.path) === null) return null;
  if (options.mode === 'read') {
    try {
      return tryLock(lockPath);
    } catch {
      // No lock can be made here (a full disk, a read-only folder): read the file as it is.
      return null;
    }
  }
  try {
    // The history holds inputs (tokens among them), URLs and command output: only its owner may read it.
    mkdirSync(dirname(options.path), { recursive: true, mode: 0o700 });
    return await acquireLock(lockPath, options.lockWaitMs ?? LOCK_WAIT_MS);
  } catch (error) {
    if (error instanceof HistoryLockedError) throw new HistoryError(`cannot use the history file ${options.path}: ${error.message}`);
    throw new HistoryUnwritableError(`cannot use the history file ${options.path}: its lock file ${lockPath} cannot be created: ${fsReason(error)}`);
  }
}

/**
 * The database in the file, or a new one. A damaged history of ours is moved aside (when we may write)
 * rather than overwritten, and the user is told where it went; any other file is never touched.
 */
function openDatabase(SQL: SqlJsStatic, path: string, canWrite: boolean, warnings: string[]): { db: Database; fresh: boolean } {
  const bytes = readHistoryFile(path);
  if (bytes === null) return { db: new SQL.Database(), fresh: true };
  if (!hasSqliteHeader(bytes)) {
    throw new HistoryError(`${path} is not an apflow run history (it is not a SQLite database), so it was left as it is; give --history a new file name, or move that file away`);
  }
  const db = soundDatabase(SQL, bytes);
  if (db) return { db, fresh: false };
  if (!looksLikeOurs(bytes)) {
    throw new HistoryError(`${path} is a damaged SQLite database that is not an apflow run history, so it was left as it is; give --history a new file name, or move that file away`);
  }
  if (!canWrite) throw new HistoryError(`the history file ${path} is damaged; the next run will move it aside and start a new one`);
  const moved = moveAside(path);
  warnings.push(`warning: the history file ${path} was damaged; it was moved to ${moved} and a new history was started`);
  return { db: new SQL.Database(), fresh: true };
}

/** Our schema's text is stored in the file's first pages (sqlite_master): a damaged file still shows it. */
function looksLikeOurs(bytes: Uint8Array): boolean {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 64 * 1024)).toString('latin1');
  return SCHEMA_MARKS.every((mark) => text.includes(mark));
}
const SCHEMA_MARKS = ['CREATE TABLE meta (schema_version', 'CREATE TABLE runs', 'CREATE TABLE tasks'];

function soundDatabase(SQL: SqlJsStatic, bytes: Uint8Array): Database | null {
  let db: Database | null = null;
  try {
    db = new SQL.Database(bytes);
    const verdict = db.exec('PRAGMA quick_check')[0]?.values[0]?.[0];
    if (verdict === 'ok') return db;
  } catch {
    // Not readable as a database: treated like a failed check.
  }
  db?.close();
  return null;
}
