// Everything of the runtime the extension uses, built as its own bundle (dist/runtime-host.js, see
// esbuild.mjs) that the extension requires on first need only (a run, the Runs view, a tree with
// history): the runtime, the analysis its pre-flight runs, the history and sql.js never load at
// activation, and none of them is in dist/client.js. Nothing here imports `vscode`.
import { analyzeFile } from '../analysis';
import { nodeEnv } from '../analysis/node-env';
import { apflowTaskArray } from '../runtime/export';
import type { History, HistoryOptions } from '../runtime/history/history';
import { HistoryError } from '../runtime/history/history';
import { RunRecorder } from '../runtime/history/recorder';
import { WorkerHistory } from '../runtime/history/worker-client';
import { prepareRun, UnknownTaskError, type Preflight, type RunRequest } from '../runtime/preflight';
import { TaskRun, type RunOptions } from '../runtime/run';
import type { JsonObject, RunPlan } from '../runtime/types';

export type { History, Preflight, RunRequest };

export interface RuntimeHost {
  openHistory(options: HistoryOptions): Promise<History>;
  isHistoryError(error: unknown): boolean;
  prepare(request: RunRequest): Promise<Preflight>;
  isUnknownTask(error: unknown): boolean;
  createRun(plan: RunPlan, options: RunOptions): TaskRun;
  record(history: History, run: TaskRun): { written(): Promise<void> };
  /** Spec 3.10: the apflow task array, or the errors that make apflow refuse the file. */
  exportTree(text: string, file: string): { ok: true; tasks: JsonObject[] } | { ok: false; errors: ReturnType<typeof analyzeFile>['diagnostics'] };
}

export const runtimeHost: RuntimeHost = {
  // The database lives in a worker: exporting a big history to disk must not stall the extension host.
  openHistory: (options) => WorkerHistory.open(options),
  isHistoryError: (error) => error instanceof HistoryError,
  prepare: (request) => prepareRun(request),
  isUnknownTask: (error) => error instanceof UnknownTaskError,
  createRun: (plan, options) => new TaskRun(plan, options),
  record: (history, run) => new RunRecorder(history, run),
  exportTree(text, file) {
    const { diagnostics, model } = analyzeFile(text, file, nodeEnv);
    const errors = diagnostics.filter((d) => d.severity === 'error');
    return errors.length > 0 ? { ok: false, errors } : { ok: true, tasks: apflowTaskArray(model) };
  },
};
