// The tasks of a run as the Runs view nests them (following parent_id), and what a group says about
// the tasks under it. Pure (no `vscode`), so that it is testable on its own.
import { emptyCounts, shownStatus, type Counts, type TaskState } from './format';

export interface TreeTask<E> {
  kind: 'task';
  entry: E;
  index: number;
  parent: TreeTask<E> | null;
  children: TreeTask<E>[];
}

export interface TaskTree<E> {
  nodes: TreeTask<E>[];
  roots: TreeTask<E>[];
}

type Parented = Pick<TaskState, 'id'> & { parent_id: string | null };

/** Nests the tasks by parent_id; a task whose parent is missing or whose parent chain loops is a root. */
export function buildTaskTree<E>(entry: E, tasks: readonly Parented[]): TaskTree<E> {
  const nodes: TreeTask<E>[] = tasks.map((_, index) => ({ kind: 'task', entry, index, parent: null, children: [] }));
  const byId = new Map(tasks.map((t, i) => [t.id, i]));
  const roots: TreeTask<E>[] = [];
  tasks.forEach((t, i) => {
    const parent = t.parent_id === null ? undefined : byId.get(t.parent_id);
    if (parent === undefined || parent === i || createsLoop(tasks, byId, i)) roots.push(nodes[i]);
    else {
      nodes[i].parent = nodes[parent];
      nodes[parent].children.push(nodes[i]);
    }
  });
  return { nodes, roots };
}

/** The statuses of every task under `node` (not the node itself). */
export function subtreeCounts<E>(node: TreeTask<E>, tasks: readonly Pick<TaskState, 'status' | 'blocked_by'>[]): Counts {
  const counts = emptyCounts();
  const stack = [...node.children];
  for (let n = stack.pop(); n; n = stack.pop()) {
    counts.total++;
    counts[shownStatus(tasks[n.index])]++;
    for (const c of n.children) stack.push(c);
  }
  return counts;
}

/**
 * The changed tasks the view must redraw: those on screen (every ancestor expanded) and the groups
 * above a changed task whose counts therefore changed, when they are on screen themselves.
 */
export function visibleChanges<E>(nodes: readonly TreeTask<E>[], changed: readonly number[], expanded: (node: TreeTask<E>) => boolean, runExpanded: boolean): TreeTask<E>[] {
  if (!runExpanded) return [];
  const out = new Set<TreeTask<E>>();
  const onScreen = (n: TreeTask<E>) => {
    for (let p = n.parent; p; p = p.parent) if (!expanded(p)) return false;
    return true;
  };
  for (const i of changed) {
    const node = nodes[i];
    if (!node) continue;
    if (onScreen(node)) out.add(node);
    for (let p = node.parent; p && !out.has(p); p = p.parent) if (onScreen(p)) out.add(p);
  }
  return [...out];
}

/** A parent chain that loops (the analysis refuses such trees, but history is history): show at the top. */
function createsLoop(tasks: readonly Parented[], byId: Map<string, number>, start: number): boolean {
  let steps = 0;
  for (let i: number | undefined = start; i !== undefined && steps <= tasks.length; steps++) {
    const p: string | null = tasks[i].parent_id;
    i = p === null ? undefined : byId.get(p);
    if (i === start) return true;
  }
  return false;
}
