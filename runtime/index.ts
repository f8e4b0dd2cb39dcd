// The embedded runtime as its hosts (the CLI, the VS Code extension) use it: prepare a run from a
// file's text, run it with events, record it in a history, read the history back, export to apflow.
export { prepareRun, UnknownTaskError, type Preflight, type RunRequest } from './preflight';
export { TaskRun, DEFAULT_CONCURRENCY, firstLine, type RunOptions, type RunResult } from './run';
export type { RunEventMap, RunEventName, RunListener } from './events';
export type { LiveRun } from './live-run';
export { connectServer, prepareServerRun, ServerError, ServerRun, type ServerEndpoint, type ServerPreflight, type ServerRunOptions, type ServerRunRequest } from './remote/apflow-server';
export { privateUrlsAllowed } from './executors/host';
export { probeInterpreter, resolveInterpreter } from './python/interpreter';
export type { PythonRequest } from './python/executors';
export { endAllGroups } from './executors/process-groups';
export { fsReason } from './fs-errors';
export { RunRecorder } from './history/recorder';
export { REFERENCE_KEY } from './history/references';
export * from './history';
export { apflowExport, apflowTaskArray, type ApflowExport, type LeftOut } from './export';
export { isoTime, attemptView, type HookRun, type JsonObject, type MergedFrom, type RunPlan, type RunRecord, type RunStatus, type TaskAttempt, type TaskRecord, type TaskStatus, type TaskView } from './types';
// Tree tests (docs/tree-tests.md): a test file's cases on this runtime, with mocks, and the tree's coverage.
export * from './testing';
export { DEFAULT_QUEUE } from './queue/protocol';
