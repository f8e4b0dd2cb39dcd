// The run history alone, for hosts that only read and write runs (the extension's Runs view): a second
// entry point of runtime/, so that opening the history never loads the scheduler, the executors or the
// analysis core (dist/history-host.js stays about 120 KB instead of 670 KB).
export { WorkerHistory } from './worker-client';
export { LocalHistory } from './local';
export { HistoryError, HistoryUnwritableError, DEFAULT_MAX_RUNS, type History, type HistoryOptions } from './history';
export type { RunSummary } from './store';
export { RunRecorder } from './recorder';
export { unreadableFields, UNREADABLE_KEY, type EventRecord } from './rows';
