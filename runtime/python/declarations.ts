// The adapter between the tree's model and the Python runtime. Until the model carries a declaration's
// `python:` value (ExecutorDecl.python, the editor half of issue 12), it is read here from the file's
// header; the lead connects the two by returning `decl.python` from pythonDeclaration() instead.
import { parse } from 'yaml';
import type { ExecutorDecl } from '../../analysis';
import { isMapping } from '../types';

/** The `python:` text of each declaration under `executors:` that has one, read once per file text. */
export function pythonDeclarations(text: string): (decl: ExecutorDecl) => string | null {
  let values: Map<string, string> | null = null;
  return (decl) => {
    const own = (decl as ExecutorDecl & { python?: unknown }).python;
    if (typeof own === 'string') return own;
    if (isMapping(own) && typeof own.text === 'string') return own.text;
    // Parsed only when a declaration without a JS module is used: a tree of JS executors never pays.
    values ??= readPythonValues(text);
    return values.get(decl.id) ?? null;
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
