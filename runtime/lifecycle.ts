// The task lifecycle of spec 3.2. Every status change goes through `transition`, so an illegal one is a
// bug that fails loudly instead of a record nobody can explain.
import type { TaskRecord, TaskStatus } from './types';

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
}

function move(record: TaskRecord, to: TaskStatus, at: number): void {
  if (!isLegalTransition(record.status, to)) throw new Error(`illegal transition of task '${record.id}': ${record.status} → ${to}`);
  record.status = to;
  record.updated_at = at;
}
