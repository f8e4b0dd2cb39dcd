// Places what the graph view shows with elkjs's layered algorithm: tasks left to right in the order
// they can run. Each open group is laid out on its own, innermost first, and then stands as one box in
// its parent's layout; a layout is kept and reused while the group's contents stay the same, so opening
// a group lays out that group and its ancestors only. (One compound layout of the whole drawing with
// edges routed across box borders took 2–3.5 s for a group of 500 tasks on the benchmark machine, and
// network-simplex node placement 8 s; see docs/graph.md.) Edges inside one box are routed by elkjs;
// an edge between tasks in different boxes is drawn straight between them. Box sizes come from label
// lengths, so the layout needs no DOM and the benchmark runs it in Node as the webview's worker does.
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { ViewGraph } from '../../protocol';
import { layoutId, type VisibleEdge, type VisibleGraph, type VisibleNode } from './model';

/** What both elkjs builds offer (the worker-backed one in the webview, the bundled one in Node). */
export interface Layouter {
  layout(graph: ElkNode): Promise<ElkNode>;
}

export interface Point {
  x: number;
  y: number;
}

export interface Box extends Point {
  width: number;
  height: number;
}

export interface PlacedEdge {
  edge: VisibleEdge;
  /** The route, start to end, in the drawing's coordinates. */
  points: Point[];
}

export interface Placed {
  /** By layout id (`t<index>`, `m<n>`). */
  boxes: Map<string, Box>;
  edges: PlacedEdge[];
  width: number;
  height: number;
  /** How many boxes were laid out anew (the rest came from the cache). */
  laidOut: number;
}

const CHAR = 7;
const TASK_HEIGHT = 46;
const COLLAPSED_HEIGHT = 58;
const STUB_HEIGHT = 30;
/** Room above an open group's contents for its own label, and around them. */
export const GROUP_HEADER = 40;
const PAD = 12;

const OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.edgeRouting': 'POLYLINE',
  'elk.layered.spacing.nodeNodeBetweenLayers': '48',
  'elk.spacing.nodeNode': '14',
  'elk.padding': '[top=0,left=0,bottom=0,right=0]',
  // The fast settings: network-simplex placement and more sweeps cost seconds on a group of 500.
  'elk.layered.nodePlacement.strategy': 'SIMPLE',
  'elk.layered.thoroughness': '1',
};

/** Room on a box's first line for its status (`✗ 1.5 s`). */
const STATUS_WIDTH = 64;

function textWidth(texts: string[]): number {
  return Math.min(320, Math.max(120, Math.max(...texts.map((t) => t.length)) * CHAR + 30));
}

/** The two lines a task's box shows: its label, and its executor with its priority. */
export function nodeLines(graph: ViewGraph, index: number): [string, string] {
  const node = graph.nodes[index];
  return [node.label, `${node.executor ?? 'no executor'} · p${node.priority}`];
}

export function stubLabel(ref: string, kind: 'dependency' | 'parent'): string {
  return kind === 'parent' ? `missing parent: ${ref}` : `missing: ${ref}`;
}

interface Inner {
  /** Positions of the box's contents, relative to its content area. */
  positions: Map<string, Point>;
  /** Routes of the edges between its contents, by edge key, relative to its content area. */
  routes: Map<string, Point[]>;
  width: number;
  height: number;
}

const edgeKey = (e: VisibleEdge) => `${e.from}>${e.to}`;

export class GraphLayout {
  /** Layouts of box contents by a signature of what is in them. */
  private cache = new Map<string, Inner>();

  constructor(private readonly layouter: Layouter) {}

  /** Lays out `visible` (of `graph`); contents that did not change since the last call keep their layout. */
  async place(graph: ViewGraph, visible: VisibleGraph): Promise<Placed> {
    // Which box each layout id is drawn in ('' for the top level).
    const container = new Map<string, string>();
    const sizes = new Map<string, { width: number; height: number }>();
    const levels: { id: string; members: VisibleNode[] }[] = [];
    const visit = (nodes: VisibleNode[], inside: string) => {
      levels.push({ id: inside, members: nodes });
      for (const v of nodes) {
        container.set(layoutId(v.index), inside);
        for (const s of v.stubs) container.set(s.id, inside);
        if (v.kind === 'group') visit(v.children, layoutId(v.index));
      }
    };
    visit(visible.roots, '');
    const local = new Map<string, VisibleEdge[]>();
    for (const e of visible.edges) {
      const c = container.get(e.from);
      if (c !== undefined && c === container.get(e.to)) local.set(c, [...(local.get(c) ?? []), e]);
    }
    const inner = new Map<string, Inner>();
    let laidOut = 0;
    const used = new Map<string, Inner>();
    // Innermost first: `visit` lists a box's level after its parent's.
    for (let k = levels.length - 1; k >= 0; k--) {
      const { id, members } = levels[k];
      const items = members.flatMap((v) => [
        this.size(graph, v, inner),
        ...v.stubs.map((s) => ({
          id: s.id,
          width: textWidth([stubLabel(s.ref, s.kind)]),
          height: STUB_HEIGHT,
        })),
      ]);
      for (const item of items) sizes.set(item.id, item);
      const edges = local.get(id) ?? [];
      const signature = `${items.map((i) => `${i.id}:${i.width}x${i.height}`).join(',')}|${edges.map(edgeKey).join(',')}`;
      let result = this.cache.get(signature);
      if (!result) {
        result = await this.layOutLevel(items, edges);
        laidOut += items.length;
      }
      used.set(signature, result);
      inner.set(id, result);
    }
    this.cache = used;
    return this.compose(visible, container, sizes, inner, laidOut);
  }

  private size(graph: ViewGraph, v: VisibleNode, inner: ReadonlyMap<string, Inner>): { id: string; width: number; height: number } {
    const id = layoutId(v.index);
    const lines = nodeLines(graph, v.index);
    if (v.kind === 'group') {
      const contents = inner.get(id) as Inner;
      return {
        id,
        width: Math.max(textWidth(lines) + STATUS_WIDTH + 40, contents.width + 2 * PAD),
        height: contents.height + GROUP_HEADER + PAD,
      };
    }
    if (v.kind === 'collapsed')
      return {
        id,
        width: textWidth(lines) + STATUS_WIDTH + 20,
        height: COLLAPSED_HEIGHT,
      };
    return { id, width: textWidth(lines) + STATUS_WIDTH, height: TASK_HEIGHT };
  }

  private async layOutLevel(items: { id: string; width: number; height: number }[], edges: VisibleEdge[]): Promise<Inner> {
    // One box alone needs no layout: a big tree's first drawing (its root, closed) does not wait for the worker.
    if (items.length === 1 && edges.length === 0) {
      return { positions: new Map([[items[0].id, { x: 0, y: 0 }]]), routes: new Map(), width: items[0].width, height: items[0].height };
    }
    const elkEdges: ElkExtendedEdge[] = edges.map((e) => ({
      id: edgeKey(e),
      sources: [e.from],
      targets: [e.to],
    }));
    const result = await this.layouter.layout({
      id: 'level',
      layoutOptions: OPTIONS,
      children: items.map((i) => ({ ...i })),
      edges: elkEdges,
    });
    const positions = new Map<string, Point>();
    for (const child of result.children ?? []) positions.set(child.id, { x: child.x ?? 0, y: child.y ?? 0 });
    const routes = new Map<string, Point[]>();
    for (const e of result.edges ?? [])
      routes.set(
        e.id,
        (e.sections ?? []).flatMap((s) => [s.startPoint, ...(s.bendPoints ?? []), s.endPoint]),
      );
    return {
      positions,
      routes,
      width: result.width ?? 0,
      height: result.height ?? 0,
    };
  }

  private compose(
    visible: VisibleGraph,
    container: Map<string, string>,
    sizes: Map<string, { width: number; height: number }>,
    inner: Map<string, Inner>,
    laidOut: number,
  ): Placed {
    const origin = new Map<string, Point>([['', { x: PAD, y: PAD }]]);
    const boxes = new Map<string, Box>();
    // Containers before their contents: walk down from the top level.
    const pending = [''];
    while (pending.length) {
      const id = pending.pop() as string;
      const at = origin.get(id) as Point;
      const level = inner.get(id) as Inner;
      for (const [child, p] of level.positions) {
        const box = {
          x: at.x + p.x,
          y: at.y + p.y,
          ...(sizes.get(child) as { width: number; height: number }),
        };
        boxes.set(child, box);
        if (inner.has(child)) {
          origin.set(child, { x: box.x + PAD, y: box.y + GROUP_HEADER });
          pending.push(child);
        }
      }
    }
    const edges = visible.edges.map((edge): PlacedEdge => {
      const c = container.get(edge.from) as string;
      const route = c === container.get(edge.to) ? inner.get(c)?.routes.get(edgeKey(edge)) : undefined;
      if (route && route.length > 0) {
        const at = origin.get(c) as Point;
        return {
          edge,
          points: route.map((p) => ({ x: p.x + at.x, y: p.y + at.y })),
        };
      }
      const [from, to] = [boxes.get(edge.from) as Box, boxes.get(edge.to) as Box];
      return {
        edge,
        points: [
          { x: from.x + from.width, y: from.y + from.height / 2 },
          { x: to.x, y: to.y + to.height / 2 },
        ],
      };
    });
    const top = inner.get('') as Inner;
    return {
      boxes,
      edges,
      width: top.width + 2 * PAD,
      height: top.height + 2 * PAD,
      laidOut,
    };
  }
}
