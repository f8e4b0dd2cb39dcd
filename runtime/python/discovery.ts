// The pre-flight's analysis of a tree, with the workspace's registered Python executors (issue 12): a
// tree may use an `@executor_register()` class or `@function_executor` function by its id without
// declaring it (or declaring only its description and schema), as in the editor. Discovery is static (never imports the code) and happens only when
// the tree uses an executor that is neither built in nor declared, so other runs pay nothing for it.
import { dirname } from 'node:path';
import { analyzeFile, catalogueEntry, type PythonExecutorFacts, type Snapshot, type TreeModel } from '../../analysis';
import { discoveredEnvIn } from '../../analysis/python/node';
import type { AnalysisEnv } from '../../analysis';

export interface RunAnalysis {
  diagnostics: Snapshot['diagnostics'];
  model: TreeModel;
  /** The executors registered in the discovered folder, by id (empty when discovery was not needed). */
  registered: ReadonlyMap<string, readonly PythonExecutorFacts[]>;
}

/** Analyses `text`; reads the Python files under `root` (default: the tree's folder) only when the tree needs them. */
export async function analyzeForRun(text: string, file: string, env: AnalysisEnv, root: string = dirname(file)): Promise<RunAnalysis> {
  const first = analyzeFile(text, file, env);
  if (!usesUndeclaredExecutor(first.model)) return { diagnostics: first.diagnostics, model: first.model, registered: new Map() };
  const discovered = await discoveredEnvIn([root], env);
  await discovered.prepare(text);
  const view = discovered.env.python?.(dirname(file));
  const second = analyzeFile(text, file, discovered.env);
  return { diagnostics: second.diagnostics, model: second.model, registered: view?.executors ?? new Map() };
}

/**
 * Whether a task's executor may be registered in Python: neither in apflow's catalogue nor declared
 * with code (a declaration with only a description and schema names a registered executor).
 */
function usesUndeclaredExecutor(model: TreeModel): boolean {
  const withCode = new Set(model.executors.filter((d) => d.module !== null || d.python !== null).map((d) => d.id));
  return model.tasks.some((t) => t.executor !== null && !withCode.has(t.executor) && !catalogueEntry(t.executor));
}
