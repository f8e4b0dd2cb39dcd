// Where a Python executor or hook lives (issue 12), one rule for the editor and the runtime:
// `python: executors/data/fetch.py:FetchUserData` (a file relative to the tree's folder) or
// `python: my_project.executors.data:FetchUserData` (a module imported with the workspace folder on
// sys.path); `registry` (runtime only) is an id of apflow's executor registry.
import { parsePythonRef } from './python/reference';

export interface PythonTarget {
  file?: string;
  module?: string;
  name?: string;
  registry?: string;
}

/** The target a `python:` value names (read by the one rule of python/reference.ts), or an Error saying what is wrong with it. */
export function parsePythonTarget(text: string): PythonTarget | Error {
  const ref = parsePythonRef(text);
  if (typeof ref === 'string') return new Error(ref);
  return ref.file !== null ? { file: ref.file, name: ref.name } : { module: ref.module ?? '', name: ref.name };
}

/** How a target is named in messages: as it was written. */
export function targetLabel(target: PythonTarget): string {
  if (target.registry !== undefined) return `apflow executor '${target.registry}'`;
  return `${target.file ?? target.module}:${target.name}`;
}
