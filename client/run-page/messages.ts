// What the run page's webview and the extension host say to each other (postMessage, JSON).
import type { HookRun } from '../../runtime';
import type { PageAttempt, PageRun, PageTask, SplitInputs } from './model';

/** The selected task in full: what its row leaves out. */
export interface TaskDetails {
  index: number;
  inputs: SplitInputs;
  result: unknown;
  error: string | null;
  attempts: PageAttempt[];
  hooks: HookRun[];
  blockedBy: string | null;
  /** The run this result was carried over from (a retry). */
  carriedFrom: string | null;
  /** The task's log lines; null when the run history is not available. */
  log: string[] | null;
}

export type ToPage =
  | { type: 'init'; run: PageRun; tasks: PageTask[]; selected: number | null; focusLog: boolean; now: number }
  | { type: 'update'; run: PageRun; tasks: PageTask[]; now: number }
  | { type: 'details'; details: TaskDetails }
  | { type: 'select'; index: number; focusLog: boolean };

export type FromPage =
  | { type: 'ready' }
  | { type: 'select'; index: number }
  | { type: 'reveal'; index: number }
  | { type: 'json'; index: number }
  | { type: 'openRun'; runId: string };
