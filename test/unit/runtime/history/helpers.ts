// Shared by the history tests: temporary folders and a quick way to record a finished run.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { History } from '../../../../runtime/history/history';
import { RunRecorder } from '../../../../runtime/history/recorder';
import { migrate, MIGRATIONS } from '../../../../runtime/history/schema';
import { loadSqlJs } from '../../../../runtime/history/sqljs';
import { TaskRun, type RunResult } from '../../../../runtime/run';
import { planOf, type FixtureTask } from '../fixtures';

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'apflow-history-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs a fixture tree while recording it, and waits until the run is in the file. */
export async function recordRun(history: History, tasks: FixtureTask[] = [{ id: 'root', deps: ['a'] }, { id: 'a' }]): Promise<RunResult> {
  const run = new TaskRun(planOf(tasks));
  const recorder = new RunRecorder(history, run);
  const result = await run.start();
  await recorder.written();
  return result;
}

export const fastTiming = { intervalMs: 60 };

/** Writes a history file as schema version `version` left it, with `sql` run in it (rows of that time). */
export async function olderHistory(path: string, version: number, sql: string): Promise<void> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  migrate(db, MIGRATIONS.filter((m) => m.to <= version));
  db.exec(sql);
  writeFileSync(path, db.export());
  db.close();
}

/** Runs `sql` on the history file at `path` behind the history's back, as a hand edit would; returns the query's rows. */
export async function editHistory(path: string, sql: string): Promise<unknown[][]> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database(readFileSync(path));
  const rows = db.exec(sql)[0]?.values ?? [];
  writeFileSync(path, db.export());
  db.close();
  return rows;
}
