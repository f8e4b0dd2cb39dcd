// Export to apflow (spec 3.10): the task array apflow's `TaskCreator` (0.18's `apflow run flow
// --tasks-file`, `tasks.create`; 0.20's library and `task.create_tree`) accepts, for the file's target
// line. Every apflow field stays as written, except:
// - runtime fields (`status`, `result`, …) go: apflow takes them as given, and `status: completed`
//   would make a server skip the task;
// - fields the target has no column for go (0.18 drops `max_attempts`, `backoff_*`, `token_budget`,
//   `cost_policy` silently), and so does the (ext) `timeout` (the top-level extensions are not part of
//   the array at all);
// - `priority` is written: apflow's creation path makes a task without one priority 1, not 2;
// - on 0.20, `max_attempts` is written: 0.20's column defaults to 3 where this format defaults to 1.
// What was left out is returned, so that the CLI can say so.
import { droppedFields, RUNTIME_FIELDS, type TreeModel } from '../analysis';
import type { JsonObject } from './types';

const DEFAULT_PRIORITY = 2;
const DEFAULT_ATTEMPTS = 1;
/** (ext) task keys only this runtime reads. */
const EXTENSION_FIELDS = ['timeout'];

export type LeftOutReason = 'runtime' | 'target' | 'extension';

export interface LeftOut {
  key: string;
  reason: LeftOutReason;
  /** The tasks it was left out of, as messages name them. */
  tasks: string[];
}

export interface ApflowExport {
  tasks: JsonObject[];
  leftOut: LeftOut[];
}

function reasonFor(key: string, dropped: readonly string[]): LeftOutReason | null {
  if (RUNTIME_FIELDS.has(key)) return 'runtime';
  if (dropped.includes(key)) return 'target';
  return EXTENSION_FIELDS.includes(key) ? 'extension' : null;
}

export function apflowExport(model: TreeModel): ApflowExport {
  const dropped = droppedFields(model.target);
  const left = new Map<string, LeftOut>();
  const tasks = model.tasks.map((def) => {
    const task: JsonObject = {};
    for (const [key, value] of Object.entries(def.value)) {
      const reason = reasonFor(key, dropped);
      if (reason === null) {
        task[key] = value;
        continue;
      }
      const entry = left.get(key) ?? { key, reason, tasks: [] };
      entry.tasks.push(def.key);
      left.set(key, entry);
    }
    task.priority = typeof task.priority === 'number' ? task.priority : DEFAULT_PRIORITY;
    if (!dropped.includes('max_attempts')) task.max_attempts = typeof task.max_attempts === 'number' ? task.max_attempts : DEFAULT_ATTEMPTS;
    return task;
  });
  return { tasks, leftOut: [...left.values()] };
}

/** The task array alone (the editor's export). */
export function apflowTaskArray(model: TreeModel): JsonObject[] {
  return apflowExport(model).tasks;
}
