// Reverse views of the task graph (who depends on a task, who names it as parent), computed once per
// graph and cached: the graph object is reused across edits that do not change it.
import type { DocumentState, GraphState } from '../state';

export interface Incoming {
  /** The dependent task. */
  task: number;
  /** The index of the dependency entry (in the dependent's list) that names the task. */
  dep: number;
}

export interface GraphIndex {
  /** Per task: the dependency entries, in other tasks, that resolve to it (self-dependencies excluded). */
  incoming: Incoming[][];
  /** Per task: the tasks whose parent_id resolves to it. */
  children: number[][];
}

// Keyed by the resolved dependency lists (resolved together with the parents, the index's other
// input): a name edit gives the snapshot a new graph with a new name index but keeps both.
const cache = new WeakMap<GraphState['resolution']['depTargets'], GraphIndex>();

export function graphIndex(state: DocumentState): GraphIndex {
  const cached = cache.get(state.graph.resolution.depTargets);
  if (cached) return cached;
  const { depTargets, parent } = state.graph.resolution;
  const n = depTargets.length;
  const incoming: Incoming[][] = Array.from({ length: n }, () => []);
  const children: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    depTargets[i].forEach((target, dep) => {
      if (target >= 0 && target !== i) incoming[target].push({ task: i, dep });
    });
    if (parent[i] >= 0) children[parent[i]].push(i);
  }
  const index = { incoming, children };
  cache.set(state.graph.resolution.depTargets, index);
  return index;
}

/** Every task reachable from `start` by following `next` (start included), iteratively. */
function closure(start: number, n: number, next: (v: number) => Iterable<number>): Uint8Array {
  const seen = new Uint8Array(n);
  seen[start] = 1;
  const stack = [start];
  while (stack.length) {
    const v = stack.pop() as number;
    for (const w of next(v)) {
      if (seen[w]) continue;
      seen[w] = 1;
      stack.push(w);
    }
  }
  return seen;
}

/** Tasks that depend on `task`, directly or transitively, and the task itself: adding any of them as its dependency would close a cycle. */
export function dependentsClosure(state: DocumentState, task: number): Uint8Array {
  const { incoming } = graphIndex(state);
  return closure(task, incoming.length, (v) => incoming[v].map((e) => e.task));
}

/** The task and its descendants through parent_id: none of them can be its parent. */
export function descendantsClosure(state: DocumentState, task: number): Uint8Array {
  const { children } = graphIndex(state);
  return closure(task, children.length, (v) => children[v]);
}
