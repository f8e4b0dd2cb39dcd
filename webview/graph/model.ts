// What the graph view draws of a task graph, given which groups are open: pure, so that the tests run
// it in Node. A group (a task with parent_id children) is a box around its children when expanded and
// a single box when collapsed; edges into a collapsed group are lifted to it and merged; an edge
// between a task and one of its own boxes (an aggregate waiting for its children) is counted on the
// box instead of drawn; a self-dependency is marked on its task; a reference that names no task is an
// edge from a "missing: id" stub. Only what is visible is handed to the layout.
import { criticalPath, type CriticalPath } from '../../analysis/features/critical-path';
import type { ViewGraph } from '../../protocol';

/** A group with more tasks under it than this starts collapsed: its layout waits until it is opened. */
export const COLLAPSE_ABOVE = 40;

export interface VisibleNode {
  index: number;
  /** `group`: an expanded box with its children inside; `collapsed`: a closed one; else a task. */
  kind: 'task' | 'group' | 'collapsed';
  children: VisibleNode[];
  /** Tasks under it, at any depth. */
  descendants: number;
  /** Dependencies between it and tasks inside it (an aggregate over its children): counted, not drawn. */
  inner: number;
  /** It depends on itself (drawn as a red mark). */
  selfLoop: boolean;
  /** The "missing: id" stubs next to it. */
  stubs: Stub[];
}

export interface Stub {
  /** The layout id, `m<n>`. */
  id: string;
  ref: string;
  kind: 'dependency' | 'parent';
  required: boolean;
}

export interface VisibleEdge {
  /** Layout ids: `t<index>` for a task or box, `m<n>` for a stub. */
  from: string;
  to: string;
  required: boolean;
  cycle: boolean;
  /** How many dependencies this edge stands for (more than one between collapsed groups). */
  count: number;
  /** The visible endpoints, as node indexes (-1 for a stub). */
  fromIndex: number;
  toIndex: number;
}

export interface VisibleGraph {
  roots: VisibleNode[];
  edges: VisibleEdge[];
  /** Per task: the visible node that shows it (itself, or the collapsed box it is hidden in). */
  shownBy: Int32Array;
  /** How many boxes (tasks, groups, stubs) are laid out. */
  size: number;
}

export const layoutId = (index: number) => `t${index}`;

export class GraphModel {
  readonly children: number[][];
  readonly descendants: Int32Array;
  /** Per task: the tasks it depends on (from its dependency edges). */
  private readonly dependencies: number[][];

  constructor(readonly graph: ViewGraph) {
    const n = graph.nodes.length;
    this.children = Array.from({ length: n }, () => []);
    for (const node of graph.nodes) if (node.parent >= 0) this.children[node.parent].push(node.index);
    this.descendants = new Int32Array(n);
    // Children may come before their parent in the file: count in reverse of a walk from each root.
    for (const root of this.roots()) {
      const order: number[] = [];
      const stack = [root];
      while (stack.length) {
        const v = stack.pop() as number;
        order.push(v);
        for (const c of this.children[v]) stack.push(c);
      }
      for (let k = order.length - 1; k >= 0; k--) {
        const v = order[k];
        for (const c of this.children[v]) this.descendants[v] += 1 + this.descendants[c];
      }
    }
    this.dependencies = Array.from({ length: n }, () => []);
    for (const e of graph.edges) this.dependencies[e.to].push(e.from);
  }

  roots(): number[] {
    return this.graph.nodes.filter((node) => node.parent < 0).map((node) => node.index);
  }

  isGroup(index: number): boolean {
    return this.children[index].length > 0;
  }

  /** Whether a group starts expanded: small ones do, big ones wait to be opened. */
  expandedByDefault(index: number): boolean {
    return this.descendants[index] <= COLLAPSE_ABOVE;
  }

  /** The boxes and edges to draw when exactly the groups `expanded` says are open. */
  visible(expanded: (index: number) => boolean): VisibleGraph {
    const n = this.graph.nodes.length;
    const shownBy = new Int32Array(n).fill(-1);
    const byIndex = new Map<number, VisibleNode>();
    // The visible box each visible task is drawn in, to tell a box from its contents.
    const parentOf = new Int32Array(n).fill(-1);
    let size = 0;
    const build = (index: number, into: VisibleNode[], parent: number) => {
      const group = this.isGroup(index);
      const open = group && expanded(index);
      const node: VisibleNode = {
        index,
        kind: open ? 'group' : group ? 'collapsed' : 'task',
        children: [],
        descendants: this.descendants[index],
        inner: 0,
        selfLoop: false,
        stubs: [],
      };
      into.push(node);
      byIndex.set(index, node);
      parentOf[index] = parent;
      size++;
      if (open)
        return this.children[index].map((c) => ({
          c,
          into: node.children,
          parent: index,
        }));
      // Everything below a closed box is shown by it.
      const stack = [index];
      while (stack.length) {
        const v = stack.pop() as number;
        shownBy[v] = index;
        for (const c of this.children[v]) stack.push(c);
      }
      return [];
    };
    const roots: VisibleNode[] = [];
    const queue: { c: number; into: VisibleNode[]; parent: number }[] = this.roots().map((c) => ({ c, into: roots, parent: -1 }));
    for (let head = 0; head < queue.length; head++) {
      const { c, into, parent } = queue[head];
      shownBy[c] = c;
      for (const next of build(c, into, parent)) queue.push(next);
    }
    const encloses = (outer: number, inner: number) => {
      for (let v = parentOf[inner]; v >= 0; v = parentOf[v]) if (v === outer) return true;
      return false;
    };
    const merged = new Map<string, VisibleEdge>();
    for (const e of this.graph.edges) {
      const [from, to] = [shownBy[e.from], shownBy[e.to]];
      if (from < 0 || to < 0) continue;
      if (e.from === e.to) {
        (byIndex.get(to) as VisibleNode).selfLoop = true;
        continue;
      }
      if (from === to || encloses(from, to) || encloses(to, from)) {
        const box = from === to || encloses(from, to) ? from : to;
        (byIndex.get(box) as VisibleNode).inner++;
        continue;
      }
      const key = `${from}>${to}`;
      const known = merged.get(key);
      if (known) {
        known.count++;
        known.required ||= e.required;
        known.cycle ||= e.cycle;
      } else
        merged.set(key, {
          from: layoutId(from),
          to: layoutId(to),
          required: e.required,
          cycle: e.cycle,
          count: 1,
          fromIndex: from,
          toIndex: to,
        });
    }
    const edges = [...merged.values()];
    // One stub per box and reference: references from tasks hidden in one closed box share it.
    const stubEdges = new Map<string, VisibleEdge>();
    for (const d of this.graph.dangling) {
      const owner = shownBy[d.task];
      const node = byIndex.get(owner);
      if (!node) continue;
      const key = `${owner}:${d.kind}:${d.ref}`;
      const known = stubEdges.get(key);
      if (known) {
        known.count++;
        continue;
      }
      const stub: Stub = {
        id: `m${stubEdges.size}`,
        ref: d.ref,
        kind: d.kind,
        required: d.required,
      };
      node.stubs.push(stub);
      size++;
      const edge: VisibleEdge = {
        from: stub.id,
        to: layoutId(owner),
        required: d.required,
        cycle: false,
        count: 1,
        fromIndex: -1,
        toIndex: owner,
      };
      stubEdges.set(key, edge);
      edges.push(edge);
    }
    return { roots, edges, shownBy, size };
  }

  /** The critical path by the given durations (node index → ms), or by task count when there are none. */
  criticalPath(durations: ReadonlyMap<number, number>): CriticalPath {
    return criticalPath(
      this.dependencies.map((dependencies, i) => ({
        dependencies,
        durationMs: durations.get(i) ?? null,
      })),
    );
  }
}
