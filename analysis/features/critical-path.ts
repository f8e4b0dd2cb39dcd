// The critical path of a task graph: the chain of dependencies that takes longest, and so bounds how
// soon a run can finish however many tasks run side by side. Weighted by each task's duration when
// durations are known (a past run), else by task count (every task weighs one). Pure: the graph view
// highlights it and the run page marks it on its timeline.

export interface PathTask {
  /** Indexes of the tasks this one depends on (out-of-range, negative and self entries are ignored). */
  readonly dependencies: readonly number[];
  /** How long the task took, in milliseconds; absent when unknown. */
  readonly durationMs?: number | null;
}

export interface CriticalPath {
  /** The chain, first task first (each one depends on the one before it); empty for no tasks. */
  tasks: number[];
  /** The chain's total: milliseconds when `unit` is `ms`, else the number of tasks on it. */
  total: number;
  /** `ms` when any task has a duration (a task without one then weighs 0), else `tasks`. */
  unit: 'ms' | 'tasks';
}

/**
 * The longest chain, in O(tasks + dependencies) by Kahn's topological order. Tasks on a dependency
 * cycle, and tasks that depend on one, can never start: they are on no path. Ties go to the chain
 * whose last task, then whose earlier tasks, come first in the file, so the answer is stable.
 */
export function criticalPath(tasks: readonly PathTask[]): CriticalPath {
  const n = tasks.length;
  const unit = tasks.some((t) => typeof t.durationMs === 'number' && Number.isFinite(t.durationMs)) ? 'ms' : 'tasks';
  const weight = (i: number) => {
    if (unit === 'tasks') return 1;
    const ms = tasks[i].durationMs;
    return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? ms : 0;
  };
  const deps = tasks.map((t, i) => [...new Set(t.dependencies.filter((d) => Number.isInteger(d) && d >= 0 && d < n && d !== i))]);
  const dependents: number[][] = Array.from({ length: n }, () => []);
  const waiting = new Int32Array(n);
  deps.forEach((list, i) => {
    waiting[i] = list.length;
    for (const d of list) dependents[d].push(i);
  });
  const finish = new Float64Array(n);
  const via = new Int32Array(n).fill(-1);
  const ready: number[] = [];
  for (let i = 0; i < n; i++) if (waiting[i] === 0) ready.push(i);
  while (ready.length > 0) {
    const v = ready.pop() as number;
    let start = 0;
    for (const d of deps[v]) {
      if (via[v] < 0 || finish[d] > start || (finish[d] === start && d < via[v])) {
        start = finish[d];
        via[v] = d;
      }
    }
    finish[v] = start + weight(v);
    for (const w of dependents[v]) if (--waiting[w] === 0) ready.push(w);
  }
  let end = -1;
  for (let i = 0; i < n; i++) if (waiting[i] === 0 && (end < 0 || finish[i] > finish[end])) end = i;
  if (end < 0) return { tasks: [], total: 0, unit };
  const chain: number[] = [];
  for (let v = end; v >= 0; v = via[v]) chain.push(v);
  chain.reverse();
  return { tasks: chain, total: finish[end], unit };
}
