// The embedded runtime as its hosts (the CLI, the VS Code extension) use it: prepare a run from a
// file's text, run it with events, record it in a history, read the history back, export to apflow.
export { prepareRun, UnknownTaskError, type Preflight, type RunRequest } from './preflight';
export { TaskRun, DEFAULT_CONCURRENCY, firstLine, type RunOptions, type RunResult } from './run';
export type { RunEventMap, RunEventName, RunListener } from './events';
export { privateUrlsAllowed } from './executors/host';
export { probeInterpreter, resolveInterpreter } from './python/interpreter';
export type { PythonRequest } from './python/executors';
export { endAllGroups } from './executors/process-groups';
export { fsReason } from './fs-errors';
export { RunRecorder } from './history/recorder';
export { REFERENCE_KEY } from './history/references';
export * from './history';
export { apflowExport, apflowTaskArray, type ApflowExport, type LeftOut } from './export';
export { isoTime, type JsonObject, type RunPlan, type RunRecord, type RunStatus, type TaskRecord, type TaskStatus, type TaskView } from './types';
export { DEFAULT_QUEUE } from './queue/protocol';
export { attemptView } from './types';
