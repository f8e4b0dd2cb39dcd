// Where a declaration's `python:` reference leads: the file and the class or function it names, as
// far as static discovery can tell. Checks, inputs, hover and go to definition all ask here.
import type { PythonDefinition, PythonView } from './types';
import { pythonRefCandidates } from './reference';
import type { PythonRef } from '../types';

export type PythonTarget =
  | { kind: 'found'; file: string; definition: PythonDefinition }
  /** The file exists but the host could not read it (no discovery): nothing more is known. */
  | { kind: 'unread'; file: string }
  | { kind: 'no-file'; tried: string[] }
  | { kind: 'no-name'; file: string };

export function resolvePythonRef(ref: PythonRef, fileDir: string, view: PythonView, fileExists: (path: string) => boolean): PythonTarget {
  const tried = pythonRefCandidates(ref, fileDir, view.searchRoots);
  for (const file of tried) {
    const facts = view.file(file);
    if (facts === undefined) {
      if (fileExists(file)) return { kind: 'unread', file };
      continue;
    }
    if (facts === null) continue;
    const definition = facts.definitions.find((d) => d.name === ref.name);
    return definition ? { kind: 'found', file, definition } : { kind: 'no-name', file };
  }
  return { kind: 'no-file', tried };
}
