import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HistoryError } from '../../../../runtime/history/history';
import { LocalHistory } from '../../../../runtime/history/local';
import { migrate, MIGRATIONS, SCHEMA_VERSION, schemaVersion, type Migration } from '../../../../runtime/history/schema';
import { loadSqlJs } from '../../../../runtime/history/sqljs';
import { recordRun, tempDir } from './helpers';

describe('history: schema and migrations (spec 3.7)', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  it('creates every table with apflow field names and records the schema version', async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    assert.equal(migrate(db), true);
    assert.equal(schemaVersion(db), SCHEMA_VERSION);
    const columns = (table: string) => db.exec(`PRAGMA table_info(${table})`)[0].values.map((r) => r[1]);
    for (const c of ['id', 'parent_id', 'user_id', 'name', 'status', 'priority', 'inputs', 'schemas', 'params', 'result', 'error', 'dependencies', 'progress', 'created_at', 'started_at', 'updated_at', 'completed_at', 'origin_type', 'original_task_id', 'has_references', 'task_tree_id', 'has_children', 'max_attempts', 'attempt_count', 'blocked_by', 'def_hash', 'position', 'run_id', 'server_task_id']) {
      assert.ok(columns('tasks').includes(c), `tasks.${c}`);
    }
    assert.deepEqual(columns('runs'), ['id', 'file', 'tree_hash', 'description', 'trigger', 'parent_run_id', 'status', 'started_at', 'finished_at', 'error', 'target_task', 'server']);
    assert.deepEqual(columns('events'), ['run_id', 'seq', 'at', 'task_id', 'kind', 'from_status', 'to_status', 'message']);
    assert.equal(migrate(db), false, 'an up-to-date database is left alone');
    db.close();
  });

  it('migrates an older database step by step, keeping its data', async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    migrate(db, MIGRATIONS.slice(0, 1));
    db.run("INSERT INTO runs (id, file, tree_hash, trigger, status, started_at) VALUES ('r1', 'f', 'h', 'run', 'completed', '2025-01-01T00:00:00.000Z')");
    const next: Migration[] = [...MIGRATIONS, { to: SCHEMA_VERSION + 1, sql: "ALTER TABLE runs ADD COLUMN label TEXT; UPDATE runs SET label = 'migrated';" }];
    assert.equal(migrate(db, next), true);
    assert.equal(schemaVersion(db), SCHEMA_VERSION + 1);
    assert.deepEqual(db.exec('SELECT id, label FROM runs')[0].values, [['r1', 'migrated']]);
    db.close();
  });

  it('refuses a file written by a newer version and leaves it untouched', async () => {
    const path = join(t.dir, 'h.sqlite');
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    migrate(db);
    db.run('UPDATE meta SET schema_version = 99');
    writeFileSync(path, db.export());
    db.close();
    const before = readFileSync(path);
    await assert.rejects(LocalHistory.open({ path, mode: 'write' }), (e: Error) => {
      assert.ok(e instanceof HistoryError);
      assert.match(e.message, new RegExp(String.raw`h\.sqlite.*newer version of apflow \(history schema version 99; this version understands up to ${SCHEMA_VERSION}\)`));
      return true;
    });
    assert.deepEqual(readFileSync(path), before);
    // The refusal let go of the lock: another writer could open a fresh file there.
    const other = await LocalHistory.open({ path: join(t.dir, 'other.sqlite'), mode: 'write', lockWaitMs: 0 });
    await other.close();
  });

  it('refuses a SQLite database that is not an apflow history instead of adding tables to it', async () => {
    const path = join(t.dir, 'foreign.sqlite');
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    db.exec('CREATE TABLE customers (id INTEGER)');
    writeFileSync(path, db.export());
    db.close();
    await assert.rejects(LocalHistory.open({ path, mode: 'write' }), /not an apflow run history/);
  });

  it('reopens a written history with its runs', async () => {
    const path = join(t.dir, 'h.sqlite');
    const history = await LocalHistory.open({ path, mode: 'write' });
    const { run } = await recordRun(history);
    await history.close();
    const again = await LocalHistory.open({ path, mode: 'read' });
    const [stored] = await again.listRuns({ limit: 5 });
    assert.equal(stored.id, run.id);
    assert.equal(stored.status, 'completed');
    assert.deepEqual(stored.counts, { pending: 0, in_progress: 0, completed: 2, failed: 0, cancelled: 0, blocked: 0 });
    await again.close();
  });
});
