// The `--json` documents of run, retry, show and history (spec 6.3): a contract, so the field names
// here are exactly the spec's. Extend, never rename.
import { attemptView, isoTime, type RunRecord, type TaskRecord } from '../runtime';
import { displayPath } from './commands/validate';

export function runJson(run: RunRecord, cwd: string) {
  return {
    id: run.id,
    file: displayPath(cwd, run.file),
    status: run.status,
    trigger: run.trigger,
    parent_run_id: run.parent_run_id,
    started_at: isoTime(run.started_at),
    finished_at: isoTime(run.finished_at),
    duration_ms: run.finished_at === null ? null : run.finished_at - run.started_at,
    error: run.error,
    // Only for a run on an apflow server (issue 15): a local run's document is unchanged.
    ...(run.server ? { server: run.server } : {}),
  };
}

export function taskJson(t: TaskRecord) {
  return {
    id: t.id,
    name: t.name,
    parent_id: t.parent_id,
    status: t.status,
    priority: t.priority,
    inputs: t.inputs,
    result: t.result ?? null,
    error: t.error,
    progress: t.progress,
    started_at: isoTime(t.started_at),
    completed_at: isoTime(t.completed_at),
    attempt_count: t.attempt_count,
    blocked_by: t.blocked_by,
    origin_type: t.origin_type,
    original_task_id: t.original_task_id,
    // Only for tasks that hooks ran for (issue 12): the document of a tree without hooks is unchanged.
    ...(t.hooks ? { hooks: t.hooks } : {}),
    ...(t.server_task_id ? { server_task_id: t.server_task_id } : {}),
    // Only on runs over queue workers (issue 15): every call of the executor, with the worker that made it.
    ...(t.attempts?.some((a) => a.worker) ? { attempts: t.attempts.map(attemptView) } : {}),
  };
}

/** One run with its tasks in file order: what run, retry and show print. */
export function runDocument(run: RunRecord, tasks: readonly TaskRecord[], cwd: string): string {
  return `${JSON.stringify({ run: runJson(run, cwd), tasks: tasks.map(taskJson) }, null, 2)}\n`;
}
