// A run of a plan: starts ready tasks up to the concurrency limit, feeds each the merged results of its
// dependencies, records every transition on the task records and reports it as an event (spec 3).
import { randomUUID } from 'node:crypto';
import { RunEvents, type RunEventName, type RunListener } from './events';
import { CANCELLED, CANCELLED_BY_USER, TaskExecution, type ExecutionHost } from './execution';
import type { HookSink } from './hooks/hooks';
import { HookRepository } from './hooks/repository';
import { finish, start, type Outcome } from './lifecycle';
import { mergeInputs, type MergeSource } from './merge';
import { Scheduler } from './scheduler';
import type { PlanTask, RunPlan, RunRecord, TaskRecord } from './types';

export const DEFAULT_CONCURRENCY = 4;
const CANCEL_GRACE_MS = 5000;

export interface RunOptions {
  /** Tasks running at once (default 4). */
  concurrency?: number;
  /** How long a cancelled task's executor may take to return before the task is marked cancelled. */
  cancelGraceMs?: number;
  /** Source of the backoff jitter (tests make it deterministic). */
  random?: () => number;
}

export interface RunResult {
  run: RunRecord;
  tasks: readonly TaskRecord[];
}

export class TaskRun implements ExecutionHost {
  readonly record: RunRecord;
  readonly tasks: TaskRecord[];
  private readonly events = new RunEvents();
  private readonly scheduler: Scheduler;
  private readonly executions: (TaskExecution | undefined)[];
  private readonly concurrency: number;
  private readonly cancelGraceMs: number;
  readonly random: () => number;
  private running = 0;
  private readonly graceTimers: NodeJS.Timeout[] = [];
  private state: 'new' | 'running' | 'cancelling' | 'finished' = 'new';
  private lastTime = 0;
  /** The outcome of tasks the cancellation ends, with its reason. */
  private cancelled: Outcome = CANCELLED;
  private resolveDone: (result: RunResult) => void = () => undefined;
  /** What hooks read and change the run's tasks through (created with the first hook call). */
  private repository: HookRepository | null = null;

  constructor(
    readonly plan: RunPlan,
    options: RunOptions = {},
  ) {
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY));
    this.cancelGraceMs = options.cancelGraceMs ?? CANCEL_GRACE_MS;
    this.random = options.random ?? Math.random;
    const at = this.now();
    this.record = runRecord(plan, at);
    this.tasks = plan.tasks.map((task) => initialRecord(plan, task, at));
    this.executions = new Array<TaskExecution | undefined>(plan.tasks.length);
    this.scheduler = new Scheduler(plan.tasks, (i, origin) => this.blocked(i, origin));
  }

  on<K extends RunEventName>(name: K, listener: RunListener<K>): () => void {
    return this.events.on(name, listener);
  }

  /** Runs the plan; resolves when nothing runs and nothing is ready (or the cancellation has settled). */
  start(): Promise<RunResult> {
    if (this.state !== 'new') throw new Error('a run starts only once');
    this.state = 'running';
    const done = new Promise<RunResult>((resolve) => (this.resolveDone = resolve));
    this.events.emit('run-started', { run: this.record, tasks: this.tasks });
    this.scheduler.start();
    const hooks = this.plan.hooks;
    if (hooks?.has('on_tree_started')) {
      const root = this.rootIndex();
      void hooks.tree('on_tree_started', this.tasks[root], [], this.hookSink(root)).then(() => this.pump());
    } else this.pump();
    return done;
  }

  /**
   * Spec 3.5: pending tasks are cancelled now, running ones once their executor returns (or after the
   * grace period, 5 s by default). `reason` becomes the error of the run and of its cancelled tasks. A
   * second call with a shorter grace (a second Ctrl+C) settles the running tasks sooner.
   */
  cancel(reason: string = CANCELLED_BY_USER, graceMs: number = this.cancelGraceMs): void {
    if (this.state === 'cancelling') {
      this.executions.forEach((execution, i) => execution && this.graceTimers.push(setTimeout(() => this.complete(i, execution, this.cancelled), graceMs)));
      return;
    }
    if (this.state !== 'running') return;
    this.state = 'cancelling';
    this.cancelled = { ...CANCELLED, error: reason };
    this.scheduler.withdrawReady();
    const at = this.now();
    this.tasks.forEach((record, i) => {
      if (record.status !== 'pending') return;
      finish(record, this.cancelled, at);
      this.events.emit('task-status', { run: this.record, task: record, index: i, from: 'pending', to: 'cancelled', at });
    });
    this.executions.forEach((execution, i) => {
      if (!execution) return;
      execution.cancel(reason);
      // An executor that ignores its signal is not waited for: its late result is discarded.
      this.graceTimers.push(setTimeout(() => this.complete(i, execution, this.cancelled), graceMs));
    });
    if (this.running === 0) this.end();
  }

  private pump(): void {
    while (this.state === 'running' && this.running < this.concurrency) {
      const i = this.scheduler.next();
      if (i < 0) break;
      this.begin(i);
    }
    if (this.running === 0) this.end();
  }

  private begin(i: number): void {
    const task = this.plan.tasks[i];
    const record = this.tasks[i];
    // The record's inputs: the file's, unless a hook changed them through the repository.
    if (task.dependencies.length > 0) {
      const merged = mergeInputs(record.inputs, this.completedDependencies(task), task.executor);
      record.inputs = merged.inputs;
      record.merged_from = merged.from;
    }
    const at = this.now();
    start(record, at);
    this.events.emit('task-status', { run: this.record, task: record, index: i, from: 'pending', to: 'in_progress', at });
    const execution = new TaskExecution(task, record, this, i);
    this.executions[i] = execution;
    this.running++;
    const hooks = this.plan.hooks;
    // Pre-hooks see the merged inputs and may change them: the executor gets what they leave.
    const ready = hooks?.has('pre') ? hooks.pre(record, this.hookSink(i)) : null;
    (ready ? ready.then(() => execution.run(record.inputs)) : execution.run(record.inputs)).then(
      (outcome) => this.complete(i, execution, outcome),
      // The execution catches executor errors itself; anything else is a runtime bug, kept visible.
      (error: unknown) => this.complete(i, execution, { status: 'failed', result: null, error: `internal error: ${String(error)}` }),
    );
  }

  /** Ends a task's execution; a second ending (a late return after the grace period) is ignored. */
  private complete(i: number, execution: TaskExecution, outcome: Outcome): void {
    if (this.executions[i] !== execution) return;
    this.executions[i] = undefined;
    this.running--;
    const record = this.tasks[i];
    const at = this.now();
    // A task ends cancelled only through cancel(), whose reason it carries.
    const ended = outcome.status === 'cancelled' ? this.cancelled : outcome;
    finish(record, ended, at);
    this.events.emit('task-status', { run: this.record, task: record, index: i, from: 'in_progress', to: ended.status, at });
    const hooks = this.plan.hooks;
    // Post-hooks run for completed tasks before their dependents may start (apflow's order).
    if (ended.status === 'completed' && hooks?.has('post')) {
      this.running++;
      void hooks.post(record, this.hookSink(i)).then(() => {
        this.running--;
        this.settled(i, ended);
      });
    } else this.settled(i, ended);
  }

  private settled(i: number, ended: Outcome): void {
    if (this.state === 'running') this.scheduler.settle(i, ended.status);
    this.pump();
  }

  // ExecutionHost: what executions report, by task index.
  log(i: number, text: string): void {
    this.events.emit('task-log', { run: this.record, task: this.tasks[i], index: i, text, at: this.now() });
  }

  progress(i: number, progress: number): void {
    const task = this.tasks[i];
    if (task.status !== 'in_progress') return;
    task.progress = progress;
    task.updated_at = this.now();
    this.events.emit('task-progress', { run: this.record, task, index: i, progress, at: task.updated_at });
  }

  attemptFailed(i: number, attempt: number, error: string, retryInMs: number): void {
    const task = this.tasks[i];
    task.updated_at = this.now();
    this.events.emit('task-attempt', { run: this.record, task, index: i, attempt, error, retryInMs, at: task.updated_at });
  }

  private blocked(i: number, origin: string): void {
    const record = this.tasks[i];
    const at = this.now();
    record.blocked_by = origin;
    record.updated_at = at;
    this.events.emit('task-blocked', { run: this.record, task: record, index: i, blockedBy: origin, at });
  }

  private end(): void {
    if (this.state === 'finished') return;
    const cancelled = this.state === 'cancelling';
    this.state = 'finished';
    this.graceTimers.forEach(clearTimeout);
    const run = this.record;
    run.finished_at = this.now();
    const failed = this.tasks.filter((t) => t.status === 'failed');
    if (cancelled) {
      run.status = 'cancelled';
      run.error = this.cancelled.error;
    } else if (failed.length === 0 && this.tasks.every((t) => t.status === 'completed')) {
      run.status = 'completed';
    } else {
      run.status = 'failed';
      run.error = runError(failed, this.tasks.filter((t) => t.blocked_by !== null).length);
    }
    const hooks = this.plan.hooks;
    const list = run.status === 'completed' ? 'on_tree_completed' : 'on_tree_failed';
    const treeHook = hooks?.has(list) ? hooks.tree(list, this.tasks[this.rootIndex()], [run.status === 'completed' ? 'completed' : run.error], this.hookSink(this.rootIndex())) : null;
    const finished = () => {
      void this.plan.release?.();
      this.events.emit('run-finished', { run, tasks: this.tasks });
      this.resolveDone({ run, tasks: this.tasks });
    };
    if (treeHook) void treeHook.then(finished);
    else finished();
  }

  /** What hooks called for task i get: its log, and the repository over this run's records. */
  private hookSink(i: number): HookSink {
    this.repository ??= new HookRepository({ tasks: this.tasks, reprioritize: (task) => this.scheduler.reprioritize(task, this.tasks[task].priority) });
    return { log: (text) => this.log(i, text), repository: this.repository };
  }

  /** The task tree hooks receive: the first task without a parent. */
  private rootIndex(): number {
    return Math.max(0, this.tasks.findIndex((t) => t.parent_id === null));
  }

  private completedDependencies(task: PlanTask): MergeSource[] {
    const sources: MergeSource[] = [];
    for (const dep of task.dependencies) {
      const record = this.tasks[dep.index];
      if (record.status === 'completed') sources.push({ id: record.id, result: record.result });
    }
    return sources;
  }

  /** Wall-clock milliseconds that never go backwards within a run, so that started_at ≤ completed_at. */
  now(): number {
    this.lastTime = Math.max(this.lastTime, Date.now());
    return this.lastTime;
  }
}

/** A run's record as it starts. */
export function runRecord(plan: RunPlan, at: number): RunRecord {
  return {
    id: randomUUID(),
    file: plan.file,
    tree_hash: plan.treeHash,
    description: plan.description,
    trigger: plan.trigger,
    parent_run_id: plan.parentRunId,
    status: 'running',
    started_at: at,
    finished_at: null,
    error: null,
    target_task: plan.targetTask,
  };
}

/** A task's record before its run starts (completed already when carried over from a retried run). */
export function initialRecord(plan: RunPlan, task: PlanTask, at: number): TaskRecord {
  const carried = task.carried;
  return {
    id: task.id,
    parent_id: task.parentId,
    user_id: task.userId,
    name: task.name,
    status: carried ? 'completed' : 'pending',
    priority: task.priority,
    inputs: carried ? carried.inputs : task.inputs,
    schemas: task.schemas,
    params: task.params,
    result: carried ? carried.result : null,
    error: null,
    dependencies: task.dependencies.map((d) => ({ id: plan.tasks[d.index].id, required: d.required })),
    progress: carried ? 1 : 0,
    created_at: at,
    started_at: carried ? carried.startedAt : null,
    updated_at: at,
    completed_at: carried ? carried.completedAt : null,
    origin_type: carried ? 'link' : 'create',
    original_task_id: carried ? carried.originalTaskId : null,
    has_references: false,
    task_tree_id: task.rootId,
    has_children: task.hasChildren,
    max_attempts: task.maxAttempts,
    attempt_count: carried ? carried.attemptCount : 0,
    blocked_by: null,
    def_hash: task.defHash,
    position: task.position,
    ...(carried?.mergedFrom ? { merged_from: carried.mergedFrom } : {}),
  };
}

/** The run's error: the first failed task, how many more failed, how many are blocked. */
export function runError(failed: readonly TaskRecord[], blocked: number): string {
  const parts: string[] = [];
  if (failed.length > 0) {
    const first = failed[0];
    const more = failed.length > 1 ? ` (and ${failed.length - 1} more failed)` : '';
    parts.push(`task '${first.id}' failed: ${firstLine(first.error ?? '')}${more}`);
  }
  if (blocked > 0) parts.push(`${blocked} blocked`);
  return parts.join('; ') || 'not every task completed';
}

export function firstLine(text: string): string {
  const end = text.indexOf('\n');
  return end < 0 ? text : text.slice(0, end);
}
