// Retry (spec 3.6): which tasks of the earlier run are copied into the new run instead of running again.
import { isUnreadable } from './history/rows';
import type { JsonObject, MergedFrom, PlanTask, TaskStatus } from './types';

/** What retry needs of a task of the earlier run. */
export interface EarlierTask {
  id: string;
  status: TaskStatus;
  def_hash: string;
  inputs: JsonObject;
  result: unknown;
  started_at: number | null;
  completed_at: number | null;
  attempt_count: number;
  merged_from?: MergedFrom[];
}

/**
 * Marks as carried every task that completed in the earlier run with the same definition and whose
 * dependencies are all carried too; everything downstream of a failure or an edit runs again.
 * Tasks are matched by id (the plan reuses the earlier run's generated ids for tasks without one).
 */
export function carryOver(tasks: readonly PlanTask[], earlier: readonly EarlierTask[]): PlanTask[] {
  const byId = new Map(earlier.map((t) => [t.id, t]));
  const carried = new Array<boolean>(tasks.length).fill(false);
  const result = tasks.slice();
  for (const i of dependencyOrder(tasks)) {
    const task = tasks[i];
    const before = byId.get(task.id);
    if (!before || before.status !== 'completed' || before.def_hash !== task.defHash) continue;
    // A record whose inputs or result cannot be read is run again rather than carried as a marker.
    if (isUnreadable(before.inputs) || isUnreadable(before.result)) continue;
    if (!task.dependencies.every((d) => carried[d.index])) continue;
    carried[i] = true;
    result[i] = {
      ...task,
      carried: {
        originalTaskId: before.id,
        inputs: before.inputs,
        ...(before.merged_from ? { mergedFrom: before.merged_from } : {}),
        result: before.result,
        startedAt: before.started_at,
        completedAt: before.completed_at,
        attemptCount: before.attempt_count,
      },
    };
  }
  return result;
}

/** Indices with every task after its dependencies (Kahn's algorithm; the plan has no cycle). */
function dependencyOrder(tasks: readonly PlanTask[]): number[] {
  const waiting = tasks.map((t) => t.dependencies.length);
  const dependents: number[][] = tasks.map(() => []);
  tasks.forEach((t, i) => t.dependencies.forEach((d) => dependents[d.index].push(i)));
  const order: number[] = [];
  waiting.forEach((n, i) => n === 0 && order.push(i));
  for (let k = 0; k < order.length; k++) for (const d of dependents[order[k]]) if (--waiting[d] === 0) order.push(d);
  return order;
}
