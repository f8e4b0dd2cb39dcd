// Results are stored once (issue 10). A task's inputs hold its dependencies' results (spec 3.4), and an
// aggregate's result holds its inputs again, so along a chain every record would copy everything
// upstream: a 10,000-task chain of aggregates made a 558 MB history. In the stored cells a value that
// is another task's result (reached through the dependency merge) is written as a reference instead:
//
//   { "$result_of": "fetch" }                   the result of task `fetch`
//   { "$result_of": "fetch", "key": "result" }  its `result` member (what the merge passes on, spec 3.4)
//
// Only the stored cells hold references: reading a run's tasks back (History.tasksOf) resolves them, with
// the values shared rather than copied, so `show --json`, the editor's views and a retry see the same
// full values as the run itself printed.
import { isMapping, type JsonObject } from '../types';

export const REFERENCE_KEY = '$result_of';

export interface ResultReference {
  [REFERENCE_KEY]: string;
  key?: 'result';
}

/** The results of a run's completed tasks, by identity: a value found again below another record is one of them. */
export class ResultReferences {
  private readonly owners = new Map<object, ResultReference>();

  /** Registers a completed task's result (and its `result` member, which the merge passes on instead). */
  add(taskId: string, result: unknown): void {
    if (!isWalkable(result)) return;
    if (!this.owners.has(result)) this.owners.set(result, { [REFERENCE_KEY]: taskId });
    const inner = isMapping(result) ? result.result : undefined;
    if (isWalkable(inner) && !this.owners.has(inner)) this.owners.set(inner, { [REFERENCE_KEY]: taskId, key: 'result' });
  }

  get empty(): boolean {
    return this.owners.size === 0;
  }

  /** `value` with every registered result below its top replaced by its reference (the top is the record's own). */
  below(value: unknown): unknown {
    if (this.owners.size === 0 || !isWalkable(value)) return value;
    const walk = (v: unknown): unknown => {
      if (!isWalkable(v)) return v;
      const reference = this.owners.get(v);
      if (reference) return reference;
      return copyWith(v, walk);
    };
    return copyWith(value, walk);
  }
}

/** Plain objects and arrays: what JSON nests. Other objects (a Date) are left to JSON.stringify. */
function isWalkable(value: unknown): value is JsonObject | unknown[] {
  if (Array.isArray(value)) return true;
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function copyWith(value: JsonObject | unknown[], walk: (v: unknown) => unknown): unknown {
  if (Array.isArray(value)) return value.map(walk);
  const copy: JsonObject = {};
  for (const key of Object.keys(value)) copy[key] = walk(value[key]);
  return copy;
}

function referenceIn(value: unknown): ResultReference | null {
  if (!isMapping(value) || typeof value[REFERENCE_KEY] !== 'string') return null;
  const keys = Object.keys(value);
  if (keys.length === 1) return value as unknown as ResultReference;
  if (keys.length === 2 && value.key === 'result') return value as unknown as ResultReference;
  return null;
}

/**
 * Records as read back from the history, with their references replaced by the values they name (shared,
 * not copied). A reference to a task that is not among them is left as it is.
 */
export function resolveReferences<T extends { id: string; inputs: JsonObject; result: unknown }>(tasks: readonly T[]): T[] {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const resolved = new Map<string, unknown>();
  const resolving = new Set<string>();
  const resultOf = (id: string): unknown => {
    if (resolved.has(id)) return resolved.get(id);
    const task = byId.get(id);
    if (!task || resolving.has(id)) return undefined;
    resolving.add(id);
    const value = walk(task.result);
    resolving.delete(id);
    resolved.set(id, value);
    return value;
  };
  const walk = (value: unknown): unknown => {
    const reference = referenceIn(value);
    if (reference) {
      const target = resultOf(reference[REFERENCE_KEY]);
      if (target === undefined) return value;
      return reference.key === 'result' ? (isMapping(target) ? target.result : undefined) ?? value : target;
    }
    return isWalkable(value) ? copyWith(value, walk) : value;
  };
  return tasks.map((t) => ({ ...t, inputs: walk(t.inputs) as JsonObject, result: resultOf(t.id) }));
}
