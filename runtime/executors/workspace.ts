// Workspace executors (spec 1.4): a module beside the tree exporting a function or an object with an
// `execute` method. The bundles are CommonJS, where esbuild would turn `import()` into `require()`
// (which cannot load an ES module); a Function-built import() is left alone and loads both kinds.
import { statSync } from 'node:fs';
import { executorModulePath } from '../../analysis';
import { pathToFileURL } from 'node:url';
import type { ExecutorFn } from '../types';

const importModule = new Function('url', 'return import(url)') as (url: string) => Promise<Record<string, unknown>>;

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
  let namespace: Record<string, unknown>;
  try {
    // The modification time in the URL makes a long-lived host (the editor) pick up an edited module.
    namespace = await importModule(`${pathToFileURL(path).href}?v=${version}`);
  } catch (error) {
    throw new Error(`its module ${decl.module} failed to load: ${error instanceof Error ? error.message : String(error)}`);
  }
  // A CommonJS module's named exports may only be reachable through its default export.
  const commonjs = namespace.default as Record<string, unknown> | undefined;
  const exported = decl.exportName in namespace ? namespace[decl.exportName] : commonjs?.[decl.exportName];
  if (typeof exported === 'function') return exported as ExecutorFn;
  if (typeof exported === 'object' && exported !== null && typeof (exported as { execute?: unknown }).execute === 'function') {
    const target = exported as { execute: ExecutorFn };
    return (inputs, context) => target.execute(inputs, context);
  }
  throw new Error(`its module ${decl.module} has no export '${decl.exportName}' that is a function or an object with an execute method`);
}
