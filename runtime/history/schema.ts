// The history database's tables (spec 3.7) and their migrations. `meta.schema_version` says which
// migrations a file has had: an older file is migrated, a newer one is refused and left untouched.
import type { Database } from 'sql.js';

export interface Migration {
  /** The version the database has after this migration. */
  to: number;
  sql: string;
}

export const TASK_COLUMNS = [
  'run_id', 'id', 'parent_id', 'user_id', 'name', 'status', 'priority', 'inputs', 'schemas', 'params', 'result', 'error',
  'dependencies', 'progress', 'created_at', 'started_at', 'updated_at', 'completed_at', 'origin_type', 'original_task_id',
  'has_references', 'task_tree_id', 'has_children', 'max_attempts', 'attempt_count', 'blocked_by', 'def_hash', 'position',
  'hooks', 'server_task_id', 'attempts', 'merged_from',
] as const;

export const RUN_COLUMNS = ['id', 'file', 'tree_hash', 'description', 'trigger', 'parent_run_id', 'status', 'started_at', 'finished_at', 'error', 'target_task', 'server'] as const;

export const EVENT_COLUMNS = ['run_id', 'seq', 'at', 'task_id', 'kind', 'from_status', 'to_status', 'message'] as const;

// Tasks and events are clustered on their primary key (WITHOUT ROWID): one b-tree per table instead of
// a table and an index, which makes the per-transition inserts ~20 % cheaper and the file ~20 % smaller.
export const MIGRATIONS: readonly Migration[] = [
  {
    to: 1,
    sql: `
      CREATE TABLE meta (schema_version INTEGER NOT NULL);
      INSERT INTO meta (schema_version) VALUES (0);
      CREATE TABLE runs (
        id TEXT PRIMARY KEY, file TEXT NOT NULL, tree_hash TEXT NOT NULL, description TEXT,
        trigger TEXT NOT NULL, parent_run_id TEXT, status TEXT NOT NULL,
        started_at TEXT NOT NULL, finished_at TEXT, error TEXT, target_task TEXT
      );
      CREATE INDEX runs_by_start ON runs (started_at);
      CREATE TABLE tasks (
        run_id TEXT NOT NULL, id TEXT NOT NULL, parent_id TEXT, user_id TEXT, name TEXT NOT NULL,
        status TEXT NOT NULL, priority INTEGER NOT NULL, inputs TEXT NOT NULL, schemas TEXT, params TEXT,
        result TEXT, error TEXT, dependencies TEXT NOT NULL, progress REAL NOT NULL,
        created_at TEXT NOT NULL, started_at TEXT, updated_at TEXT NOT NULL, completed_at TEXT,
        origin_type TEXT NOT NULL, original_task_id TEXT, has_references INTEGER NOT NULL,
        task_tree_id TEXT NOT NULL, has_children INTEGER NOT NULL, max_attempts INTEGER NOT NULL,
        attempt_count INTEGER NOT NULL, blocked_by TEXT, def_hash TEXT NOT NULL, position INTEGER NOT NULL,
        PRIMARY KEY (run_id, id)
      ) WITHOUT ROWID;
      CREATE TABLE events (
        run_id TEXT NOT NULL, seq INTEGER NOT NULL, at TEXT NOT NULL, task_id TEXT, kind TEXT NOT NULL,
        from_status TEXT, to_status TEXT, message TEXT,
        PRIMARY KEY (run_id, seq)
      ) WITHOUT ROWID;
    `,
  },
  // Issue 12: the hooks that ran for a task (JSON), null for a task without hooks.
  { to: 2, sql: 'ALTER TABLE tasks ADD COLUMN hooks TEXT;' },
  // Issue 15: a run on an apflow server records the server's URL and each task's id there.
  { to: 3, sql: 'ALTER TABLE runs ADD COLUMN server TEXT; ALTER TABLE tasks ADD COLUMN server_task_id TEXT;' },
  // Issue 13: every call of a task's executor (JSON, ISO times), null for a task that never ran; older
  // rows read as having no attempt list, and the views fall back to started_at/completed_at.
  { to: 4, sql: 'ALTER TABLE tasks ADD COLUMN attempts TEXT;' },
  // Issue 13: where the dependency merge took each of a task's inputs from (JSON: [{ task, keys }]),
  // null where it was not recorded (older rows, runs on an apflow server); the run page then shows the
  // inputs as received, unsplit.
  { to: 5, sql: 'ALTER TABLE tasks ADD COLUMN merged_from TEXT;' },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].to;

export function schemaVersion(db: Database): number {
  const tables = db.exec("SELECT name FROM sqlite_master WHERE type = 'table'")[0]?.values.map((r) => String(r[0])) ?? [];
  if (!tables.includes('meta')) {
    if (tables.length > 0) // Someone else's database: adding our tables to it would damage it.
    throw new Error(`it is a SQLite database but not an apflow run history (it has no meta table)`);
    return 0;
  }
  const version = db.exec('SELECT schema_version FROM meta')[0]?.values[0]?.[0];
  return typeof version === 'number' ? version : 0;
}

/** Brings the database to the newest version; returns whether anything changed. */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): boolean {
  const current = schemaVersion(db);
  const latest = migrations[migrations.length - 1].to;
  if (current > latest) {
    // Refused, never overwritten: the newer version's data must survive.
    throw new Error(`it was written by a newer version of apflow (history schema version ${current}; this version understands up to ${latest})`);
  }
  const pending = migrations.filter((m) => m.to > current);
  for (const m of pending) {
    db.exec('BEGIN');
    try {
      db.exec(m.sql);
      db.run('UPDATE meta SET schema_version = ?', [m.to]);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
  return pending.length > 0;
}
