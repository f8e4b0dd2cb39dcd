// A run on an apflow 0.18.1 server, seen through the same records and events as a local run, so that
// the CLI's progress, the history, the lenses and the Runs view follow it unchanged. `tasks.create`
// submits the tree, `tasks.execute` with streaming reports transitions as they happen, and
// `tasks.running.status` is polled besides: apflow ends the stream after the first task that finishes
// (every task_completed is `final`), so the stream alone never says when the run is over.
import { RunEvents, type RunEventName, type RunListener } from '../../events';
import { CANCELLED_BY_USER } from '../../execution';
import { finish, start, type Outcome } from '../../lifecycle';
import type { LiveRun } from '../../live-run';
import { initialRecord, runError, runRecord, type RunResult } from '../../run';
import { isMapping, type JsonObject, type RunPlan, type RunRecord, type TaskRecord } from '../../types';
import { ServerError, type ApflowServerClient } from './rpc';
import type { SseMessage } from './sse';
import type { Submission } from './submission';

const POLL_MS = 250;
/** Polls in a row that may fail to reach the server before the run counts as interrupted (a brief network blip is not). */
const POLL_FAILURES = 3;
const CANCEL_GRACE_MS = 5000;
const TERMINAL: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled']);

export interface ServerRunOptions {
  /** How often `tasks.running.status` is asked (default 250 ms). */
  pollMs?: number;
  /** How long a cancelled task may stay in progress on the server before it is recorded cancelled here. */
  cancelGraceMs?: number;
}

/** What the server says of a task: from a stream event, a status poll or its record. */
interface ServerTaskState {
  status: string;
  result?: unknown;
  error?: string | null;
  inputs?: unknown;
  progress?: number;
}

interface RunningStatus {
  task_id: string;
  status: string;
  progress?: number;
  error?: string | null;
  is_running?: boolean;
  started_at?: string | null;
}

export class ServerRun implements LiveRun {
  readonly record: RunRecord;
  readonly tasks: TaskRecord[];
  private readonly events = new RunEvents();
  private readonly byServerId = new Map<string, number>();
  /** Server ids back to the file's ids, for keys of merged inputs and aggregated results. */
  private readonly localIds = new Map<string, string>();
  private readonly settling = new Set<number>();
  /** Starts heard of while a dependency's end is still being fetched: shown after it, in the server's order. */
  private readonly deferred = new Map<number, ServerTaskState>();
  private readonly stream = new AbortController();
  private state: 'new' | 'running' | 'cancelling' | 'finished' = 'new';
  private cancelReason = CANCELLED_BY_USER;
  private pollTimer: NodeJS.Timeout | null = null;
  private graceTimer: NodeJS.Timeout | null = null;
  /** Whether the server was seen executing the tree: until then an idle poll may just be early. */
  private seenRunning = false;
  private idlePolls = 0;
  private failedPolls = 0;
  private lastTime = 0;
  private resolveDone: (result: RunResult) => void = () => undefined;
  private readonly done = new Promise<RunResult>((resolve) => (this.resolveDone = resolve));

  constructor(
    readonly plan: RunPlan,
    private readonly submission: Submission,
    private readonly client: ApflowServerClient,
    private readonly options: ServerRunOptions = {},
  ) {
    const at = this.now();
    this.record = { ...runRecord(plan, at), server: client.endpoint.url };
    this.tasks = plan.tasks.map((task, i) => {
      const record = initialRecord(plan, task, at);
      const serverId = submission.serverIds[i];
      if (serverId !== null) {
        record.server_task_id = serverId;
        this.byServerId.set(serverId, i);
        this.localIds.set(serverId, task.id);
      }
      return record;
    });
  }

  on<K extends RunEventName>(name: K, listener: RunListener<K>): () => void {
    return this.events.on(name, listener);
  }

  /** Submits the tree and follows it; resolves when the server has ended it, it is cancelled, or the connection is lost. */
  start(): Promise<RunResult> {
    if (this.state !== 'new') throw new Error('a run starts only once');
    this.state = 'running';
    this.events.emit('run-started', { run: this.record, tasks: this.tasks });
    void this.submit();
    return this.done;
  }

  /** Spec 3.5 on the server: `tasks.cancel` for every unfinished task; pending ones are cancelled here at once. */
  cancel(reason: string = CANCELLED_BY_USER, graceMs: number = this.options.cancelGraceMs ?? CANCEL_GRACE_MS): void {
    if (this.state === 'finished') return;
    const again = this.state === 'cancelling';
    this.state = 'cancelling';
    if (!again) this.cancelReason = reason;
    const at = this.now();
    this.tasks.forEach((record, i) => record.status === 'pending' && this.move(i, { status: 'cancelled', result: null, error: this.cancelReason }, at));
    const open = this.openServerIds();
    if (open.length > 0 && !again) {
      this.client.call('tasks.cancel', { task_ids: open, error_message: this.cancelReason }).catch((error: unknown) => this.log(`the server did not take the cancellation: ${messageOf(error)}`));
    }
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.graceTimer = setTimeout(() => this.settleCancelled(), graceMs);
    this.checkEnd();
  }

  private async submit(): Promise<void> {
    try {
      await this.client.call('tasks.create', this.submission.tasks);
    } catch (error) {
      this.end(`the apflow server did not take the tree: ${messageOf(error)}`);
      return;
    }
    if (this.state !== 'running') return this.checkEnd();
    this.schedulePoll();
    const params = { task_id: this.submission.executeId, use_streaming: true };
    this.client.stream('tasks.execute', params, (message) => this.onMessage(message), this.stream.signal).then(
      () => undefined, // apflow ends the stream early; the polls carry on.
      (error: unknown) => {
        if (this.state === 'finished' || (error instanceof ServerError && error.kind === 'cancelled')) return;
        // A connection lost midway leaves the tree running there; an error the server answered ends the run.
        if (error instanceof ServerError && error.kind === 'unreachable') this.interrupt(error.message);
        else this.end(messageOf(error));
      },
    );
  }

  private onMessage(message: SseMessage): void {
    if (message.kind !== 'data' || this.state === 'finished') return;
    let event: unknown;
    try {
      event = JSON.parse(message.data);
    } catch {
      return this.log(`the server sent an event that is not JSON: ${message.data.slice(0, 200)}`);
    }
    if (!isMapping(event)) return;
    if (event.jsonrpc !== undefined) {
      // The first message: the JSON-RPC answer to tasks.execute.
      const error = isMapping(event.error) ? event.error : null;
      if (error) this.end(`the apflow server did not execute the tree: ${String(error.message ?? 'error')}${error.data ? `: ${String(error.data)}` : ''}`);
      else if (isMapping(event.result) && event.result.success === false) this.end(`the apflow server did not execute the tree: ${String(event.result.message ?? event.result.status ?? 'refused')}`);
      else this.seenRunning = true;
      return;
    }
    const serverId = typeof event.task_id === 'string' ? event.task_id : null;
    switch (event.type) {
      case 'task_start':
        if (serverId) this.update(serverId, { status: 'in_progress' });
        break;
      case 'task_completed':
        if (serverId) this.update(serverId, { status: 'completed', result: event.result });
        break;
      case 'task_failed':
        if (serverId) this.update(serverId, { status: 'failed', error: typeof event.error === 'string' ? event.error : null });
        break;
      case 'error':
        this.log(`the apflow server reported: ${String(event.error ?? 'an error')}`);
        break;
      default:
        // progress, final, timeout, stream_end: the polls settle what they imply.
        break;
    }
  }

  private schedulePoll(): void {
    if (this.state === 'finished') return;
    this.pollTimer = setTimeout(() => void this.poll(), this.options.pollMs ?? POLL_MS);
  }

  private async poll(): Promise<void> {
    const ids = [...new Set([...this.openServerIds(), this.submission.executeId])];
    let statuses: RunningStatus[];
    try {
      statuses = await this.client.call<RunningStatus[]>('tasks.running.status', { task_ids: ids });
    } catch (error) {
      if (this.state === 'finished') return;
      const transient = error instanceof ServerError && error.kind === 'unreachable';
      if (transient && ++this.failedPolls < POLL_FAILURES) return this.schedulePoll();
      return this.interrupt(messageOf(error));
    }
    this.failedPolls = 0;
    if (this.state === 'finished') return;
    let executing = false;
    // In the order the server started them, so that tasks seen only by a poll keep their order here.
    const byStart = (Array.isArray(statuses) ? statuses : []).slice().sort((a, b) => (a.started_at ?? '\uffff').localeCompare(b.started_at ?? '\uffff'));
    for (const s of byStart) {
      if (s.task_id === this.submission.executeId && s.is_running) executing = true;
      if (this.byServerId.has(s.task_id)) this.update(s.task_id, { status: s.status, error: s.error, progress: s.progress });
    }
    if (executing) this.seenRunning = true;
    const busy = executing || this.settling.size > 0 || this.deferred.size > 0 || this.tasks.some((t) => t.status === 'in_progress');
    this.idlePolls = busy ? 0 : this.idlePolls + 1;
    // Not executing and nothing in progress: apflow has ended the tree (twice in a row before it was seen running).
    if (!busy && (this.seenRunning || this.idlePolls >= 2)) this.end(null);
    else {
      this.checkEnd();
      this.schedulePoll();
    }
  }

  /** Applies what the server says of a task; a terminal status fetches the task's record first. */
  private update(serverId: string, state: ServerTaskState): void {
    const i = this.byServerId.get(serverId);
    if (i === undefined || this.state === 'finished' || this.settling.has(i)) return;
    const record = this.tasks[i];
    if (TERMINAL.has(record.status)) return;
    if (record.status === 'pending' && this.plan.tasks[i].dependencies.some((d) => this.settling.has(d.index))) {
      this.deferred.set(i, state);
      return;
    }
    if (state.status === 'in_progress' || TERMINAL.has(state.status)) {
      if (record.status === 'pending') this.move(i, null, this.now());
    }
    if (state.status === 'in_progress' && typeof state.progress === 'number' && state.progress > record.progress) {
      record.progress = state.progress;
      record.updated_at = this.now();
      this.events.emit('task-progress', { run: this.record, task: record, index: i, progress: state.progress, at: record.updated_at });
    }
    if (!TERMINAL.has(state.status)) return;
    this.settling.add(i);
    void this.client.call<Record<string, unknown> | null>('tasks.get', { task_id: serverId }).then(
      (full) => this.settle(i, { ...state, ...(isMapping(full) ? { result: full.result, error: full.error as string | null, inputs: full.inputs } : {}) }),
      () => this.settle(i, state),
    );
  }

  private settle(i: number, state: ServerTaskState): void {
    this.settling.delete(i);
    if (this.state === 'finished') return;
    if (this.tasks[i].status === 'in_progress') {
      if (isMapping(state.inputs)) this.tasks[i].inputs = this.withLocalKeys(state.inputs) as JsonObject;
      const status = state.status as Outcome['status'];
      const error = status === 'completed' ? null : state.error || (status === 'cancelled' ? this.cancelReason : 'failed on the apflow server (no error given)');
      const outcome: Outcome = status === 'cancelled' && this.state === 'cancelling' ? { status, result: null, error: this.cancelReason } : { status, result: this.withLocalKeys(state.result), error };
      this.move(i, outcome, this.now());
    }
    for (const [j, deferred] of [...this.deferred]) {
      if (this.plan.tasks[j].dependencies.some((d) => this.settling.has(d.index))) continue;
      this.deferred.delete(j);
      this.update(this.tasks[j].server_task_id as string, deferred);
    }
    this.checkEnd();
  }

  /** pending → in_progress (outcome null), or in_progress/pending → a terminal status, with its event. */
  private move(i: number, outcome: Outcome | null, at: number): void {
    const record = this.tasks[i];
    const from = record.status;
    if (outcome === null) {
      start(record, at);
      record.attempt_count = 1;
    } else finish(record, outcome, at);
    this.events.emit('task-status', { run: this.record, task: record, index: i, from, to: record.status, at });
  }

  /** Once cancelled, the run ends as soon as nothing is in progress (or the grace period is over). */
  private checkEnd(): void {
    if (this.state === 'cancelling' && this.settling.size === 0 && !this.tasks.some((t) => t.status === 'in_progress')) this.end(null);
  }

  private settleCancelled(): void {
    if (this.state !== 'cancelling') return;
    const at = this.now();
    this.tasks.forEach((t, i) => t.status === 'in_progress' && this.move(i, { status: 'cancelled', result: null, error: this.cancelReason }, at));
    this.end(null);
  }

  /** The connection is gone: the run is recorded as interrupted, as a run whose process died is. */
  private interrupt(reason: string): void {
    const at = this.now();
    this.tasks.forEach((t, i) => {
      if (t.status === 'in_progress') this.move(i, { status: 'failed', result: null, error: `interrupted: ${reason}` }, at);
      else if (t.status === 'pending') this.move(i, { status: 'cancelled', result: null, error: `interrupted: ${reason}` }, at);
    });
    this.end(`interrupted: ${reason}; the tree may still be running on the server (task ${this.submission.executeId})`);
  }

  private end(error: string | null): void {
    if (this.state === 'finished') return;
    const cancelled = this.state === 'cancelling';
    this.state = 'finished';
    if (this.pollTimer) clearTimeout(this.pollTimer);
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.stream.abort();
    const at = this.now();
    this.markUnstarted(error, at);
    const run = this.record;
    run.finished_at = at;
    if (error !== null) {
      run.status = 'failed';
      run.error = error;
    } else if (cancelled) {
      run.status = 'cancelled';
      run.error = this.cancelReason;
    } else if (this.tasks.every((t) => t.status === 'completed')) run.status = 'completed';
    else {
      run.status = 'failed';
      run.error = runError(this.tasks.filter((t) => t.status === 'failed'), this.tasks.filter((t) => t.blocked_by !== null).length);
    }
    this.events.emit('run-finished', { run, tasks: this.tasks });
    this.resolveDone({ run, tasks: this.tasks });
  }

  /**
   * Tasks the server never started: blocked behind a failed or cancelled required dependency (apflow
   * leaves them pending, unmarked), else cancelled with the reason the run ended.
   */
  private markUnstarted(error: string | null, at: number): void {
    const origin = new Map<number, string>();
    let changed = true;
    while (changed) {
      changed = false;
      this.plan.tasks.forEach((task, i) => {
        if (this.tasks[i].status !== 'pending' || origin.has(i)) return;
        for (const dep of task.dependencies) {
          const d = this.tasks[dep.index];
          const from = d.status === 'failed' || d.status === 'cancelled' ? d.id : origin.get(dep.index);
          if (dep.required && from !== undefined) {
            origin.set(i, from);
            changed = true;
            return;
          }
        }
      });
    }
    this.tasks.forEach((record, i) => {
      if (record.status !== 'pending') return;
      const blockedBy = origin.get(i);
      if (blockedBy !== undefined) {
        record.blocked_by = blockedBy;
        record.updated_at = at;
        this.events.emit('task-blocked', { run: this.record, task: record, index: i, blockedBy, at });
      } else this.move(i, { status: 'cancelled', result: null, error: error ?? 'not run: the apflow server ended the tree without starting it' }, at);
    });
  }

  private openServerIds(): string[] {
    return this.tasks.flatMap((t) => (t.server_task_id && !TERMINAL.has(t.status) ? [t.server_task_id] : []));
  }

  /** A merged input or aggregated result keyed by a server id reads as the file's task id, as a local run's does. */
  private withLocalKeys(value: unknown): unknown {
    if (!isMapping(value)) return value ?? null;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [this.localIds.get(k) ?? k, isMapping(v) ? this.withLocalKeys(v) : v]));
  }

  /** Run-level notes go to the root task's log, where every view shows a run's lines. */
  private log(text: string): void {
    const i = Math.max(0, this.tasks.findIndex((t) => t.parent_id === null));
    if (this.tasks.length > 0) this.events.emit('task-log', { run: this.record, task: this.tasks[i], index: i, text, at: this.now() });
  }

  private now(): number {
    this.lastTime = Math.max(this.lastTime, Date.now());
    return this.lastTime;
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
