// The embedded runtime as its hosts (the CLI, the VS Code extension) use it: prepare a run from a
// file's text, run it with events, record it in a history, read the history back, export to apflow.
export { prepareRun, UnknownTaskError, type Preflight, type RunRequest } from './preflight';
export { TaskRun, DEFAULT_CONCURRENCY, firstLine, type RunOptions, type RunResult } from './run';
export type { RunEventMap, RunEventName, RunListener } from './events';
export { privateUrlsAllowed } from './executors/host';
export { RunRecorder } from './history/recorder';
export { WorkerHistory } from './history/worker-client';
export { LocalHistory } from './history/local';
export { HistoryError, DEFAULT_MAX_RUNS, type History, type HistoryOptions } from './history/history';
export type { RunSummary } from './history/store';
export type { EventRecord } from './history/rows';
export { apflowExport, apflowTaskArray, type ApflowExport, type LeftOut } from './export';
export { isoTime, type RunPlan, type RunRecord, type RunStatus, type TaskRecord, type TaskStatus, type TaskView } from './types';
