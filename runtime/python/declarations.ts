// The Python code a declaration under `executors:` names (`python:`, read by the analysis core into
// ExecutorDecl.python), as the host addresses it.
import type { ExecutorDecl, PythonTarget } from '../../analysis';

/** The target of a declaration that names Python code; null for a JavaScript one. */
export function pythonTargetOf(decl: ExecutorDecl): PythonTarget | null {
  const ref = decl.python;
  if (ref === null) return null;
  return ref.file !== null ? { file: ref.file, name: ref.name } : { module: ref.module ?? '', name: ref.name };
}
