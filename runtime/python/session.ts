// The Python side of one run: one host process serves all its Python tasks and hooks at once (issue 12).
// It starts with the first Python task; a task that does not stop within the grace period after its
// cancellation or timeout gets the host killed (the tasks still in it fail saying why) and the next
// Python task starts a new one, so the run goes on.
import { delimiter } from 'node:path';
import type { ExecutorFn, JsonObject, TaskView } from '../types';
import { PythonHostProcess, type CallHandlers } from './host-process';
import { targetLabel, type PythonTarget } from '../../analysis';
import { callRepository, type HookRepositoryApi } from '../hooks/repository';

/** How long a cancelled or timed-out Python task may take to stop before its host is killed. */
export const PYTHON_STOP_GRACE_MS = 2000;

export interface PythonSessionOptions {
  interpreter: string;
  /** The tree's folder: relative Python files resolve from it, and it is on sys.path. */
  treeDir: string;
  /** Also on sys.path (PYTHONPATH): the workspace folder, for `package.module:Name` targets. */
  workspaceDir?: string;
  env: NodeJS.ProcessEnv;
  stopGraceMs?: number;
}

/** Where a call's logs and progress go. */
export interface CallSink {
  log(text: string): void;
  progress?(fraction: number): void;
  /** A hook's repository: answers its calls from the host. */
  repository?: HookRepositoryApi;
}

export interface HookReturn {
  inputs: unknown;
  returned: unknown;
}

export class PythonSession {
  private host: PythonHostProcess | null = null;
  private closed = false;

  constructor(private readonly options: PythonSessionOptions) {}

  get interpreter(): string {
    return this.options.interpreter;
  }

  /** An executor running `target` in the host, the way apflow's TaskManager calls executors. */
  executor(target: PythonTarget): ExecutorFn {
    return (inputs, context) =>
      this.call({ kind: 'executor', target, task: context.task, inputs, params: context.task.params ?? {} }, context, context.signal, context.task.id);
  }

  /** Runs a Python hook: `target(task, *args)`; resolves with the task's inputs after the hook. */
  hook(target: PythonTarget, task: TaskView, args: unknown[], sink: CallSink): Promise<HookReturn> {
    return this.call({ kind: 'hook', target, task, args }, sink, null, task.id) as Promise<HookReturn>;
  }

  /** Resolves once a host is running (or could not start: its calls then fail saying why). */
  ready(): Promise<void> {
    return this.running().ready.then(
      () => undefined,
      () => undefined,
    );
  }

  /** Ends the host (after the run). */
  async close(): Promise<void> {
    this.closed = true;
    const host = this.host;
    this.host = null;
    await host?.shutdown();
  }

  private running(): PythonHostProcess {
    if (this.closed) throw new Error('the run has ended');
    if (this.host === null || this.host.endReason !== null) {
      const { interpreter, treeDir, workspaceDir, env } = this.options;
      const pythonPath = [workspaceDir, env.PYTHONPATH].filter(Boolean).join(delimiter);
      this.host = new PythonHostProcess(interpreter, treeDir, pythonPath ? { ...env, PYTHONPATH: pythonPath } : env);
    }
    return this.host;
  }

  private call(
    request: { kind: 'executor' | 'hook'; target: PythonTarget; task: TaskView; inputs?: JsonObject; params?: JsonObject | null; args?: unknown[] },
    sink: CallSink,
    signal: AbortSignal | null,
    taskId: string,
  ): Promise<unknown> {
    const host = this.running();
    const grace = this.options.stopGraceMs ?? PYTHON_STOP_GRACE_MS;
    return new Promise((resolve, reject) => {
      let stopTimer: NodeJS.Timeout | null = null;
      const done = () => {
        if (stopTimer) clearTimeout(stopTimer);
        signal?.removeEventListener('abort', onAbort);
        host.forget(id);
      };
      const handlers: CallHandlers = {
        reply(reply) {
          switch (reply.op) {
            case 'log':
              sink.log(reply.text);
              return;
            case 'progress':
              sink.progress?.(reply.fraction);
              return;
            case 'repository':
              answerRepository(reply);
              return;
            case 'result':
              done();
              resolve(reply.value);
              return;
            case 'failure':
              done();
              reject(pythonError(reply.error, reply.traceback));
          }
        },
        lost(reason) {
          done();
          reject(pythonError(`${targetLabel(request.target)} did not finish: ${reason}`));
        },
      };
      const answerRepository = ({ request: n, method, args }: { request: number; method: string; args: unknown[] }) => {
        const asked = sink.repository ? callRepository(sink.repository, method, args) : Promise.reject(new Error('the hook repository is there only for hooks'));
        asked.then(
          (value) => host.answer({ op: 'repository', id, request: n, value }),
          (error: unknown) => host.answer({ op: 'repository', id, request: n, error: error instanceof Error ? error.message : String(error) }),
        );
      };
      const onAbort = () => {
        host.cancel(id);
        const why = signal?.reason instanceof Error ? signal.reason.message : 'cancelled';
        stopTimer = setTimeout(
          () => host.kill(`the Python host was ended because task '${taskId}' did not stop within ${grace / 1000} s (${why})`),
          grace,
        );
      };
      const { kind, target, task, inputs, params, args } = request;
      const id = host.execute({ kind, target, cwd: this.options.treeDir, task, inputs, params: params ?? undefined, args }, handlers);
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** An Error whose stack is the Python traceback (what the runtime writes to the task's log), or none. */
function pythonError(message: string, traceback?: string): Error {
  const error = new Error(message);
  error.stack = traceback?.trimEnd() ?? '';
  return error;
}
