// The embedded runtime as its hosts (the CLI, the VS Code extension) use it: prepare a run from a
// file's text, run it with events, record it in a history, read the history back, export to apflow.
export { prepareRun, UnknownTaskError, type Preflight, type RunRequest } from './preflight';
export { TaskRun, DEFAULT_CONCURRENCY, firstLine, type RunOptions, type RunResult } from './run';
export type { RunEventMap, RunEventName, RunListener } from './events';
export { privateUrlsAllowed } from './executors/host';
export { probeInterpreter, resolveInterpreter } from './python/interpreter';
export type { PythonRequest } from './python/executors';
export { endAllGroups } from './executors/process-groups';
export { RunRecorder } from './history/recorder';
export { REFERENCE_KEY } from './history/references';
export { WorkerHistory } from './history/worker-client';
export { LocalHistory } from './history/local';
export { HistoryError, HistoryUnwritableError, DEFAULT_MAX_RUNS, type History, type HistoryOptions } from './history/history';
export type { RunSummary } from './history/store';
export { unreadableFields, UNREADABLE_KEY, type EventRecord } from './history/rows';
export { apflowTaskArray } from './export';
export { isoTime, type RunPlan, type RunRecord, type RunStatus, type TaskRecord, type TaskStatus, type TaskView } from './types';
