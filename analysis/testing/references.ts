// What a test file's ids must match in its tree: task ids for mocks, inputs and expectations, and
// executor ids (used by a task, declared under `executors:` or built in) for `executor:` mocks and unit cases.
import { closest } from '../text';
import { BUILTIN_EXECUTOR_IDS } from '../catalogue';
import type { Diagnostic, TreeModel } from '../types';
import type { TestFile, TestRef } from './model';

/** The ids of a tree a test file may name. */
export interface TreeIds {
  tasks: ReadonlySet<string>;
  executors: ReadonlySet<string>;
}

export function treeIds(model: TreeModel): TreeIds {
  const tasks = new Set<string>();
  const executors = new Set<string>(BUILTIN_EXECUTOR_IDS);
  for (const def of model.tasks) {
    if (def.id !== null) tasks.add(def.id);
    if (def.executor !== null) executors.add(def.executor);
  }
  for (const decl of model.executors) executors.add(decl.id);
  return { tasks, executors };
}

/** An error for each id the tree does not have, with the closest ids it does have. */
export function referenceDiagnostics(file: TestFile, ids: TreeIds, treeName: string): Diagnostic[] {
  return file.refs.flatMap((ref) => {
    const known = ref.kind === 'task' ? ids.tasks : ids.executors;
    if (known.has(ref.id)) return [];
    return [unknownRef(ref, known, treeName)];
  });
}

function unknownRef(ref: TestRef, known: ReadonlySet<string>, treeName: string): Diagnostic {
  // Short ids are all close to each other: allow fewer edits for them.
  const suggestions = closest(ref.id, known, Math.min(2, Math.floor(ref.id.length / 2)), 3);
  const hint = suggestions.length ? `; did you mean ${suggestions.map((s) => `'${s}'`).join(' or ')}?` : '';
  const message =
    ref.kind === 'task'
      ? `${treeName} has no task '${ref.id}'${hint}`
      : `executor '${ref.id}' is neither used in ${treeName}, declared under its \`executors:\` nor built in${hint}`;
  return {
    code: ref.kind === 'task' ? 'unknown-reference' : 'unknown-executor',
    severity: 'error',
    message,
    range: ref.range,
    task: null,
  };
}
