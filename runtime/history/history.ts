// What hosts use of the run history: one asynchronous interface, whether the database lives on this
// thread or in a worker (see worker-client.ts for why runs record through a worker).
import type { RunRecord, TaskRecord } from '../types';
import type { ExportTiming } from './export-scheduler';
import type { EventRecord } from './rows';
import type { RunSummary, WriteBatch } from './store';

export const DEFAULT_MAX_RUNS = 200;
export const LOCK_WAIT_MS = 5000;

export interface HistoryOptions {
  /** The database file (`.apflow/history.sqlite` for the CLI). */
  path: string;
  /**
   * `write`: this process records runs; takes the writer lock, waiting up to 5 s for another writer.
   * `read`: only reads; recovers interrupted runs and migrates only when no other process writes.
   */
  mode: 'write' | 'read';
  /** Retention: the newest runs kept (default 200). */
  maxRuns?: number;
  lockWaitMs?: number;
  timing?: ExportTiming;
}

export interface History {
  readonly path: string;
  /** What the user should be told, e.g. that a damaged file was moved aside and under which name. */
  readonly warnings: readonly string[];
  /** Queues writes; they reach the file within the export timing, at once when a run finished. */
  apply(batch: WriteBatch): void;
  /** Resolves when everything applied so far is in the file. */
  flush(): Promise<void>;
  listRuns(query: { limit: number; file?: string }): Promise<RunSummary[]>;
  /** By id, or by an unambiguous prefix of at least 4 characters. */
  findRun(idOrPrefix: string): Promise<RunRecord | null>;
  latestRetryable(): Promise<RunRecord | null>;
  tasksOf(runId: string): Promise<TaskRecord[]>;
  eventsOf(runId: string, taskId?: string): Promise<EventRecord[]>;
  deleteRun(id: string): Promise<boolean>;
  clear(): Promise<void>;
  /** Writes what is pending and lets go of the file and its lock. */
  close(): Promise<void>;
}

/** The history file cannot be used; the message names the file and says what to do. */
export class HistoryError extends Error {}

/**
 * The file system refused to store the history (a full disk, a read-only folder): unlike a file in use
 * or a file that is not a history, this says nothing against running the tree, only against recording it.
 */
export class HistoryUnwritableError extends HistoryError {}

/** The error as it crosses a worker boundary, where classes are lost. */
export interface HistoryErrorData {
  message: string;
  unwritable: boolean;
}

export function historyErrorData(error: unknown): HistoryErrorData {
  return { message: error instanceof Error ? error.message : String(error), unwritable: error instanceof HistoryUnwritableError };
}

export function historyErrorFrom(data: HistoryErrorData): HistoryError {
  return data.unwritable ? new HistoryUnwritableError(data.message) : new HistoryError(data.message);
}

/** The methods a worker may be asked to run: the History interface, and nothing else. */
export const HISTORY_METHODS = ['apply', 'flush', 'listRuns', 'findRun', 'latestRetryable', 'tasksOf', 'eventsOf', 'deleteRun', 'clear', 'close'] as const;
export type HistoryMethod = (typeof HISTORY_METHODS)[number];
