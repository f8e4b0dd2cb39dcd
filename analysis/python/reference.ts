// A declaration's `python:` reference (issue 12): `path/to/file.py:Name`, a file relative to the tree
// file's folder, or `package.module:Name`, a module found as Python would with the workspace on
// `sys.path` (here: the tree's folder and its ancestors up to the workspace root, nearest first).
import { join, resolve } from 'node:path';
import type { PythonRef } from '../types';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The reference, or a plain-English reason it is malformed. */
export function parsePythonRef(text: string): PythonRef | string {
  const colon = text.lastIndexOf(':');
  const where = colon > 0 ? text.slice(0, colon).trim() : '';
  const name = colon > 0 ? text.slice(colon + 1).trim() : '';
  const shape = 'write `path/to/file.py:ClassOrFunction` or `package.module:ClassOrFunction`';
  if (!where || !name) return `\`python\` must name a file or module and a class or function after \`:\`: ${shape}`;
  if (!IDENTIFIER.test(name)) return `\`${name}\` is not a Python class or function name: ${shape}`;
  if (/\.py$/i.test(where) || /[/\\]/.test(where)) return { file: where, module: null, name };
  if (!where.split('.').every((part) => IDENTIFIER.test(part))) return `\`${where}\` is neither a .py file nor a dotted module name: ${shape}`;
  return { file: null, module: where, name };
}

/** The files a reference may mean, in the order Python would try them. */
export function pythonRefCandidates(ref: PythonRef, fileDir: string, searchRoots: readonly string[]): string[] {
  if (ref.file !== null) return [resolve(fileDir, ref.file)];
  const parts = (ref.module as string).split('.');
  const roots = searchRoots.length ? searchRoots : [fileDir];
  return roots.flatMap((root) => [join(root, ...parts) + '.py', join(root, ...parts, '__init__.py')]);
}
