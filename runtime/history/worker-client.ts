// A history whose database lives in a worker thread. Writing the file means exporting the whole
// database, which takes ~100-400 ms with 200 stored runs of 1,000 tasks (~110 MB): far beyond the
// 50 ms an editor may stall. In a worker the export stalls nobody; this thread only posts one message
// per batch. Read-only commands do not need this and use LocalHistory directly.
import type { Worker } from 'node:worker_threads';
import type { RunRecord, TaskRecord } from '../types';
import { HistoryError, historyErrorFrom, type History, type HistoryMethod, type HistoryOptions } from './history';
import type { EventRecord } from './rows';
import type { RunSummary, WriteBatch } from './store';
import { startWorker } from '../worker-thread';
import type { HistoryWorkerData, WorkerReply, WorkerRequest } from './worker-main';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export class WorkerHistory implements History {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** A failure nobody was waiting for (a batch that could not be applied, the worker dying). */
  private failure: Error | null = null;

  private constructor(
    readonly path: string,
    private readonly worker: Worker,
    readonly warnings: string[],
  ) {
    worker.on('message', (reply: WorkerReply) => this.receive(reply));
    worker.on('error', (error) => this.fail(new HistoryError(`the history worker failed: ${error.message}`)));
    worker.on('exit', () => this.fail(new HistoryError(`the history worker for ${path} has stopped`)));
  }

  static open(options: HistoryOptions): Promise<WorkerHistory> {
    const worker = startWorker<HistoryWorkerData>({ apflowHistoryWorker: true, options });
    return new Promise((resolve, reject) => {
      const onMessage = (reply: WorkerReply) => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        if (reply.kind === 'opened') resolve(new WorkerHistory(options.path, worker, reply.warnings));
        else {
          void worker.terminate();
          reject(reply.kind === 'failure' ? historyErrorFrom(reply.error) : new HistoryError('the history worker answered out of turn'));
        }
      };
      const onError = (error: Error) => {
        worker.off('message', onMessage);
        reject(new HistoryError(`the history worker could not start: ${error.message}`));
      };
      worker.on('message', onMessage);
      worker.once('error', onError);
    });
  }

  apply(batch: WriteBatch): void {
    this.worker.postMessage({ id: 0, method: 'apply', args: [batch] } satisfies WorkerRequest);
  }

  flush(): Promise<void> {
    return this.call('flush') as Promise<void>;
  }

  listRuns(query: { limit: number; file?: string }): Promise<RunSummary[]> {
    return this.call('listRuns', query) as Promise<RunSummary[]>;
  }

  findRun(idOrPrefix: string): Promise<RunRecord | null> {
    return this.call('findRun', idOrPrefix) as Promise<RunRecord | null>;
  }

  latestRetryable(): Promise<RunRecord | null> {
    return this.call('latestRetryable') as Promise<RunRecord | null>;
  }

  tasksOf(runId: string): Promise<TaskRecord[]> {
    return this.call('tasksOf', runId) as Promise<TaskRecord[]>;
  }

  eventsOf(runId: string, taskId?: string): Promise<EventRecord[]> {
    return this.call('eventsOf', runId, taskId) as Promise<EventRecord[]>;
  }

  deleteRun(id: string): Promise<boolean> {
    return this.call('deleteRun', id) as Promise<boolean>;
  }

  clear(): Promise<void> {
    return this.call('clear') as Promise<void>;
  }

  async close(): Promise<void> {
    try {
      await this.call('close');
    } finally {
      this.worker.removeAllListeners('exit');
      await this.worker.terminate();
    }
  }

  private call(method: HistoryMethod, ...args: unknown[]): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, method, args } satisfies WorkerRequest);
    });
  }

  private receive(reply: WorkerReply): void {
    if (reply.kind === 'opened') return;
    const waiting = this.pending.get(reply.id);
    if (!waiting) {
      if (reply.kind === 'failure') this.fail(historyErrorFrom(reply.error));
      return;
    }
    this.pending.delete(reply.id);
    if (reply.kind === 'result') waiting.resolve(reply.value);
    else waiting.reject(historyErrorFrom(reply.error));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
