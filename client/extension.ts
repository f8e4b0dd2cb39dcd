// The extension's entry (dist/client.js). Kept tiny on purpose: activation loads the editor parts
// (./activate) and nothing else; the runtime, its history and sql.js load on first need.
//
// The run history's database lives in a worker thread that loads this same bundle (the runtime's
// worker-client starts its worker on the bundle file). In that worker there is no `vscode`, so nothing
// here may require it at load time: the worker only takes the branch below.
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
