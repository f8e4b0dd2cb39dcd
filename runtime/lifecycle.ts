// The task lifecycle of spec 3.2. Every status change goes through `transition`, so an illegal one is a
// bug that fails loudly instead of a record nobody can explain.
import type { TaskAttempt, TaskRecord, TaskStatus } from './types';

const LEGAL: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  pending: ['in_progress', 'cancelled'],
  in_progress: ['completed', 'failed', 'cancelled'],
  completed: [],
  failed: [],
  cancelled: [],
};

export function isLegalTransition(from: TaskStatus, to: TaskStatus): boolean {
  return LEGAL[from].includes(to);
}

export interface Outcome {
  status: 'completed' | 'failed' | 'cancelled';
  result: unknown;
  error: string | null;
}

/** Moves a task to `in_progress`. */
export function start(record: TaskRecord, at: number): void {
  move(record, 'in_progress', at);
  record.started_at = at;
}

/** Moves a task to a terminal status with the fields spec 3.2 ties to it. */
export function finish(record: TaskRecord, outcome: Outcome, at: number): void {
  if (outcome.status !== 'completed' && !outcome.error) throw new Error(`task '${record.id}' ${outcome.status} without an error`);
  move(record, outcome.status, at);
  record.completed_at = at;
  record.result = outcome.status === 'cancelled' ? null : outcome.result;
  record.error = outcome.status === 'completed' ? null : outcome.error;
  if (outcome.status === 'completed') record.progress = 1;
  // A cancelled task is no longer waiting on anything: only pending tasks are "blocked".
  record.blocked_by = null;
  // An executor still running when its task ends (cancelled after the grace period) ends with it.
  const last = record.attempts?.[record.attempts.length - 1];
  if (last) endAttempt(last, outcome.status, at, outcome.error);
}

/** Records a new call of the task's executor. */
export function beginAttempt(record: TaskRecord, at: number): TaskAttempt {
  const attempt: TaskAttempt = { started_at: at, completed_at: null, status: 'in_progress' };
  (record.attempts ??= []).push(attempt);
  return attempt;
}

/** Ends an attempt once; a late end (an executor returning after its task was cancelled) changes nothing. */
export function endAttempt(attempt: TaskAttempt, status: TaskAttempt['status'], at: number, error: string | null): void {
  if (attempt.completed_at !== null) return;
  attempt.completed_at = at;
  attempt.status = status;
  if (error) attempt.error = error;
}

function move(record: TaskRecord, to: TaskStatus, at: number): void {
  if (!isLegalTransition(record.status, to)) throw new Error(`illegal transition of task '${record.id}': ${record.status} → ${to}`);
  record.status = to;
  record.updated_at = at;
}
