// The messages between a host and a run in a worker thread (worker.ts serves them, thread-run.ts is the
// host's side). Everything here is plain data: structured clones of the runtime's records and events.
import type { Diagnostic } from '../../analysis';
import type { RunEventMap } from '../events';
import type { RunRequest } from '../preflight';
import type { QueueTarget } from '../queue';
import type { RunRecord, TaskRecord } from '../types';

/** What the worker needs to prepare and run a tree: the pre-flight's request (without functions), and how to run it. */
export interface ThreadRunRequest {
  run: Omit<RunRequest, 'substitute'>;
  concurrency: number;
  /** Run the tasks on queue workers (issue 15); what the queue reports comes back as `note` messages. */
  queue?: Omit<QueueTarget, 'report'>;
}

export interface RunWorkerData {
  apflowRunWorker: true;
  request: ThreadRunRequest;
}

type TaskEventName = Exclude<keyof RunEventMap, 'run-started' | 'run-finished'>;

/** A task event without the records it points to: the host points it at its copies. */
export type ForwardedEvent =
  | { [K in TaskEventName]: { name: K } & Omit<RunEventMap[K], 'run' | 'task'> }[TaskEventName]
  | { name: 'run-started' };

export type WorkerMessage =
  /** Prepared: the run exists and waits for `start`. */
  | { kind: 'ready'; record: RunRecord; tasks: TaskRecord[] }
  /** A line for the host's log, sent at any time (no worker connected yet, Redis lost and back). */
  | { kind: 'note'; line: string }
  | { kind: 'refused'; diagnostics: Diagnostic[] }
  /** The run cannot start, for a reason the user can act on (an unknown task, an unreachable queue). */
  | { kind: 'error'; message: string }
  /** Something unexpected went wrong while preparing (a bug): the host reports it as one. */
  | { kind: 'crash'; message: string; stack?: string }
  /** What happened since the last message: the run's record, the changed tasks' records, then the events in order. */
  | { kind: 'events'; record: RunRecord; tasks: [number, TaskRecord][]; events: ForwardedEvent[] }
  /** The run's end; `tasks` is every record when hooks may have changed some without an event, else null. */
  | { kind: 'finished'; record: RunRecord; tasks: TaskRecord[] | null };

export type HostMessage =
  | { kind: 'start' }
  | { kind: 'cancel'; reason?: string; graceMs?: number }
  /** The run will not start (cancelled while it was prepared): let go of what it holds and end. */
  | { kind: 'discard' };
