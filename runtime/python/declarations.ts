// The adapter between the tree's model and the Python runtime. Until the model carries a declaration's
// `python:` (ExecutorDecl.python, the editor half of issue 12), it is read here from the file's header.
// Once the model has it — as the text, or as `{ file?, module?, name }` — it is taken from there, and
// the fallback below can go.
import { parse } from 'yaml';
import { parsePythonTarget, type ExecutorDecl, type PythonTarget } from '../../analysis';
import { isMapping } from '../types';

/** The target of each declaration under `executors:` that names Python code; null for a JS one. */
export function pythonDeclarations(text: string): (decl: ExecutorDecl) => PythonTarget | Error | null {
  let values: Map<string, string> | null = null;
  return (decl) => {
    const own = (decl as ExecutorDecl & { python?: unknown }).python;
    if (typeof own === 'string') return parsePythonTarget(own);
    if (isMapping(own) && typeof own.name === 'string') return own as PythonTarget;
    // Parsed only when a declaration without a JS module is used: a tree of JS executors never pays.
    values ??= readPythonValues(text);
    const value = values.get(decl.id);
    return value === undefined ? null : parsePythonTarget(value);
  };
}

function readPythonValues(text: string): Map<string, string> {
  const values = new Map<string, string>();
  let document: unknown;
  try {
    document = parse(text, { maxAliasCount: 100 });
  } catch {
    return values;
  }
  const executors = isMapping(document) ? document.executors : undefined;
  if (!isMapping(executors)) return values;
  for (const [id, decl] of Object.entries(executors)) if (isMapping(decl) && typeof decl.python === 'string') values.set(id, decl.python);
  return values;
}
