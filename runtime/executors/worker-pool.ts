// Workspace executors run in worker threads (issue 10): a synchronous executor spinning on the main
// thread could not be stopped by its timeout or by a cancellation, and an async one that ignores its
// signal would keep the process alive. A worker can always be terminated. Each call takes a worker of
// its own; a worker whose call ended normally goes back to a small idle pool (unref'd, so it never keeps
// the process alive), one whose call was aborted and did not return within ABORT_GRACE_MS is terminated.
//
// What crosses the boundary: inputs and `context.task` are copied (structured clone), `signal` becomes an
// abort message, `log` and `progress` become messages back; the returned value is copied back, so it
// must be plain data (a function or a class instance with methods cannot be returned; the task fails
// saying so). A module is loaded once per worker, so module-level state is per worker.
import type { Worker } from 'node:worker_threads';
import type { ExecutorContext, JsonObject } from '../types';
import { startWorker } from '../worker-thread';
import type { ExecutorReply, ExecutorRequest, ExecutorWorkerData, ThrownError } from './worker-main';

/** How long an aborted call may take to return before its worker is terminated. */
export const ABORT_GRACE_MS = 1000;
const MAX_IDLE = 4;
/** An idle worker not used for this long is ended (long-lived hosts: the editor). */
const IDLE_MS = 30_000;

export interface ModuleRef {
  /** File URL of the module, with its version query. */
  url: string;
  /** As declared, for messages. */
  module: string;
  exportName: string;
}

interface Call {
  onReply(reply: ExecutorReply): void;
  onExit(): void;
}

class ExecutorWorker {
  private call: Call | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private exited = false;

  constructor(private readonly worker: Worker) {
    worker.on('message', (reply: ExecutorReply) => this.call?.onReply(reply));
    worker.on('error', () => undefined); // An uncaught error in the worker ends it: reported through 'exit'.
    worker.on('exit', () => {
      this.exited = true;
      // A worker that ended while idle (a crash, a module's stray process.exit) must not be handed out again.
      const at = idle.indexOf(this);
      if (at >= 0) idle.splice(at, 1);
      this.call?.onExit();
    });
  }

  begin(call: Call): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.call = call;
    this.worker.ref();
  }

  /** The call ended: back to the idle pool, or ended when the pool is full. */
  end(): void {
    this.call = null;
    if (this.exited) return;
    if (idle.length >= MAX_IDLE) {
      void this.worker.terminate();
      return;
    }
    this.worker.unref();
    this.idleTimer = setTimeout(() => void this.worker.terminate(), IDLE_MS).unref();
    idle.push(this);
  }

  post(request: ExecutorRequest): void {
    this.worker.postMessage(request);
  }

  terminate(): void {
    this.call = null;
    void this.worker.terminate();
  }
}

const idle: ExecutorWorker[] = [];
let nextId = 1;

function acquire(): ExecutorWorker {
  return idle.pop() ?? new ExecutorWorker(startWorker<ExecutorWorkerData>({ apflowExecutorWorker: true }));
}

/** Checks in a worker that the module loads and exports an executor; rejects with the reason. */
export function loadInWorker(ref: ModuleRef): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = acquire();
    const id = nextId++;
    worker.begin({
      onReply: (reply) => {
        if (reply.id !== id) return;
        worker.end();
        if (reply.kind === 'loaded') resolve();
        else if (reply.kind === 'threw') reject(new Error(reply.error.message));
      },
      onExit: () => reject(new Error(`its module ${ref.module} stopped its worker thread while loading`)),
    });
    worker.post({ kind: 'load', id, ...ref });
  });
}

/** Runs the executor in a worker; settles with its result or what it threw. */
export function runInWorker(ref: ModuleRef, inputs: JsonObject, context: ExecutorContext): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const worker = acquire();
    const id = nextId++;
    const { signal } = context;
    let graceTimer: NodeJS.Timeout | null = null;
    const settle = () => {
      signal.removeEventListener('abort', onAbort);
      if (graceTimer) clearTimeout(graceTimer);
    };
    const onAbort = () => {
      const reason = signal.reason instanceof Error ? signal.reason : new Error('Aborted');
      worker.post({ kind: 'abort', id, message: reason.message });
      // An executor that ignores its signal (or spins synchronously) loses its worker.
      graceTimer = setTimeout(() => {
        settle();
        worker.terminate();
        reject(reason);
      }, ABORT_GRACE_MS);
    };
    worker.begin({
      onReply: (reply) => {
        if (reply.id !== id) return;
        if (reply.kind === 'log') context.log(reply.text);
        else if (reply.kind === 'progress') context.progress(reply.fraction);
        else if (reply.kind === 'returned' || reply.kind === 'threw') {
          settle();
          worker.end();
          if (reply.kind === 'returned') resolve(reply.value);
          else reject(rebuild(reply.error));
        }
      },
      onExit: () => {
        settle();
        reject(new Error('the executor ended its worker thread (process.exit or a fatal error) before returning'));
      },
    });
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    worker.post({ kind: 'run', id, ...ref, inputs, task: context.task });
  });
}

/** What the executor threw, as this thread's execution expects it: an Error with its stack, or a plain value. */
function rebuild(error: ThrownError): unknown {
  if (error.plain) return error.message;
  const rebuilt = new Error(error.message);
  rebuilt.name = error.name;
  rebuilt.stack = error.stack;
  return rebuilt;
}
