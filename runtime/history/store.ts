// The history tables over one in-memory sql.js database: batched writes, recovery of interrupted runs,
// retention and the queries the CLI and the editor need. Statements are prepared once and kept; a
// batch is one transaction (the performance guide's rules for sql.js).
import type { Database, SqlValue, Statement } from 'sql.js';
import { attemptsFromCell, attemptsJson, eventFromRow, eventRow, runFromRow, taskFromRow, type EventRecord, type Row } from './rows';
import { endAttempt } from '../lifecycle';
import { resolveReferences } from './references';
import { EVENT_COLUMNS, RUN_COLUMNS, TASK_COLUMNS } from './schema';
import type { RunRecord, TaskRecord, TaskStatus } from '../types';

/** Writes gathered over one macrotask. Rows are in the column order of schema.ts. */
export interface WriteBatch {
  runs: Row[];
  tasks: Row[];
  events: Row[];
  /** Runs that ended in this batch: retention runs and the file is written at once. */
  finished: string[];
}

export interface RunSummary extends RunRecord {
  counts: Record<TaskStatus | 'blocked', number>;
}

export const INTERRUPTED_TASK = 'interrupted: the process ended before the task finished';
export const INTERRUPTED_PENDING = 'interrupted: the process ended before the task started';
export const INTERRUPTED_RUN = 'interrupted: the process ended before the run finished';

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');
const TASK_STATE = ['status', 'inputs', 'result', 'error', 'progress', 'started_at', 'updated_at', 'completed_at', 'attempt_count', 'blocked_by', 'hooks', 'attempts', 'merged_from'];

export class HistoryStore {
  private readonly insertRun: Statement;
  private readonly upsertTask: Statement;
  private readonly insertEvent: Statement;

  constructor(private readonly db: Database) {
    // The performance guide's three pragmas: ~5x faster commits for a database only we touch in memory.
    db.exec('PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF;');
    this.insertRun = db.prepare(
      `INSERT INTO runs (${RUN_COLUMNS.join(', ')}) VALUES (${placeholders(RUN_COLUMNS.length)})
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, finished_at = excluded.finished_at, error = excluded.error`,
    );
    this.upsertTask = db.prepare(
      `INSERT INTO tasks (${TASK_COLUMNS.join(', ')}) VALUES (${placeholders(TASK_COLUMNS.length)})
       ON CONFLICT (run_id, id) DO UPDATE SET ${TASK_STATE.map((c) => `${c} = excluded.${c}`).join(', ')}`,
    );
    this.insertEvent = db.prepare(`INSERT INTO events (${EVENT_COLUMNS.join(', ')}) VALUES (${placeholders(EVENT_COLUMNS.length)})`);
  }

  apply(batch: WriteBatch): void {
    this.transaction(() => {
      for (const row of batch.runs) this.insertRun.run(row);
      for (const row of batch.tasks) this.upsertTask.run(row);
      for (const row of batch.events) this.insertEvent.run(row);
    });
  }

  /**
   * Spec 3.7: runs left `running` by a process that died end `failed`; their in-progress tasks fail and
   * their pending tasks are cancelled, each with a status event. Times are the run's last known
   * activity, so durations stay honest. Returns the ids of the recovered runs.
   */
  recoverInterrupted(): string[] {
    const runs = this.rows('SELECT id, started_at FROM runs WHERE status = ?', ['running']);
    if (runs.length === 0) return [];
    this.transaction(() => {
      for (const run of runs) {
        const id = String(run.id);
        const last = this.rows('SELECT max(updated_at) AS at FROM tasks WHERE run_id = ?', [id])[0]?.at;
        const at = String(last ?? run.started_at);
        let seq = Number(this.rows('SELECT coalesce(max(seq), 0) AS seq FROM events WHERE run_id = ?', [id])[0].seq);
        const close = (from: TaskStatus, to: TaskStatus, error: string) => {
          for (const task of this.rows('SELECT id FROM tasks WHERE run_id = ? AND status = ? ORDER BY position', [id, from])) {
            this.insertEvent.run(eventRow({ run_id: id, seq: ++seq, at: Date.parse(at), task_id: String(task.id), kind: 'status', from_status: from, to_status: to, message: error }));
          }
          this.db.run('UPDATE tasks SET status = ?, error = ?, completed_at = ?, updated_at = ?, blocked_by = NULL WHERE run_id = ? AND status = ?', [to, error, at, at, id, from]);
        };
        this.closeAttempts(id, Date.parse(at));
        close('in_progress', 'failed', INTERRUPTED_TASK);
        close('pending', 'cancelled', INTERRUPTED_PENDING);
        this.db.run('UPDATE runs SET status = ?, finished_at = ?, error = ? WHERE id = ?', ['failed', at, INTERRUPTED_RUN, id]);
      }
    });
    return runs.map((r) => String(r.id));
  }

  /** The attempt each interrupted task was making ends with it, failed for the same reason. */
  private closeAttempts(runId: string, at: number): void {
    for (const row of this.rows("SELECT id, attempts FROM tasks WHERE run_id = ? AND status = 'in_progress' AND attempts IS NOT NULL", [runId])) {
      const attempts = attemptsFromCell(row.attempts);
      const last = attempts[attempts.length - 1];
      if (last) endAttempt(last, 'failed', at, INTERRUPTED_TASK);
      this.db.run('UPDATE tasks SET attempts = ? WHERE run_id = ? AND id = ?', [attemptsJson(attempts), runId, String(row.id)]);
    }
  }

  /** Keeps the newest `maxRuns` runs (never deleting a running one); returns how many were deleted. */
  prune(maxRuns: number): number {
    const old = this.rows("SELECT id FROM runs WHERE status != 'running' AND id NOT IN (SELECT id FROM runs ORDER BY started_at DESC, rowid DESC LIMIT ?)", [maxRuns]);
    if (old.length === 0) return 0;
    this.transaction(() => {
      for (const run of old) this.deleteRunRows(String(run.id));
    });
    return old.length;
  }

  deleteRun(id: string): boolean {
    if (this.rows('SELECT id FROM runs WHERE id = ?', [id]).length === 0) return false;
    this.transaction(() => this.deleteRunRows(id));
    return true;
  }

  clear(): void {
    const finished = "SELECT id FROM runs WHERE status != 'running'";
    this.transaction(() => this.db.exec(`DELETE FROM events WHERE run_id IN (${finished}); DELETE FROM tasks WHERE run_id IN (${finished}); DELETE FROM runs WHERE id IN (${finished});`));
  }

  /** Newest first; `file` filters by the tree file as the host names it. */
  listRuns(query: { limit: number; file?: string }): RunSummary[] {
    const where = query.file === undefined ? '' : 'WHERE file = ?';
    const params: SqlValue[] = query.file === undefined ? [query.limit] : [query.file, query.limit];
    const runs = this.rows(`SELECT * FROM runs ${where} ORDER BY started_at DESC, rowid DESC LIMIT ?`, params).map(runFromRow);
    return runs.map((run) => ({ ...run, counts: this.counts(run.id) }));
  }

  /** A run by id, or by an unambiguous prefix of at least 4 characters of its id. */
  findRun(idOrPrefix: string): RunRecord | null {
    const exact = this.rows('SELECT * FROM runs WHERE id = ?', [idOrPrefix]);
    if (exact.length === 1) return runFromRow(exact[0]);
    if (idOrPrefix.length < 4) return null;
    const matches = this.rows("SELECT * FROM runs WHERE substr(id, 1, ?) = ? LIMIT 2", [idOrPrefix.length, idOrPrefix]);
    return matches.length === 1 ? runFromRow(matches[0]) : null;
  }

  /** The newest failed or cancelled run: what `retry --last` retries. */
  latestRetryable(): RunRecord | null {
    const row = this.rows("SELECT * FROM runs WHERE status IN ('failed', 'cancelled') ORDER BY started_at DESC, rowid DESC LIMIT 1")[0];
    return row ? runFromRow(row) : null;
  }

  /** In file order, with the stored references to other tasks' results replaced by those results (references.ts). */
  tasksOf(runId: string): TaskRecord[] {
    return resolveReferences(this.rows('SELECT * FROM tasks WHERE run_id = ? ORDER BY position', [runId]).map(taskFromRow));
  }

  eventsOf(runId: string, taskId?: string): EventRecord[] {
    const rows =
      taskId === undefined
        ? this.rows('SELECT * FROM events WHERE run_id = ? ORDER BY seq', [runId])
        : this.rows('SELECT * FROM events WHERE run_id = ? AND task_id = ? ORDER BY seq', [runId, taskId]);
    return rows.map(eventFromRow);
  }

  /** The whole database as a file image. sql.js refuses this inside a transaction; batches never leave one open. */
  export(): Uint8Array {
    return this.db.export();
  }

  close(): void {
    this.db.close();
  }

  private counts(runId: string): RunSummary['counts'] {
    const counts = { pending: 0, in_progress: 0, completed: 0, failed: 0, cancelled: 0, blocked: 0 };
    for (const row of this.rows('SELECT status, blocked_by IS NOT NULL AS blocked, count(*) AS n FROM tasks WHERE run_id = ? GROUP BY 1, 2', [runId])) {
      const n = Number(row.n);
      counts[String(row.status) as TaskStatus] += n;
      if (row.blocked === 1) counts.blocked += n;
    }
    return counts;
  }

  private deleteRunRows(id: string): void {
    this.db.run('DELETE FROM events WHERE run_id = ?', [id]);
    this.db.run('DELETE FROM tasks WHERE run_id = ?', [id]);
    this.db.run('DELETE FROM runs WHERE id = ?', [id]);
  }

  private rows(sql: string, params: SqlValue[] = []): Record<string, SqlValue>[] {
    const stmt = this.db.prepare(sql);
    try {
      stmt.bind(params);
      const out: Record<string, SqlValue>[] = [];
      while (stmt.step()) out.push(stmt.getAsObject());
      return out;
    } finally {
      stmt.free();
    }
  }

  private transaction(work: () => void): void {
    this.db.exec('BEGIN');
    try {
      work();
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }
}
