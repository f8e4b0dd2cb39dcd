// The extension's entry (dist/client.js). Kept tiny on purpose: activation loads the editor parts
// (./activate) and nothing else; the runtime, its history and sql.js load on first need.
//
// The run history's database lives in a worker thread. The runtime starts it on a dedicated
// dist/history-worker.js when the build makes one, and otherwise on this very bundle. In that worker
// there is no `vscode`, so nothing here may require it at load time: the worker only takes the branch
// below (which serves the history), and `activate` pulls in the editor parts.
import { isMainThread, workerData } from 'node:worker_threads';
import type * as vscode from 'vscode';
import type { TestApi } from './activate';

if (!isMainThread && (workerData as { apflowHistoryWorker?: unknown } | null)?.apflowHistoryWorker === true) {
  require('../runtime/history/worker-main');
}

export function activate(context: vscode.ExtensionContext): TestApi {
  return (require('./activate') as typeof import('./activate')).activate(context);
}

export function deactivate(): Promise<void> | undefined {
  return (require('./activate') as typeof import('./activate')).deactivate();
}
