// Records ↔ SQL rows. JSON-valued fields are stored as JSON text and times as ISO-8601 text, as apflow
// stores them, so that the file reads naturally in any SQLite tool.
import type { SqlValue } from 'sql.js';
import { attemptView, isoTime, type AttemptView, type JsonObject, type MergedFrom, type RunRecord, type TaskAttempt, type TaskRecord, type TaskStatus } from '../types';
import type { ResultReferences } from './references';

export type Row = SqlValue[];

export type EventKind = 'status' | 'attempt' | 'log' | 'progress';

export interface EventRecord {
  run_id: string;
  seq: number;
  at: number;
  task_id: string | null;
  kind: EventKind;
  from_status: TaskStatus | null;
  to_status: TaskStatus | null;
  message: string | null;
}

/** In RUN_COLUMNS order. */
export function runRow(r: RunRecord): Row {
  return [r.id, r.file, r.tree_hash, r.description, r.trigger, r.parent_run_id, r.status, isoTime(r.started_at), isoTime(r.finished_at), r.error, r.target_task, r.server ?? null];
}

/**
 * In TASK_COLUMNS order. `fixed` holds the JSON of fields that never change during a run (schemas,
 * params, dependencies), computed once per task rather than on every write. Other tasks' results in
 * `inputs` and `result` are stored as references (references.ts); only a task with dependencies can hold any.
 */
export function taskRow(runId: string, t: TaskRecord, fixed: TaskJson, refs?: ResultReferences): Row {
  const shared = refs && t.dependencies.length > 0 ? refs : null;
  const inputs = json(shared ? shared.below(t.inputs) : t.inputs);
  const result = json(shared ? shared.below(t.result) : t.result);
  return [
    runId, t.id, t.parent_id, t.user_id, t.name, t.status, t.priority, inputs, fixed.schemas, fixed.params, result, t.error,
    fixed.dependencies, t.progress, isoTime(t.created_at), isoTime(t.started_at), isoTime(t.updated_at), isoTime(t.completed_at),
    t.origin_type, t.original_task_id, t.has_references ? 1 : 0, t.task_tree_id, t.has_children ? 1 : 0, t.max_attempts, t.attempt_count,
    t.blocked_by, t.def_hash, t.position, t.hooks ? JSON.stringify(t.hooks) : null, t.server_task_id ?? null, t.attempts ? attemptsJson(t.attempts) : null,
    t.merged_from ? JSON.stringify(t.merged_from) : null,
  ];
}

export interface TaskJson {
  schemas: string | null;
  params: string | null;
  dependencies: string;
}

export function fixedTaskJson(t: TaskRecord): TaskJson {
  return { schemas: t.schemas === null ? null : json(t.schemas), params: t.params === null ? null : json(t.params), dependencies: json(t.dependencies) };
}

/** In EVENT_COLUMNS order. */
export function eventRow(e: EventRecord): Row {
  return [e.run_id, e.seq, isoTime(e.at), e.task_id, e.kind, e.from_status, e.to_status, e.message];
}

export function attemptsJson(attempts: readonly TaskAttempt[]): string {
  return JSON.stringify(attempts.map(attemptView));
}

/** The stored attempt list; an unreadable cell, and entries that are not attempts (a file edited by hand), read as none. */
export function attemptsFromCell(cell: SqlValue): TaskAttempt[] {
  const value = parsed(cell, 'attempts');
  if (!Array.isArray(value)) return [];
  const attempts: TaskAttempt[] = [];
  for (const a of value as Partial<AttemptView>[]) {
    const started = typeof a?.started_at === 'string' ? Date.parse(a.started_at) : NaN;
    if (Number.isNaN(started) || typeof a.status !== 'string') continue;
    const completed = typeof a.completed_at === 'string' ? Date.parse(a.completed_at) : NaN;
    attempts.push({ ...a, started_at: started, completed_at: Number.isNaN(completed) ? null : completed, status: a.status });
  }
  return attempts;
}

/** JSON text; a value JSON cannot hold (a function, a cycle) is stored as its description instead of failing the write. */
function json(value: unknown): string {
  try {
    return JSON.stringify(value ?? null) ?? 'null';
  } catch (error) {
    return JSON.stringify(`[not JSON-serialisable: ${error instanceof Error ? error.message : String(error)}]`);
  }
}

type Obj = Record<string, SqlValue>;

/** What a JSON cell that does not parse reads as (a file edited by hand, a damaged page): the rest of the record stays readable. */
export const UNREADABLE_KEY = '$unreadable';

export function isUnreadable(value: unknown): boolean {
  return typeof value === 'object' && value !== null && UNREADABLE_KEY in value;
}

/** The names of a task's JSON fields that could not be read. */
export function unreadableFields(t: TaskRecord): string[] {
  return (['inputs', 'schemas', 'params', 'result'] as const).filter((field) => isUnreadable(t[field]));
}

const time = (v: SqlValue): number | null => {
  const ms = typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isNaN(ms) ? null : ms;
};
const text = (v: SqlValue): string | null => (v === null ? null : String(v));
const parsed = (v: SqlValue, column: string): unknown => {
  if (typeof v !== 'string') return null;
  try {
    return JSON.parse(v);
  } catch {
    return { [UNREADABLE_KEY]: `the stored ${column} is not valid JSON` };
  }
};

export function runFromRow(o: Obj): RunRecord {
  return {
    id: String(o.id),
    file: String(o.file),
    tree_hash: String(o.tree_hash),
    description: text(o.description),
    trigger: String(o.trigger) as RunRecord['trigger'],
    parent_run_id: text(o.parent_run_id),
    status: String(o.status) as RunRecord['status'],
    started_at: time(o.started_at) as number,
    finished_at: time(o.finished_at),
    error: text(o.error),
    target_task: text(o.target_task),
    ...(typeof o.server === 'string' ? { server: o.server } : {}),
  };
}

export function taskFromRow(o: Obj): TaskRecord {
  return {
    id: String(o.id),
    parent_id: text(o.parent_id),
    user_id: text(o.user_id),
    name: String(o.name),
    status: String(o.status) as TaskStatus,
    priority: Number(o.priority),
    inputs: parsed(o.inputs, 'inputs') as JsonObject,
    schemas: parsed(o.schemas, 'schemas') as JsonObject | null,
    params: parsed(o.params, 'params') as JsonObject | null,
    result: parsed(o.result, 'result'),
    error: text(o.error),
    dependencies: dependenciesOf(parsed(o.dependencies, 'dependencies')),
    progress: Number(o.progress),
    created_at: time(o.created_at) as number,
    started_at: time(o.started_at),
    updated_at: time(o.updated_at) as number,
    completed_at: time(o.completed_at),
    origin_type: String(o.origin_type) as TaskRecord['origin_type'],
    original_task_id: text(o.original_task_id),
    has_references: o.has_references === 1,
    task_tree_id: String(o.task_tree_id),
    has_children: o.has_children === 1,
    max_attempts: Number(o.max_attempts),
    attempt_count: Number(o.attempt_count),
    blocked_by: text(o.blocked_by),
    def_hash: String(o.def_hash),
    position: Number(o.position),
    ...(typeof o.hooks === 'string' ? { hooks: parsed(o.hooks, 'hooks') as TaskRecord['hooks'] } : {}),
    ...(typeof o.server_task_id === 'string' ? { server_task_id: o.server_task_id } : {}),
    ...(typeof o.attempts === 'string' ? { attempts: attemptsFromCell(o.attempts) } : {}),
    ...mergedFromCell(o.merged_from),
  };
}

/** The stored merge sources; a cell that is not a list of them (a file edited by hand) reads as not recorded. */
function mergedFromCell(cell: SqlValue): { merged_from?: MergedFrom[] } {
  const value = typeof cell === 'string' ? parsed(cell, 'merged_from') : null;
  const valid = Array.isArray(value) && value.every((f: Partial<MergedFrom>) => typeof f?.task === 'string' && Array.isArray(f.keys) && f.keys.every((k) => typeof k === 'string'));
  return valid ? { merged_from: value as MergedFrom[] } : {};
}

/** An unreadable list of dependencies reads as none: the views walk it. */
function dependenciesOf(value: unknown): TaskRecord['dependencies'] {
  return Array.isArray(value) ? (value as TaskRecord['dependencies']) : [];
}

export function eventFromRow(o: Obj): EventRecord {
  return {
    run_id: String(o.run_id),
    seq: Number(o.seq),
    at: time(o.at) as number,
    task_id: text(o.task_id),
    kind: String(o.kind) as EventKind,
    from_status: text(o.from_status) as TaskStatus | null,
    to_status: text(o.to_status) as TaskStatus | null,
    message: text(o.message),
  };
}
