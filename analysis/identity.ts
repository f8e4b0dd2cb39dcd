// How a task is identified, written once for every host: how messages, keys and the CLI name a task,
// how other tasks refer to it, how a run record is matched back to a task of the file, and where a
// workspace executor's module is on disk. The language server, the runtime, the CLI and the extension
// all ask here, so that they can never disagree.
import { resolve } from 'node:path';

/** What identifies a task: its id and name as written (either may be absent). */
export interface TaskNames {
  id: string | null;
  name: string | null;
}

/** How messages, lenses and the CLI name task `index` (0-based): its id, else its name, else `#n`. */
export function taskKey(task: TaskNames, index: number): string {
  return task.id ?? task.name ?? `#${index + 1}`;
}

/** How a task is shown to a reader (outline, hierarchy): its name, else its id, else `#n`. */
export function taskLabel(task: TaskNames, index: number): string {
  return task.name ?? task.id ?? `#${index + 1}`;
}

/** How other tasks refer to a task (spec 1.3), and who owns its diagnostics: its id, else its name. */
export function taskRef(task: TaskNames): string | null {
  return task.id ?? task.name;
}

/** A task of a run as the history records it: the runtime generates an id for a task without one. */
export interface RecordNames {
  id: string;
  name: string;
}

/**
 * Finds the task of a file that a run record belongs to: by id; a record whose id no task has belongs
 * to the task of its name only when that task has no id of its own (the runtime generated the id).
 * Returns the task's index, or -1.
 */
export function recordMatcher(tasks: readonly TaskNames[]): (record: RecordNames) => number {
  const byId = new Map<string, number>();
  const byName = new Map<string, number>();
  tasks.forEach((t, i) => {
    if (t.id !== null && !byId.has(t.id)) byId.set(t.id, i);
    if (t.name !== null && !byName.has(t.name)) byName.set(t.name, i);
  });
  return (record) => {
    const byIdIndex = byId.get(record.id);
    if (byIdIndex !== undefined) return byIdIndex;
    const byNameIndex = byName.get(record.name);
    return byNameIndex !== undefined && tasks[byNameIndex].id === null ? byNameIndex : -1;
  };
}

/** Where a workspace executor's `module:` is: relative paths are relative to the tree file's folder. */
export function executorModulePath(fileDir: string, module: string): string {
  return resolve(fileDir, module);
}
