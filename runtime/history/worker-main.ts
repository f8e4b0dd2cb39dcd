// The history's side of a worker thread: a LocalHistory serving the calls of worker-client.ts. This
// module starts serving when it is loaded inside a history worker, and only then. It is also the entry
// file of every runtime worker (one small bundle, history-worker.js): a workspace executor worker is
// served by the module imported below, which likewise acts only when its workerData says so.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { HISTORY_METHODS, historyErrorData, type HistoryErrorData, type HistoryMethod, type HistoryOptions } from './history';
import { LocalHistory } from './local';
import '../executors/worker-main';

/**
 * The file a worker loads to reach this module: a dedicated `history-worker.js` bundle beside the
 * running bundle when the build makes one (small, and free of host modules such as `vscode`), else the
 * running bundle itself (the CLI's), or this file when running the sources.
 */
export function workerEntry(): string {
  const dedicated = join(__dirname, 'history-worker.js');
  return existsSync(dedicated) ? dedicated : __filename;
}

export interface WorkerRequest {
  /** 0 for calls nobody waits for (apply). */
  id: number;
  method: HistoryMethod;
  args: unknown[];
}

export type WorkerReply =
  | { kind: 'opened'; warnings: string[] }
  | { kind: 'result'; id: number; value: unknown }
  | { kind: 'failure'; id: number; error: HistoryErrorData };

export interface HistoryWorkerData {
  apflowHistoryWorker: true;
  options: HistoryOptions;
}

function serve(port: MessagePort, options: HistoryOptions): void {
  const opening = LocalHistory.open(options);
  opening.then(
    (history) => port.postMessage({ kind: 'opened', warnings: history.warnings } satisfies WorkerReply),
    (error: unknown) => port.postMessage({ kind: 'failure', id: -1, error: historyErrorData(error) } satisfies WorkerReply),
  );
  port.on('message', async (request: WorkerRequest) => {
    try {
      if (!HISTORY_METHODS.includes(request.method)) throw new Error(`unknown history method ${String(request.method)}`);
      const history = await opening;
      const method = history[request.method] as (...args: unknown[]) => unknown;
      const value = await method.apply(history, request.args);
      if (request.id !== 0) port.postMessage({ kind: 'result', id: request.id, value } satisfies WorkerReply);
    } catch (error) {
      // A failed apply (id 0) is reported too: the client fails its next call with it.
      port.postMessage({ kind: 'failure', id: request.id, error: historyErrorData(error) } satisfies WorkerReply);
    }
  });
}

const data = workerData as Partial<HistoryWorkerData> | null;
if (!isMainThread && parentPort && data?.apflowHistoryWorker === true && data.options) serve(parentPort, data.options);
