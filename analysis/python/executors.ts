// What an executor id means in a tree file besides the built-ins: a declaration under `executors:`
// (a JS module, or Python code named by `python:`), else an executor registered in the workspace's
// Python files. Written once for the checks, the inputs check and the language features.
import type { HeaderFacts } from '../header';
import type { Range } from '../types';
import { resolvePythonRef } from './resolve';
import type { PythonExecutorFacts, PythonView } from './types';

export interface WorkspaceExecutor {
  id: string;
  /** `declared`: under `executors:` in this file; `registered`: by a decorator in a Python file. */
  source: 'declared' | 'registered';
  description: string | null;
  docstring: string | null;
  inputSchema: Record<string, unknown> | null;
  /** The JS module of a declaration. */
  module: string | null;
  /** Where the Python code is (the class or function name), when known. */
  location: { file: string; range: Range } | null;
  /** Every registration of the id in the workspace's Python files (more than one is a warning). */
  registrations: readonly PythonExecutorFacts[];
}

export function workspaceExecutor(id: string, header: HeaderFacts, python: PythonView): WorkspaceExecutor | null {
  const { fileDir } = python;
  const registrations = python.executors.get(id) ?? [];
  const first = registrations[0];
  const decl = header.executors.find((d) => d.id === id);
  if (decl) {
    const target = decl.python && fileDir !== null ? resolvePythonRef(decl.python, fileDir, python, () => false) : null;
    const code = target?.kind === 'found' ? { ...target.definition, file: target.file } : decl.python || decl.module ? null : first;
    return {
      id,
      source: 'declared',
      description: decl.description ?? code?.description ?? null,
      docstring: code?.docstring ?? null,
      inputSchema: decl.inputSchema ?? code?.inputSchema ?? null,
      module: decl.module,
      location: code ? { file: code.file, range: code.range } : null,
      registrations,
    };
  }
  if (!first) return null;
  return { id, source: 'registered', description: first.description, docstring: first.docstring, inputSchema: first.inputSchema, module: null, location: { file: first.file, range: first.range }, registrations };
}

const schemaKeys = new WeakMap<object, string>();

/** The input schema tasks using `id` are checked against, with a key that changes when it does. */
export function workspaceInputSchema(id: string, header: HeaderFacts, python: PythonView): { schema: Record<string, unknown>; key: string } | null {
  const schema = workspaceExecutor(id, header, python)?.inputSchema;
  if (!schema) return null;
  let key = schemaKeys.get(schema);
  if (key === undefined) schemaKeys.set(schema, (key = JSON.stringify(schema)));
  return { schema, key };
}
