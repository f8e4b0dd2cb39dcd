// The dependency merge of spec 3.4: apflow's rule, kept for compatibility even where it surprises
// (a later dependency's keys overwrite the task's own inputs).
import { isMapping, type JsonObject } from './types';

export interface MergeSource {
  id: string;
  result: unknown;
}

export const AGGREGATE_EXECUTOR = 'aggregate_results_executor';

/**
 * The inputs a task receives: its own inputs, then each completed dependency's result in the order the
 * dependencies are listed. Callers pass only completed dependencies.
 */
export function mergeInputs(own: JsonObject, completed: readonly MergeSource[], executor: string): JsonObject {
  if (completed.length === 0) return own;
  const merged: JsonObject = { ...own };
  const keyed = executor === AGGREGATE_EXECUTOR;
  for (const dep of completed) {
    const value = isMapping(dep.result) && 'result' in dep.result ? dep.result.result : dep.result;
    if (keyed || !isMapping(value)) merged[dep.id] = value;
    else Object.assign(merged, value);
  }
  return merged;
}
