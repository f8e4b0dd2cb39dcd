// A history whose database lives on the calling thread: opening (lock, damaged files, migrations,
// recovery, retention) and the file writes. Read-only commands use it directly; runs use it inside a
// worker (worker-main.ts).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database, SqlJsStatic } from 'sql.js';
import type { RunRecord, TaskRecord } from '../types';
import { ExportScheduler } from './export-scheduler';
import { hasSqliteHeader, moveAside, readHistoryFile, removeUnfinishedWrites, writeAtomically } from './file-store';
import { DEFAULT_MAX_RUNS, HistoryError, LOCK_WAIT_MS, type History, type HistoryOptions } from './history';
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
    const lock = await takeLock(options);
    if (lock) removeUnfinishedWrites(path);
    const warnings: string[] = [];
    let db: Database | null = null;
    try {
      const opened = openDatabase(SQL, path, lock !== null, warnings);
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
      throw new HistoryError(`cannot use the history file ${path}: ${error instanceof Error ? error.message : String(error)}`);
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
      throw new HistoryError(`could not write the history file ${this.path}: ${error instanceof Error ? error.message : String(error)}`);
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
  if (options.mode === 'read') return readHistoryFile(options.path) === null ? null : tryLock(lockPath);
  mkdirSync(dirname(options.path), { recursive: true });
  try {
    return await acquireLock(lockPath, options.lockWaitMs ?? LOCK_WAIT_MS);
  } catch (error) {
    if (error instanceof HistoryLockedError) throw new HistoryError(`cannot use the history file ${options.path}: ${error.message}`);
    throw error;
  }
}

/**
 * The database in the file, or a new one. A file that is not a sound SQLite database is moved aside
 * (when we may write) rather than overwritten, and the user is told where it went.
 */
function openDatabase(SQL: SqlJsStatic, path: string, canWrite: boolean, warnings: string[]): { db: Database; fresh: boolean } {
  const bytes = readHistoryFile(path);
  if (bytes === null) return { db: new SQL.Database(), fresh: true };
  const db = soundDatabase(SQL, bytes);
  if (db) return { db, fresh: false };
  if (!canWrite) throw new HistoryError(`the history file ${path} is damaged or not a SQLite database; the next run will move it aside and start a new one`);
  const moved = moveAside(path);
  warnings.push(`warning: the history file ${path} was damaged or not a SQLite database; it was moved to ${moved} and a new history was started`);
  return { db: new SQL.Database(), fresh: true };
}

function soundDatabase(SQL: SqlJsStatic, bytes: Uint8Array): Database | null {
  if (!hasSqliteHeader(bytes)) return null;
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
