// The runtime's data: what a host hands it (a RunPlan) and what it keeps while running (records whose
// field names are apflow's, so that the history database, the CLI's JSON and the editor views agree).
import type { RunHooks } from './hooks/hooks';

export type TaskStatus = 'pending' | 'in_progress' | 'completed' | 'failed' | 'cancelled';
export type RunStatus = 'running' | 'completed' | 'failed' | 'cancelled';
export type RunTrigger = 'run' | 'retry' | 'run-task';
export type BackoffStrategy = 'fixed' | 'exponential' | 'linear';

export type JsonObject = Record<string, unknown>;

/** What an executor receives besides its inputs (spec 1.4). */
export interface ExecutorContext {
  /** The task's record as apflow would show it (timestamps as ISO strings). */
  readonly task: TaskView;
  /** Fires on cancellation of the run and when the task's `timeout` elapses. */
  readonly signal: AbortSignal;
  log(text: string): void;
  progress(fraction: number): void;
}

/** Built-in and workspace executors alike: sync or async, returning the task's result. */
export type ExecutorFn = (inputs: JsonObject, context: ExecutorContext) => unknown;

export interface PlanDependency {
  /** Index into RunPlan.tasks. */
  index: number;
  required: boolean;
}

/** A result copied from an earlier run instead of running the task again (spec 3.6). */
export interface CarriedTask {
  originalTaskId: string;
  inputs: JsonObject;
  /** Where its inputs came from, when the earlier run recorded it. */
  mergedFrom?: MergedFrom[];
  result: unknown;
  startedAt: number | null;
  completedAt: number | null;
  attemptCount: number;
}

export interface PlanTask {
  /** Index in the file's task list (file order; ties in priority go to the lower one). */
  position: number;
  id: string;
  name: string;
  parentId: string | null;
  userId: string | null;
  priority: number;
  /** The task's own inputs, before the dependency merge. */
  inputs: JsonObject;
  schemas: JsonObject | null;
  params: JsonObject | null;
  dependencies: PlanDependency[];
  executor: string;
  execute: ExecutorFn;
  /** Checks the merged inputs against the schemas that apply; returns the violation or null. */
  validateInputs: ((inputs: JsonObject) => string | null) | null;
  timeoutSeconds: number | null;
  maxAttempts: number;
  backoffStrategy: BackoffStrategy;
  backoffBaseSeconds: number;
  /** Hash of every authored field of the task: what retry compares. */
  defHash: string;
  /** Hash of the executor's definition in this checkout (declaration and source file): what a queue worker compares. */
  executorHash: string;
  rootId: string;
  hasChildren: boolean;
  carried: CarriedTask | null;
}

export interface RunPlan {
  /** The tree file: a path or a URI, as the host names it. */
  file: string;
  treeHash: string;
  description: string | null;
  trigger: RunTrigger;
  parentRunId: string | null;
  /** The task a `run-task` run was asked for. */
  targetTask: string | null;
  /** In file order. */
  tasks: PlanTask[];
  /** Ends what the plan holds once its run has finished (the Python host). */
  release?: () => Promise<void>;
  /** The file's `hooks:` (ext), loaded; absent when it has none. */
  hooks?: RunHooks;
}

/** A task as apflow records it, plus `blocked_by`, `def_hash` and `position`. Times are epoch ms. */
export interface TaskRecord {
  id: string;
  parent_id: string | null;
  user_id: string | null;
  name: string;
  status: TaskStatus;
  priority: number;
  inputs: JsonObject;
  schemas: JsonObject | null;
  params: JsonObject | null;
  result: unknown;
  error: string | null;
  dependencies: { id: string; required: boolean }[];
  progress: number;
  created_at: number;
  started_at: number | null;
  updated_at: number;
  completed_at: number | null;
  origin_type: 'create' | 'link';
  original_task_id: string | null;
  has_references: boolean;
  task_tree_id: string;
  has_children: boolean;
  max_attempts: number;
  attempt_count: number;
  blocked_by: string | null;
  def_hash: string;
  position: number;
  /** Present once a hook ran for the task: each call, its time and its error (hooks never fail a task). */
  hooks?: HookRun[];
  /** Issue 15: the id the apflow server gave the task, for a run on a server. */
  server_task_id?: string;
  /** Every call of the executor in this run, oldest first (absent for a task that never ran here, e.g. carried over). */
  attempts?: TaskAttempt[];
  /**
   * Set where the dependency merge ran (runtime/merge.ts; local runs and runs over queue workers): the
   * inputs each completed dependency's result supplied, in merge order; inputs not named are the
   * task's own (or a pre-hook's). Absent for a task the merge did not run for, in runs on an apflow
   * server (it merges on its side), and in history written before schema 5.
   */
  merged_from?: MergedFrom[];
}

/** One dependency's part of a task's inputs: the input keys whose value its result supplied. */
export interface MergedFrom {
  task: string;
  keys: string[];
}

/** One call of a task's executor; `completed_at` is null while it runs. Times are epoch ms. */
export interface TaskAttempt {
  started_at: number;
  completed_at: number | null;
  status: 'in_progress' | 'completed' | 'failed' | 'cancelled';
  error?: string;
  /** On runs over queue workers (issue 15): the worker (host:pid) that ran this call. */
  worker?: string;
}

export type HookList = 'pre' | 'post' | 'on_tree_started' | 'on_tree_completed' | 'on_tree_failed';

/** What one hook call left on the task's record. */
export interface HookRun {
  list: HookList;
  hook: string;
  ms: number;
  error?: string;
}

export interface RunRecord {
  id: string;
  file: string;
  tree_hash: string;
  description: string | null;
  trigger: RunTrigger;
  parent_run_id: string | null;
  status: RunStatus;
  started_at: number;
  finished_at: number | null;
  error: string | null;
  target_task: string | null;
  /** Issue 15: the apflow server the run ran on (its URL, never a token); absent for a local run. */
  server?: string;
}

/** TaskRecord with ISO-8601 timestamps: what executors and JSON consumers see. */
export type TaskView = Omit<TaskRecord, 'created_at' | 'started_at' | 'updated_at' | 'completed_at' | 'attempts' | 'merged_from'> & {
  created_at: string;
  started_at: string | null;
  updated_at: string;
  completed_at: string | null;
  attempts?: AttemptView[];
};

export type AttemptView = Omit<TaskAttempt, 'started_at' | 'completed_at'> & { started_at: string; completed_at: string | null };

// Runs stamp thousands of records within the same millisecond: remembering the last conversion
// saves most of the Date allocations and formatting.
let lastMs = Number.NaN;
let lastIso = '';

export function isoTime(ms: number): string;
export function isoTime(ms: number | null): string | null;
export function isoTime(ms: number | null): string | null {
  if (ms === null) return null;
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
}

export function taskView(record: TaskRecord): TaskView {
  // merged_from is the run page's bookkeeping, not a field of apflow's: executors and hooks do not see it.
  const { attempts, merged_from: _mergedFrom, ...rest } = record;
  return {
    ...rest,
    created_at: isoTime(record.created_at),
    started_at: isoTime(record.started_at),
    updated_at: isoTime(record.updated_at),
    completed_at: isoTime(record.completed_at),
    ...(attempts ? { attempts: attempts.map(attemptView) } : {}),
  };
}

export function attemptView(attempt: TaskAttempt): AttemptView {
  return { ...attempt, started_at: isoTime(attempt.started_at), completed_at: isoTime(attempt.completed_at) };
}

export function isMapping(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
