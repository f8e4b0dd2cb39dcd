// Records a run in the history from its events (spec 3.7/3.8). Changes are queued and handed over once
// per macrotask as one batch (one transaction); a task that changed several times in that tick is
// written once, with its latest state, while every transition still gets its own event row.
import type { LiveRun } from '../live-run';
import type { TaskRecord } from '../types';
import type { History } from './history';
import { eventRow, fixedTaskJson, runRow, taskRow, type EventRecord, type TaskJson } from './rows';
import { ResultReferences } from './references';
import type { WriteBatch } from './store';

export const LOG_CAP_BYTES = 1024 * 1024;
export const LOG_CUT_MARKER = '[log truncated: this task logged more than 1 MiB]';

export class RunRecorder {
  private batch: WriteBatch = { runs: [], tasks: [], events: [], finished: [] };
  private readonly dirty: Uint8Array;
  private dirtyTasks: number[] = [];
  private readonly fixed: TaskJson[];
  /** Completed tasks' results, stored once: found again below another record, they become references. */
  private readonly refs = new ResultReferences();
  private readonly logBytes: Float64Array;
  /** Latest unsaved progress per task: a chatty executor costs one row per tick, not one per call. */
  private readonly progress = new Map<number, EventRecord>();
  private seq = 0;
  private scheduled = false;
  private finished: Promise<void> | null = null;

  constructor(
    private readonly history: History,
    private readonly run: LiveRun,
  ) {
    const n = run.tasks.length;
    this.dirty = new Uint8Array(n);
    this.logBytes = new Float64Array(n);
    this.fixed = run.tasks.map(fixedTaskJson);
    const runId = run.record.id;
    run.on('run-started', () => {
      this.batch.runs.push(runRow(run.record));
      for (let i = 0; i < n; i++) {
        // Carried over from the retried run: completed from the start.
        if (run.tasks[i].status === 'completed') this.refs.add(run.tasks[i].id, run.tasks[i].result);
        this.touch(i);
      }
    });
    run.on('task-status', (e) => {
      if (e.to === 'completed') this.refs.add(e.task.id, e.task.result);
      this.touch(e.index);
      const message = e.to === 'failed' || e.to === 'cancelled' ? e.task.error : null;
      this.event({ run_id: runId, seq: 0, at: e.at, task_id: e.task.id, kind: 'status', from_status: e.from, to_status: e.to, message });
    });
    run.on('task-blocked', (e) => this.touch(e.index));
    run.on('task-attempt', (e) => {
      this.touch(e.index);
      const message = `attempt ${e.attempt} failed: ${e.error}; retrying in ${(e.retryInMs / 1000).toFixed(1)} s`;
      this.event({ run_id: runId, seq: 0, at: e.at, task_id: e.task.id, kind: 'attempt', from_status: null, to_status: null, message });
    });
    run.on('task-progress', (e) => {
      this.touch(e.index);
      this.progress.set(e.index, { run_id: runId, seq: 0, at: e.at, task_id: e.task.id, kind: 'progress', from_status: null, to_status: null, message: String(e.progress) });
    });
    run.on('task-log', (e) => this.log(e.index, e.task, e.text, e.at));
    run.on('run-finished', () => {
      // Post-hooks add to a task's record after its last status change.
      for (let i = 0; i < n; i++) if (run.tasks[i].hooks) this.touch(i);
      this.batch.runs.push(runRow(run.record));
      this.batch.finished.push(runId);
      this.flush();
      this.finished = this.history.flush();
      // Hosts that do not wait for written() learn of a failed write when they close the history.
      this.finished.catch(() => undefined);
    });
  }

  /** Resolves once the finished run is in the history file. */
  written(): Promise<void> {
    return this.finished ?? Promise.reject(new Error('the run has not finished'));
  }

  private touch(i: number): void {
    if (!this.dirty[i]) {
      this.dirty[i] = 1;
      this.dirtyTasks.push(i);
    }
    this.schedule();
  }

  private event(e: EventRecord): void {
    this.queueEvent(e);
    this.schedule();
  }

  private queueEvent(e: EventRecord): void {
    e.seq = ++this.seq;
    this.batch.events.push(eventRow(e));
  }

  /** Logs of one task are capped at 1 MiB; the cut is marked once. */
  private log(i: number, task: TaskRecord, text: string, at: number): void {
    const used = this.logBytes[i];
    if (used > LOG_CAP_BYTES) return;
    const bytes = Buffer.byteLength(text);
    let kept = text;
    if (used + bytes > LOG_CAP_BYTES) {
      kept = Buffer.from(text).subarray(0, LOG_CAP_BYTES - used).toString('utf8');
      this.logBytes[i] = LOG_CAP_BYTES + 1;
    } else {
      this.logBytes[i] = used + bytes;
    }
    const base = { run_id: this.run.record.id, seq: 0, at, task_id: task.id, from_status: null, to_status: null } as const;
    if (kept) this.event({ ...base, kind: 'log', message: kept });
    if (this.logBytes[i] > LOG_CAP_BYTES) this.event({ ...base, kind: 'log', message: LOG_CUT_MARKER });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    for (const e of this.progress.values()) this.queueEvent(e);
    this.progress.clear();
    const runId = this.run.record.id;
    for (const i of this.dirtyTasks) {
      this.batch.tasks.push(taskRow(runId, this.run.tasks[i], this.fixed[i], this.refs));
      this.dirty[i] = 0;
    }
    this.dirtyTasks = [];
    const batch = this.batch;
    if (batch.runs.length + batch.tasks.length + batch.events.length === 0) return;
    this.batch = { runs: [], tasks: [], events: [], finished: [] };
    this.history.apply(batch);
  }
}
