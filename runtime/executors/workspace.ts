// Workspace executors (spec 1.4): a module beside the tree exporting a function or an object with an
// `execute` method. They run in worker threads, where a timeout or a cancellation can always end them
// (see worker-pool.ts); loading checks the declaration in a worker before the run starts.
import { statSync } from 'node:fs';
import { executorModulePath } from '../../analysis';
import { pathToFileURL } from 'node:url';
import type { ExecutorFn } from '../types';
import { loadInWorker, runInWorker, type ModuleRef } from './worker-pool';

export interface WorkspaceExecutorDecl {
  id: string;
  module: string;
  exportName: string;
}

/** Loads the executor; throws an Error whose message says what is wrong with the declaration. */
export async function loadWorkspaceExecutor(treeDir: string, decl: WorkspaceExecutorDecl): Promise<ExecutorFn> {
  const path = executorModulePath(treeDir, decl.module);
  let version: number;
  try {
    version = statSync(path).mtimeMs;
  } catch {
    throw new Error(`its module ${decl.module} does not exist (looked for ${path})`);
  }
  // The modification time in the URL makes a long-lived host (the editor) pick up an edited module.
  const ref: ModuleRef = { url: `${pathToFileURL(path).href}?v=${version}`, module: decl.module, exportName: decl.exportName };
  await loadInWorker(ref);
  return (inputs, context) => runInWorker(ref, inputs, context);
}
