// Checks a case's expectations against what its run did. Each failure says what was expected and what
// happened, at the range of the expectation that failed.
import type { Expectation, Located } from '../../analysis/testing';
import type { RunRecord, TaskRecord } from '../types';
import { shown, subsetMismatch } from './subset';

/** What a tree case's run did, beyond the records: inputs received and the order of starts and ends. */
export interface Observation {
  run: RunRecord;
  tasks: readonly TaskRecord[];
  /** The inputs each task's executor (or mock) received, by task id (the last attempt's). */
  received: ReadonlyMap<string, unknown>;
  /** Event sequence numbers of each task's start and end, by task id (exact where clocks tie). */
  started: ReadonlyMap<string, number>;
  ended: ReadonlyMap<string, number>;
}

export interface Failure {
  message: string;
  range: Located<unknown>['range'];
}

export function checkTreeCase(expectations: readonly Expectation[], seen: Observation): Failure[] {
  const byId = new Map(seen.tasks.map((t) => [t.id, t]));
  const failures: Failure[] = [];
  for (const e of expectations) {
    const message = e.task === null ? runExpectation(e, seen) : taskExpectation(e, byId.get(e.task), seen);
    if (message) failures.push({ message, range: e.range });
  }
  return failures;
}

function runExpectation(e: Expectation, seen: Observation): string | null {
  if (e.kind === 'status') {
    return seen.run.status === e.value
      ? null
      : `expected the run to be ${String(e.value)}, but it was ${seen.run.status}${seen.run.error ? ` (${seen.run.error})` : ''}`;
  }
  const [a, b] = e.value as [string, string];
  const [aStart, aEnd, bStart, bEnd] = [seen.started.get(a), seen.ended.get(a), seen.started.get(b), seen.ended.get(b)];
  const never = [a, b].filter((id) => !seen.started.has(id));
  if (never.length > 0)
    return `expected ${a} and ${b} ${e.kind === 'order' ? 'in that order' : 'to overlap'}, but ${never.map((id) => `'${id}'`).join(' and ')} never started`;
  const endOf = (end: number | undefined) => end ?? Infinity;
  if (e.kind === 'order') {
    return endOf(aEnd) < (bStart as number)
      ? null
      : `expected '${a}' to finish before '${b}' started, but '${b}' started ${aEnd === undefined ? `while '${a}' never finished` : `while '${a}' was still running`}`;
  }
  const overlapped = (aStart as number) < endOf(bEnd) && (bStart as number) < endOf(aEnd);
  return overlapped
    ? null
    : `expected '${a}' and '${b}' to run at the same time, but '${endOf(aEnd) < (bStart as number) ? a : b}' finished before the other started`;
}

function taskExpectation(e: Expectation, task: TaskRecord | undefined, seen: Observation): string | null {
  const id = e.task as string;
  if (!task) return `expected task '${id}' in the run, but the tree has no such task`;
  switch (e.kind) {
    case 'status':
      return task.status === e.value ? null : `expected '${id}' to be ${String(e.value)}, but it ${describeStatus(task)}`;
    case 'error_contains':
      return containsError(`'${id}'`, task.status === 'failed' ? task.error : null, String(e.value), describeStatus(task));
    case 'result_subset': {
      if (task.status !== 'completed' && task.result === null)
        return `expected a result of '${id}' containing ${shown(e.value)}, but it ${describeStatus(task)}`;
      const mismatch = subsetMismatch(e.value, task.result);
      return mismatch ? `the result of '${id}' does not match: ${mismatch}` : null;
    }
    case 'inputs_subset': {
      if (!seen.received.has(id)) return `expected '${id}' to receive inputs containing ${shown(e.value)}, but it ${describeStatus(task)}`;
      const mismatch = subsetMismatch(e.value, seen.received.get(id));
      return mismatch ? `the inputs '${id}' received do not match: ${mismatch}` : null;
    }
    case 'blocked_by':
      return task.blocked_by === e.value
        ? null
        : `expected '${id}' to be blocked by '${String(e.value)}', but it ${task.blocked_by ? `was blocked by '${task.blocked_by}'` : `was not blocked (it ${describeStatus(task)})`}`;
    case 'attempts':
      return task.attempt_count === e.value
        ? null
        : `expected '${id}' to take ${String(e.value)} attempt${e.value === 1 ? '' : 's'}, but it took ${task.attempt_count}`;
    default:
      return null;
  }
}

/** How a unit case's executor ended: its task's record, or the refusal of inputs its schema rejects. */
export type UnitOutcome = Pick<TaskRecord, 'status' | 'result' | 'error'> & Partial<Pick<TaskRecord, 'blocked_by'>>;

/** A unit case: the executor's one task, expected to complete unless `error_contains` says it fails. */
export function checkUnitCase(expectations: readonly Expectation[], task: UnitOutcome, whole: Located<unknown>['range']): Failure[] {
  const failures: Failure[] = [];
  const wantsError = expectations.find((e) => e.kind === 'error_contains');
  if (!wantsError && task.status !== 'completed')
    failures.push({
      message: `expected the executor to complete, but it ${describeStatus(task)}`,
      range: whole,
    });
  for (const e of expectations) {
    let message: string | null = null;
    if (e.kind === 'error_contains')
      message = containsError('the executor', task.status === 'failed' ? task.error : null, String(e.value), describeStatus(task));
    else if (e.kind === 'result_subset' && task.status === 'completed') {
      const mismatch = subsetMismatch(e.value, task.result);
      message = mismatch ? `the executor's result does not match: ${mismatch}` : null;
    }
    if (message) failures.push({ message, range: e.range });
  }
  return failures;
}

function containsError(who: string, error: string | null, wanted: string, status: string): string | null {
  if (error === null) return `expected ${who} to fail with an error containing "${wanted}", but it ${status}`;
  return error.includes(wanted) ? null : `expected the error of ${who} to contain "${wanted}", but it was "${error}"`;
}

/** What happened to a task, as words that follow "it". */
function describeStatus(task: UnitOutcome): string {
  switch (task.status) {
    case 'failed':
      return `failed: ${task.error ?? ''}`;
    case 'pending':
      return task.blocked_by ? `stayed pending, blocked by '${task.blocked_by}'` : 'never ran';
    case 'in_progress':
      return 'was still running';
    case 'cancelled':
      return 'was cancelled';
    default:
      return 'completed';
  }
}
