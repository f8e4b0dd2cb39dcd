// The run history as the extension opens it, built as its own small bundle (dist/history-host.js, see
// esbuild.mjs) that the extension requires the first time it reads the history (the Runs view, the
// lenses of a tree with runs): listing runs never waits for the runtime or the analysis core to load.
// The database itself lives in a worker thread (dist/history-worker.js), so that exporting a big
// history to disk never stalls the extension host. Nothing here imports `vscode`.
import { WorkerHistory, type History, type HistoryOptions } from '../runtime/history';

export type { History };

export interface HistoryHost {
  openHistory(options: HistoryOptions): Promise<History>;
}

export const historyHost: HistoryHost = {
  openHistory: (options) => WorkerHistory.open(options),
};
