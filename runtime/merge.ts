// The dependency merge of spec 3.4: apflow's rule, kept for compatibility even where it surprises
// (a later dependency's keys overwrite the task's own inputs).
import { isMapping, type JsonObject, type MergedFrom } from './types';

export interface MergeSource {
  id: string;
  result: unknown;
}

export const AGGREGATE_EXECUTOR = 'aggregate_results_executor';

export interface Merged {
  inputs: JsonObject;
  /** Which of the inputs each dependency supplied (what the task record keeps as `merged_from`). */
  from: MergedFrom[];
}

/**
 * The inputs a task receives: its own inputs, then each completed dependency's result in the order the
 * dependencies are listed. Callers pass only completed dependencies. A key written twice belongs to the
 * last writer: that is the value the task receives.
 */
export function mergeInputs(own: JsonObject, completed: readonly MergeSource[], executor: string): Merged {
  if (completed.length === 0) return { inputs: own, from: [] };
  const merged: JsonObject = { ...own };
  const keyed = executor === AGGREGATE_EXECUTOR;
  const from: MergedFrom[] = [];
  for (const dep of completed) {
    const value = isMapping(dep.result) && 'result' in dep.result ? dep.result.result : dep.result;
    if (keyed || !isMapping(value)) {
      merged[dep.id] = value;
      from.push({ task: dep.id, keys: [dep.id] });
    } else {
      Object.assign(merged, value);
      from.push({ task: dep.id, keys: Object.keys(value) });
    }
  }
  return { inputs: merged, from: lastWriters(from) };
}

/** Each key under the last dependency that wrote it; dependencies left with no key are dropped. */
function lastWriters(from: MergedFrom[]): MergedFrom[] {
  const taken = new Set<string>();
  for (let d = from.length - 1; d >= 0; d--) {
    const keys = from[d].keys.filter((key) => !taken.has(key));
    for (const key of keys) taken.add(key);
    from[d] = { task: from[d].task, keys };
  }
  return from.filter((f) => f.keys.length > 0);
}
