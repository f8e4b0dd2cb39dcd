// The task graph as the graph view draws it (issue 13): every task with what its box shows, the
// parent_id nesting (loops cut, so the boxes always nest), dependency edges (optional ones marked,
// those inside a dependency cycle marked) and references that name no task. Built from the snapshot's
// resolution (graph.ts), in LSP positions, for a file with errors as much as for a clean one.
import { parentLoops } from '../graph';
import { taskKey } from '../identity';
import type { DocumentState } from '../state';
import type { Range } from '../types';
import { lineStartOf, segmentRange } from './positions';
import { taskLabel } from './tasks';

export interface GraphNode {
  /** Position in the file's task list (edges and parents name tasks by it). */
  index: number;
  id: string | null;
  /** How run commands name the task: its id, else its name, else `#n`. */
  key: string;
  /** Its name as written (run records are matched by id and name, analysis/identity.ts). */
  name: string | null;
  /** What its box says: its name, else its id, else `#n`. */
  label: string;
  executor: string | null;
  priority: number;
  /** The enclosing task (parent_id), or -1: a root, a parent that names no task, or one on a parent loop. */
  parent: number;
  /** The whole task, from the line of its `-`. */
  range: Range;
  /** Its name (else id, else first key): where a click puts the cursor. */
  selectionRange: Range;
}

export interface GraphEdge {
  /** The task depended on (runs first). */
  from: number;
  /** The dependent task. */
  to: number;
  required: boolean;
  /** The edge lies on a dependency cycle (a self-dependency included). */
  cycle: boolean;
}

export interface DanglingRef {
  /** The task whose reference names no task. */
  task: number;
  /** The reference as written. */
  ref: string;
  kind: 'dependency' | 'parent';
  /** For a dependency: whether it is required. */
  required: boolean;
}

export interface TaskGraphData {
  nodes: GraphNode[];
  edges: GraphEdge[];
  dangling: DanglingRef[];
}

/** Each task's parent, with every parent loop cut: the task where a walk in file order enters the loop goes to the top. */
function nestingParents(resolved: Int32Array): Int32Array {
  const parent = resolved.slice();
  for (const loop of parentLoops(resolved)) parent[loop[0]] = -1;
  return parent;
}

export function taskGraph(state: DocumentState): TaskGraphData {
  const { resolution, components } = state.graph;
  const parent = nestingParents(resolution.parent);
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const dangling: DanglingRef[] = [];
  state.tasks.forEach((task, i) => {
    const { facts, seg } = task;
    nodes.push({
      index: i,
      id: facts.id,
      key: taskKey(facts, i),
      name: facts.name,
      label: taskLabel(state, i),
      executor: facts.executor,
      priority: facts.priority,
      parent: parent[i],
      range: segmentRange(seg, { start: lineStartOf(seg.text, facts.range[0]), end: facts.range[1] }),
      selectionRange: segmentRange(seg, facts.nameSpan ?? facts.idSpan ?? facts.firstKeySpan),
    });
    if (facts.hasParent && facts.parentRef !== null && resolution.parent[i] < 0) dangling.push({ task: i, ref: facts.parentRef, kind: 'parent', required: false });
    const seen = new Set<number>();
    resolution.depTargets[i].forEach((target, k) => {
      const dep = facts.deps[k];
      if (target < 0) {
        if (dep.ref !== null) dangling.push({ task: i, ref: dep.ref, kind: 'dependency', required: dep.required });
        return;
      }
      if (seen.has(target)) return;
      seen.add(target);
      const cycle = target === i || (components.of[target] === components.of[i] && components.size[components.of[i]] > 1);
      edges.push({ from: target, to: i, required: dep.required, cycle });
    });
  });
  return { nodes, edges, dangling };
}
