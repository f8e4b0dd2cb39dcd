// What a worker compares before it runs a job (issue 15): the hash of each executor's definition as a
// checkout declares it — the `executors:` entry and the text of the module or Python file it names — so
// that a worker whose checkout is behind (or ahead of) the coordinator's refuses instead of running
// other code under the same name. Built-in executors are the same everywhere this version runs.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ExecutorDecl } from '../../analysis';

export function executorHashes(executors: readonly ExecutorDecl[], treeDir: string): Map<string, string> {
  const hashes = new Map<string, string>();
  for (const decl of executors) {
    const hash = createHash('sha256');
    hash.update(JSON.stringify([decl.id, decl.module, decl.exportName, decl.python, decl.inputSchema]));
    const source = decl.module ?? decl.python?.file ?? null;
    hash.update(source === null ? '' : fileText(resolve(treeDir, source)));
    hashes.set(decl.id, hash.digest('hex').slice(0, 32));
  }
  return hashes;
}

/** The executor hash of a task's executor: its declaration's, or the built-in's name. */
export function executorHashOf(hashes: ReadonlyMap<string, string>, executor: string): string {
  return hashes.get(executor) ?? `builtin:${executor}`;
}

function fileText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    // A missing file hashes as empty: the pre-flight has refused such a tree already on the coordinator.
    return '';
  }
}
