// The task graph: references resolved the apflow way (id first, then name), strongly connected
// components of the dependency graph (iterative Tarjan: a 20,000-task chain must not overflow the
// stack), and reachability between two tasks. Everything is linear in tasks + dependencies.
import { catalogueEntry } from './catalogue';
import type { TaskFacts } from './task-facts';

/**
 * What the whole-file checks ask of every task, one byte each, so that a check over 10,000 tasks
 * reads one small array instead of following each task's facts through the heap.
 */
export const TaskFlag = {
  /** No parent_id (a root). */
  root: 1,
  /** A dependency or the parent_id names no task. */
  unresolvedRef: 2,
  /** A required dependency names no task. */
  unresolvedRequired: 4,
  /** Depends on itself. */
  selfDependency: 8,
  /** Lists a task twice in its dependencies. */
  repeatedDependency: 16,
  /** No executor. */
  noExecutor: 32,
  /** A built-in executor that needs an apflow server. */
  remoteExecutor: 64,
  /** An executor that is not built in (declared under `executors:`, or unknown). */
  customExecutor: 128,
} as const;

export interface Resolution {
  byId: Map<string, number>;
  byName: Map<string, number>;
  /** Tasks whose id, or whose name, an earlier task already has (in file order). */
  duplicateIds: number[];
  duplicateNames: number[];
  /** Resolved parent index, or -1 (no parent_id, or it does not resolve). */
  parent: Int32Array;
  /** Per task, per dependency entry: the resolved index, or -1. */
  depTargets: number[][];
  /** Per task: its resolved dependencies without self-loops and repeats (the graph's edges). */
  edges: number[][];
  /** Per task: the tasks that list it as a required dependency, in file order, once per entry. */
  requiredBy: number[][];
  /** Per task: TaskFlag bits. */
  flags: Uint8Array;
  /** The facts this resolves, so that the next resolution can reuse what an edit did not touch. */
  tasks: readonly TaskFacts[];
}

export function resolveRef(resolution: Pick<Resolution, 'byId' | 'byName'>, ref: string | null): number {
  if (ref === null) return -1;
  return resolution.byId.get(ref) ?? resolution.byName.get(ref) ?? -1;
}

/** Whether every task keeps its id and name (then the indexes by id and by name are still right). */
function sameIdentities(tasks: readonly TaskFacts[], previous: readonly TaskFacts[]): boolean {
  if (tasks.length !== previous.length) return false;
  for (let i = 0; i < tasks.length; i++) {
    const [now, before] = [tasks[i], previous[i]];
    if (now !== before && (now.id !== before.id || now.name !== before.name)) return false;
  }
  return true;
}

type Indexes = Pick<Resolution, 'byId' | 'byName' | 'duplicateIds' | 'duplicateNames'>;

function indexes(tasks: readonly TaskFacts[]): Indexes {
  const byId = new Map<string, number>();
  const byName = new Map<string, number>();
  const duplicateIds: number[] = [];
  const duplicateNames: number[] = [];
  for (let i = 0; i < tasks.length; i++) {
    const { id, name } = tasks[i];
    if (id !== null) {
      if (byId.has(id)) duplicateIds.push(i);
      else byId.set(id, i);
    }
    if (name !== null) {
      if (byName.has(name)) duplicateNames.push(i);
      else byName.set(name, i);
    }
  }
  return { byId, byName, duplicateIds, duplicateNames };
}

function executorFlag(executor: string | null): number {
  if (executor === null) return TaskFlag.noExecutor;
  const builtin = catalogueEntry(executor);
  if (!builtin) return TaskFlag.customExecutor;
  return builtin.local ? 0 : TaskFlag.remoteExecutor;
}

/** Resolves task `i`'s references: its parent, its dependency targets, its edges and its flags. */
function resolveTask(res: Indexes, t: TaskFacts, i: number, seen: Int32Array): { parent: number; targets: number[]; edges: number[]; flags: number } {
  const parent = t.hasParent ? resolveRef(res, t.parentRef) : -1;
  let flags = executorFlag(t.executor) | (t.hasParent ? 0 : TaskFlag.root);
  if (t.hasParent && t.parentRef !== null && parent < 0) flags |= TaskFlag.unresolvedRef;
  const targets = t.deps.map((d) => resolveRef(res, d.ref));
  const edges: number[] = [];
  targets.forEach((target, k) => {
    const dep = t.deps[k];
    if (target < 0) {
      if (dep.ref !== null) flags |= TaskFlag.unresolvedRef | (dep.required ? TaskFlag.unresolvedRequired : 0);
    } else if (target === i) flags |= TaskFlag.selfDependency;
    else if (seen[target] === i + 1) flags |= TaskFlag.repeatedDependency;
    else {
      // seen[target] === i + 1: target is already an edge of task i (no Set per task).
      seen[target] = i + 1;
      edges.push(target);
    }
  });
  return { parent, targets, edges, flags };
}

/** The required targets of task `i` (once per entry), which `requiredBy` lists it under. */
function requiredTargets(t: TaskFacts, targets: readonly number[], i: number): number[] {
  return targets.filter((target, k) => target >= 0 && target !== i && t.deps[k].required);
}

/** Inserts `i` into a sorted list, after any copies of it already there. */
function insertSorted(list: number[], i: number): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] <= i) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, i);
}

/**
 * Resolves every reference. Given the previous resolution, an edit that kept every id and name in
 * place re-resolves only the tasks whose facts changed (a dependency edit at 10,000 tasks then costs
 * a pass of pointer comparisons instead of 30,000 Map operations) and copies the rest; nothing the
 * previous resolution holds is changed.
 */
export function resolveAll(tasks: readonly TaskFacts[], previous?: Resolution): Resolution {
  const n = tasks.length;
  const reuse = previous !== undefined && sameIdentities(tasks, previous.tasks);
  const res: Indexes = reuse ? previous : indexes(tasks);
  const parent = reuse ? previous.parent.slice() : new Int32Array(n);
  const flags = reuse ? previous.flags.slice() : new Uint8Array(n);
  const depTargets: number[][] = reuse ? previous.depTargets.slice() : new Array(n);
  const edges: number[][] = reuse ? previous.edges.slice() : new Array(n);
  const requiredBy: number[][] = reuse ? previous.requiredBy.slice() : Array.from({ length: n }, () => []);
  // Lists of requiredBy this call has copied (and may change); the others are the previous ones.
  const own = new Set<number>();
  const writable = (v: number) => {
    if (reuse && !own.has(v)) requiredBy[v] = requiredBy[v].slice();
    own.add(v);
    return requiredBy[v];
  };
  const seen = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const t = tasks[i];
    if (reuse && previous.tasks[i] === t) continue;
    if (reuse) {
      for (const v of requiredTargets(previous.tasks[i], previous.depTargets[i], i)) {
        const list = writable(v);
        list.splice(list.indexOf(i), 1);
      }
    }
    const resolved = resolveTask(res, t, i, seen);
    parent[i] = resolved.parent;
    flags[i] = resolved.flags;
    depTargets[i] = resolved.targets;
    edges[i] = resolved.edges;
    // A fresh resolution visits tasks in order, so pushing keeps every list sorted.
    for (const v of requiredTargets(t, resolved.targets, i)) {
      if (reuse) insertSorted(writable(v), i);
      else requiredBy[v].push(i);
    }
  }
  return { ...res, parent, depTargets, edges, requiredBy, flags, tasks };
}

/**
 * Every parent_id loop, each as the tasks on it from the first one a walk in file order reaches
 * (iterative: a 20,000-deep parent chain must not overflow the stack).
 */
export function parentLoops(parent: Int32Array): number[][] {
  const loops: number[][] = [];
  const state = new Uint8Array(parent.length); // 0 new, 1 on the current walk, 2 done
  for (let start = 0; start < parent.length; start++) {
    if (state[start]) continue;
    const walk: number[] = [];
    let v = start;
    while (v >= 0 && state[v] === 0) {
      state[v] = 1;
      walk.push(v);
      v = parent[v];
    }
    if (v >= 0 && state[v] === 1) loops.push(walk.slice(walk.indexOf(v)));
    for (const w of walk) state[w] = 2;
  }
  return loops;
}

export interface Components {
  /** Component of each task. Along every dependency edge the component number does not increase. */
  of: Int32Array;
  size: number[];
}

/**
 * Whether `previous` components still hold for `edges`: every task whose edges changed is in no
 * cycle, and each of its edges leads to a lower-numbered component. Then no cycle can have appeared
 * (a path back would have to climb in component number) or broken, and the numbering stays valid.
 */
function componentsStillHold(edges: readonly number[][], previous: { edges: readonly number[][]; components: Components }): boolean {
  if (edges.length !== previous.edges.length) return false;
  const { of, size } = previous.components;
  for (let i = 0; i < edges.length; i++) {
    if (edges[i] === previous.edges[i]) continue;
    if (size[of[i]] > 1) return false;
    for (const w of edges[i]) if (of[w] >= of[i]) return false;
  }
  return true;
}

/**
 * Tarjan's algorithm, iteratively. Components come out in reverse topological order. Given the
 * previous edges and their components, an edit that cannot change them (see componentsStillHold)
 * returns the previous components.
 */
export function stronglyConnected(edges: readonly number[][], previous?: { edges: readonly number[][]; components: Components }): Components {
  if (previous && componentsStillHold(edges, previous)) return previous.components;
  const n = edges.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const of = new Int32Array(n).fill(-1);
  const size: number[] = [];
  const stack: number[] = [];
  const callStack: number[] = [];
  const edgePos = new Int32Array(n);
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    callStack.push(root);
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (callStack.length) {
      const v = callStack[callStack.length - 1];
      const out = edges[v];
      if (edgePos[v] < out.length) {
        const w = out[edgePos[v]++];
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          callStack.push(w);
        } else if (onStack[w]) {
          low[v] = Math.min(low[v], index[w]);
        }
        continue;
      }
      callStack.pop();
      if (callStack.length) {
        const u = callStack[callStack.length - 1];
        low[u] = Math.min(low[u], low[v]);
      }
      if (low[v] === index[v]) {
        const id = size.length;
        let count = 0;
        let w: number;
        do {
          w = stack.pop() as number;
          onStack[w] = 0;
          of[w] = id;
          count++;
        } while (w !== v);
        size.push(count);
      }
    }
  }
  return { of, size };
}

/**
 * Answers "does one task depend on the other, directly or transitively?" for a parent and its
 * children (the parent-ordering rule). Searches only through components that can lie between the two
 * (component numbers never increase along an edge). A parent with many children is answered with one
 * search in each direction from the parent, so a root over thousands of tasks stays linear.
 */
export class Reachability {
  private readonly forward: Int32Array;
  private readonly backward: Int32Array;
  private stamp = 0;
  private reverse: number[][] | undefined;

  constructor(
    private readonly edges: readonly number[][],
    private readonly components: Components,
  ) {
    this.forward = new Int32Array(edges.length);
    this.backward = new Int32Array(edges.length);
  }

  /** For each child: whether it and `parent` depend on each other in either direction. */
  related(parent: number, children: readonly number[]): boolean[] {
    const comp = this.components.of;
    if (children.length <= 2) return children.map((c) => comp[c] === comp[parent] || this.reaches(c, parent) || this.reaches(parent, c));
    const floor = Math.min(...children.map((c) => comp[c]));
    const ceiling = Math.max(...children.map((c) => comp[c]));
    const down = this.sweep(parent, this.edges, this.forward, (w) => comp[w] >= floor);
    this.reverse ??= reverseEdges(this.edges);
    const up = this.sweep(parent, this.reverse, this.backward, (w) => comp[w] <= ceiling);
    return children.map((c) => comp[c] === comp[parent] || this.forward[c] === down || this.backward[c] === up);
  }

  private reaches(from: number, to: number): boolean {
    const comp = this.components.of;
    if (comp[from] < comp[to]) return false;
    const floor = comp[to];
    const stamp = this.sweep(from, this.edges, this.forward, (w) => comp[w] >= floor, to);
    return this.forward[to] === stamp;
  }

  /** Marks with a new stamp every node reachable from `start` through `allowed` nodes; stops early at `target`. */
  private sweep(start: number, adjacency: readonly number[][], marks: Int32Array, allowed: (w: number) => boolean, target = -1): number {
    const stamp = ++this.stamp;
    const stack = [start];
    marks[start] = stamp;
    while (stack.length) {
      const v = stack.pop() as number;
      for (const w of adjacency[v]) {
        if (marks[w] === stamp || !allowed(w)) continue;
        marks[w] = stamp;
        if (w === target) return stamp;
        stack.push(w);
      }
    }
    return stamp;
  }
}

function reverseEdges(edges: readonly number[][]): number[][] {
  const reverse: number[][] = edges.map(() => []);
  edges.forEach((out, v) => {
    for (const w of out) reverse[w].push(v);
  });
  return reverse;
}
