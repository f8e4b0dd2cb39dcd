// What every host (the CLI's progress and session, the editor's RunService, the history recorder) needs of a
// run while it goes: its live records, its events, and a way to start and cancel it. The embedded runtime's
// TaskRun is one; a run on an apflow server (remote/apflow-server) is another, driven by the server's events.
import type { RunEventName, RunListener } from './events';
import type { RunResult } from './run';
import type { RunRecord, TaskRecord } from './types';

export interface LiveRun {
  readonly record: RunRecord;
  /** In file order, updated in place as the run goes. */
  readonly tasks: TaskRecord[];
  on<K extends RunEventName>(name: K, listener: RunListener<K>): () => void;
  start(): Promise<RunResult>;
  /** Cancels the run with `reason`; a shorter `graceMs` (a second Ctrl+C) settles running tasks sooner. */
  cancel(reason?: string, graceMs?: number): void;
}
