// The worker side of workspace executors (see worker-pool.ts for why they run in worker threads): loads
// the module, runs one call at a time and relays its logs and progress. This module serves only when it
// is loaded inside an executor worker.
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { ExecutorContext, ExecutorFn, JsonObject, TaskView } from '../types';

/** Main thread → worker. `url` is the module's file URL (with a version query, see workspace.ts). */
export type ExecutorRequest =
  | { kind: 'load'; id: number; url: string; module: string; exportName: string }
  | { kind: 'run'; id: number; url: string; module: string; exportName: string; inputs: JsonObject; task: TaskView }
  | { kind: 'abort'; id: number; message: string };

/** Worker → main thread. */
export type ExecutorReply =
  | { kind: 'loaded'; id: number }
  | { kind: 'returned'; id: number; value: unknown }
  | { kind: 'threw'; id: number; error: ThrownError }
  | { kind: 'log'; id: number; text: string }
  | { kind: 'progress'; id: number; fraction: number };

export interface ThrownError {
  name: string;
  message: string;
  stack: string | undefined;
  /** Not an Error: what was thrown, as text. */
  plain: boolean;
}

export interface ExecutorWorkerData {
  apflowExecutorWorker: true;
}

// The bundles are CommonJS, where esbuild would turn `import()` into `require()` (which cannot load an
// ES module); a Function-built import() is left alone and loads both kinds.
const importModule = new Function('url', 'return import(url)') as (url: string) => Promise<Record<string, unknown>>;

/** The executor the module exports under `exportName`; throws an Error saying what is wrong. */
export async function resolveExport(url: string, moduleName: string, exportName: string): Promise<ExecutorFn> {
  let namespace: Record<string, unknown>;
  try {
    namespace = await importModule(url);
  } catch (error) {
    throw new Error(`its module ${moduleName} failed to load: ${error instanceof Error ? error.message : String(error)}`);
  }
  // A CommonJS module's named exports may only be reachable through its default export.
  const commonjs = namespace.default as Record<string, unknown> | undefined;
  const exported = exportName in namespace ? namespace[exportName] : commonjs?.[exportName];
  if (typeof exported === 'function') return exported as ExecutorFn;
  if (typeof exported === 'object' && exported !== null && typeof (exported as { execute?: unknown }).execute === 'function') {
    const target = exported as { execute: ExecutorFn };
    return (inputs, context) => target.execute(inputs, context);
  }
  throw new Error(`its module ${moduleName} has no export '${exportName}' that is a function or an object with an execute method`);
}

function serve(port: MessagePort): void {
  const controllers = new Map<number, AbortController>();
  const reply = (message: ExecutorReply) => port.postMessage(message);
  port.on('message', async (request: ExecutorRequest) => {
    if (request.kind === 'abort') {
      controllers.get(request.id)?.abort(new Error(request.message));
      return;
    }
    const controller = new AbortController();
    controllers.set(request.id, controller);
    try {
      const execute = await resolveExport(request.url, request.module, request.exportName);
      if (request.kind === 'load') {
        reply({ kind: 'loaded', id: request.id });
        return;
      }
      const context: ExecutorContext = {
        task: request.task,
        signal: controller.signal,
        log: (text) => reply({ kind: 'log', id: request.id, text: String(text) }),
        progress: (fraction) => reply({ kind: 'progress', id: request.id, fraction }),
      };
      const value = await execute(request.inputs, context);
      try {
        reply({ kind: 'returned', id: request.id, value });
      } catch (error) {
        throw new Error(`the executor returned a value that cannot be passed on (${error instanceof Error ? error.message : String(error)}); return plain data: objects, arrays, strings, numbers, booleans, null`);
      }
    } catch (error) {
      reply({ kind: 'threw', id: request.id, error: thrown(error) });
    } finally {
      controllers.delete(request.id);
    }
  });
}

function thrown(error: unknown): ThrownError {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack, plain: false };
  let message: string;
  try {
    message = typeof error === 'string' ? error : (JSON.stringify(error) ?? String(error));
  } catch {
    message = String(error);
  }
  return { name: 'Error', message, stack: undefined, plain: true };
}

const data = workerData as Partial<ExecutorWorkerData> | null;
if (!isMainThread && parentPort && data?.apflowExecutorWorker === true) serve(parentPort);
