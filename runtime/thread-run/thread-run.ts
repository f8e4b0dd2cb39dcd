// The host's side of a run in a worker thread (worker.ts is the worker's): a LiveRun whose records are
// copies, kept up to date from the worker's messages, and whose events are the worker's, replayed in
// order. Hosts use it like the embedded TaskRun; only their own thread stays free meanwhile.
import type { Worker } from 'node:worker_threads';
import type { Diagnostic } from '../../analysis';
import { RunEvents, type RunEventName, type RunListener } from '../events';
import { finish } from '../lifecycle';
import type { LiveRun } from '../live-run';
import type { RunResult } from '../run';
import type { RunRecord, TaskRecord } from '../types';
import { startWorker } from '../worker-thread';
import type { HostMessage, RunWorkerData, ThreadRunRequest, WorkerMessage } from './protocol';

export type ThreadLaunch =
  | { kind: 'ready'; run: ThreadRun }
  | { kind: 'refused'; diagnostics: Diagnostic[] }
  | { kind: 'error'; message: string };

/** How long a finished run's worker may take to close its Python host and queue before it is stopped. */
const WORKER_EXIT_GRACE_MS = 5000;

/**
 * Prepares the run in a new worker thread that loads `entry` (a bundle holding the runtime, or
 * worker.ts from the sources). Resolves once the pre-flight is done; rejects only on a bug. `note`
 * gets the lines the run has for the host's log, before and after it is ready.
 */
export function launchInThread(request: ThreadRunRequest, entry: string, note: (line: string) => void = () => undefined): Promise<ThreadLaunch> {
  const worker = startWorker<RunWorkerData>({ apflowRunWorker: true, request }, entry);
  worker.on('message', (message: WorkerMessage) => {
    if (message.kind === 'note') note(message.line);
  });
  return new Promise((resolve, reject) => {
    const stopped = (error: Error) => reject(new Error(`the run's worker thread stopped while preparing the run: ${error.message}`));
    const onExit = (code: number) => stopped(new Error(`exit code ${code}`));
    worker.once('error', stopped);
    worker.once('exit', onExit);
    const prepared = (message: WorkerMessage) => {
      if (message.kind === 'note') return;
      worker.off('message', prepared);
      worker.off('error', stopped);
      worker.off('exit', onExit);
      if (message.kind === 'ready') resolve({ kind: 'ready', run: new ThreadRun(worker, message.record, message.tasks) });
      else if (message.kind === 'refused' || message.kind === 'error') resolve(message);
      else if (message.kind === 'crash') reject(Object.assign(new Error(message.message), { stack: message.stack }));
      else reject(new Error(`the run's worker sent '${message.kind}' before the run was ready`));
    };
    worker.on('message', prepared);
  });
}

/**
 * The worker's run as the host sees it. Each batch from the worker updates the records first, then
 * replays its events in order: an event's record may already show a later state of the same batch
 * (a task's `in_progress` event arrives with the record completed), which listeners that copy what
 * they keep, as events.ts asks, do not notice.
 */
export class ThreadRun implements LiveRun {
  private readonly events = new RunEvents();
  private state: 'new' | 'running' | 'finished' = 'new';
  private resolveDone: (result: RunResult) => void = () => undefined;
  private readonly exited: Promise<void>;

  constructor(
    private readonly worker: Worker,
    readonly record: RunRecord,
    readonly tasks: TaskRecord[],
  ) {
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.on('message', (message: WorkerMessage) => this.receive(message));
    worker.on('error', (error) => this.lost(error.message));
    worker.once('exit', (code) => this.lost(`its worker thread exited (code ${code})`));
  }

  on<K extends RunEventName>(name: K, listener: RunListener<K>): () => void {
    return this.events.on(name, listener);
  }

  start(): Promise<RunResult> {
    if (this.state !== 'new') throw new Error('a run starts only once');
    this.state = 'running';
    const done = new Promise<RunResult>((resolve) => (this.resolveDone = resolve));
    this.send({ kind: 'start' });
    return done;
  }

  cancel(reason?: string, graceMs?: number): void {
    if (this.state === 'running') this.send({ kind: 'cancel', reason, graceMs });
  }

  /** A run that will not start lets go of what its worker holds; resolves once the worker has ended. */
  discard(): Promise<void> {
    if (this.state !== 'new') return Promise.resolve();
    this.state = 'finished';
    this.send({ kind: 'discard' });
    this.stopLater();
    return this.exited;
  }

  private send(message: HostMessage): void {
    this.worker.postMessage(message);
  }

  private receive(message: WorkerMessage): void {
    if (message.kind === 'events') {
      Object.assign(this.record, message.record);
      for (const [i, task] of message.tasks) Object.assign(this.tasks[i], task);
      for (const event of message.events) {
        if (event.name === 'run-started') this.events.emit('run-started', { run: this.record, tasks: this.tasks });
        else {
          const { name, ...rest } = event;
          this.events.emit(name, { ...rest, run: this.record, task: this.tasks[event.index] } as never);
        }
      }
    } else if (message.kind === 'finished') {
      Object.assign(this.record, message.record);
      message.tasks?.forEach((task, i) => Object.assign(this.tasks[i], task));
      this.end();
      this.stopLater();
    }
  }

  /** The worker ends by itself once it has closed its Python host and queue; one that does not is stopped. */
  private stopLater(): void {
    setTimeout(() => void this.worker.terminate(), WORKER_EXIT_GRACE_MS).unref();
  }

  /** The worker went away before the run finished (it crashed or was stopped): the run fails with the reason. */
  private lost(reason: string): void {
    if (this.state !== 'running') return;
    const at = Date.now();
    const error = `the run stopped: ${reason}`;
    for (const task of this.tasks) if (task.status === 'pending' || task.status === 'in_progress') finish(task, { status: 'cancelled', result: null, error }, at);
    Object.assign(this.record, { status: 'failed', error, finished_at: at });
    this.end();
  }

  private end(): void {
    if (this.state === 'finished') return;
    this.state = 'finished';
    this.events.emit('run-finished', { run: this.record, tasks: this.tasks });
    this.resolveDone({ run: this.record, tasks: this.tasks });
  }
}
