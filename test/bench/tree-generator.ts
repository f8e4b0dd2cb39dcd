// Generates realistic, mostly clean task trees for benchmarks and large-file tests: about 8 lines per
// task (id, name, executor, 2–3 inputs, 0–3 dependencies, priority). Aggregating parents depend on their
// children, so parent_id never looks like ordering (spec 2.2). Tasks are written children first, so every
// dependency points at an earlier task and the tree has no cycle.

/** A small deterministic generator (mulberry32), so that every run measures the same file. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FAN_OUT = 8;

interface Node {
  id: string;
  children: Node[];
}

/** Builds the hierarchy bottom-up: leaves, then one aggregator per FAN_OUT nodes, up to a single root. */
function hierarchy(leafCount: number): { leaves: Node[]; total: number; root: Node } {
  const leaves: Node[] = Array.from({ length: leafCount }, (_, i) => ({ id: `t${i + 1}`, children: [] }));
  let level = leaves;
  let total = leafCount;
  let depth = 0;
  while (level.length > 1) {
    depth++;
    const next: Node[] = [];
    for (let i = 0; i < level.length; i += FAN_OUT) next.push({ id: `g${depth}_${next.length + 1}`, children: level.slice(i, i + FAN_OUT) });
    total += next.length;
    level = next;
  }
  return { leaves, total, root: level[0] };
}

/** The number of leaves that gives exactly `count` tasks in all. */
function leavesFor(count: number): number {
  let leaves = Math.max(1, Math.round((count * (FAN_OUT - 1)) / FAN_OUT));
  for (;;) {
    const total = hierarchy(leaves).total;
    if (total === count) return leaves;
    const step = count - total;
    const next = leaves + (Math.abs(step) > 1 ? Math.round((step * (FAN_OUT - 1)) / FAN_OUT) || Math.sign(step) : step);
    if (next === leaves) return leaves;
    // Around a level boundary the total can jump by two: settle for one task more or less.
    if (hierarchy(next).total > count && step > 0) return leaves;
    leaves = next;
  }
}

const LEAF_KINDS = [
  (n: number) => ['schemas: { method: command_executor }', 'inputs:', `  command: "echo step ${n}"`, '  timeout: 30'],
  (n: number) => ['schemas: { method: system_info_executor }', 'inputs:', `  resource: ${['cpu', 'memory', 'disk'][n % 3]}`, '  timeout: 20'],
  (n: number) => ['schemas: { method: rest_executor }', 'inputs:', `  url: "http://127.0.0.1:8080/items/${n}"`, '  method: GET', '  timeout: 10'],
];

export interface GeneratedTree {
  text: string;
  /** Ids in file order. */
  ids: string[];
}

/** A tree of exactly `count` tasks (count ≥ 1), deterministic for a given seed. */
export function generateTree(count: number, seed = 1): GeneratedTree {
  const random = seededRandom(seed);
  const { root } = hierarchy(leavesFor(count));
  const lines = ['version: 1', `description: Generated tree of ${count} tasks`, 'tasks:'];
  const ids: string[] = [];
  const earlierLeaves: string[] = [];
  const emit = (node: Node, parent: string | null) => {
    for (const child of node.children) emit(child, node.id);
    ids.push(node.id);
    const n = ids.length;
    const head = [`  - id: ${node.id}`, `    name: ${node.children.length ? 'Group' : 'Step'} ${node.id}`];
    if (parent) head.push(`    parent_id: ${parent}`);
    head.push(`    priority: ${Math.floor(random() * 4)}`);
    let body: string[];
    let deps: string[];
    if (node.children.length) {
      body = ['schemas: { method: aggregate_results_executor }'];
      deps = node.children.map((c) => c.id);
    } else {
      body = LEAF_KINDS[n % LEAF_KINDS.length](n);
      const wanted = Math.floor(random() * 4);
      const picked = new Set<string>();
      const window = Math.min(earlierLeaves.length, 50);
      for (let k = 0; k < wanted && window > 0; k++) picked.add(earlierLeaves[earlierLeaves.length - 1 - Math.floor(random() * window)]);
      deps = [...picked];
      earlierLeaves.push(node.id);
    }
    lines.push(...head, ...body.map((l) => `    ${l}`));
    if (deps.length && n % 2 === 0) lines.push('    dependencies:', ...deps.map((d) => `      - ${d}`));
    else if (deps.length) lines.push(`    dependencies: [${deps.join(', ')}]`);
  };
  emit(root, null);
  return { text: `${lines.join('\n')}\n`, ids };
}
