// Loops: dependency cycles (one diagnostic on every dependency inside a looping group, all naming the
// same concrete cycle) and parent_id loops (spec 2.1).
import { finding, type Anchor, type Finding } from '../findings';
import { parentLoops } from '../graph';
import { keyOf, ownerOf, type GraphContext } from './context';

const MAX_RELATED = 20;

function describeCycle(names: string[], groupSize: number): string {
  const tasks = names.length - 1;
  const path =
    tasks <= 10
      ? `dependency cycle: ${names.join(' → ')}`
      : `dependency cycle of ${tasks} tasks: ${[...names.slice(0, 5), '…', ...names.slice(-2)].join(' → ')}`;
  const larger = groupSize > tasks ? ` (the loop involves ${groupSize} tasks)` : '';
  return `${path}${larger}; remove one of these dependencies to break the loop`;
}

/** Shortest cycle through `first` inside its component, by breadth-first search; returns task indexes. */
function shortestCycle(ctx: GraphContext, first: number, prev: Int32Array): number[] {
  const { edges } = ctx.resolution;
  const comp = ctx.components.of;
  const queue = [first];
  prev[first] = first;
  const touched = [first];
  let closing = -1;
  for (let head = 0; head < queue.length && closing < 0; head++) {
    const v = queue[head];
    for (const w of edges[v]) {
      if (comp[w] !== comp[first]) continue;
      if (w === first) {
        closing = v;
        break;
      }
      if (prev[w] !== -1) continue;
      prev[w] = v;
      touched.push(w);
      queue.push(w);
    }
  }
  const path: number[] = [];
  for (let v = closing; v !== first; v = prev[v]) path.push(v);
  path.push(first);
  path.reverse();
  path.push(first);
  for (const v of touched) prev[v] = -1;
  return path;
}

function dependencyCycles(ctx: GraphContext, out: Finding[]): void {
  const { tasks, resolution, components } = ctx;
  const firstOf = new Map<number, number>();
  components.of.forEach((c, i) => {
    if (components.size[c] > 1 && !firstOf.has(c)) firstOf.set(c, i);
  });
  if (!firstOf.size) return;
  const prev = new Int32Array(tasks.length).fill(-1);
  const groups = new Map<number, { message: string; sites: { task: number; dep: number }[] }>();
  for (const [c, first] of firstOf) {
    const cycle = shortestCycle(ctx, first, prev);
    groups.set(c, { message: describeCycle(cycle.map((i) => keyOf(tasks, i)), components.size[c]), sites: [] });
  }
  tasks.forEach((_, i) => {
    const c = components.of[i];
    const group = groups.get(c);
    if (!group) return;
    resolution.depTargets[i].forEach((target, k) => {
      if (target >= 0 && target !== i && components.of[target] === c) group.sites.push({ task: i, dep: k });
    });
  });
  for (const group of groups.values()) {
    const anchors: Anchor[] = group.sites.map((s) => ({ task: s.task, slot: { dep: s.dep } }));
    group.sites.forEach((site, n) => {
      const target = resolution.depTargets[site.task][site.dep];
      // Only the first MAX_RELATED + 1 sites can be needed: filtering all of them would make a
      // 19,000-dependency loop quadratic.
      const related = anchors
        .slice(0, MAX_RELATED + 1)
        .filter((_, m) => m !== n)
        .slice(0, MAX_RELATED)
        .map((at) => ({ at, message: 'another dependency in the loop' }));
      out.push(
        finding('dependency-cycle', group.message, anchors[n], ownerOf(tasks, site.task), {
          related,
          fixes: [{ kind: 'remove-dependency', title: `Remove dependency on \`${keyOf(tasks, target)}\``, task: site.task, dep: site.dep }],
        }),
      );
    });
  }
}

function parentCycles(ctx: GraphContext, out: Finding[]): void {
  const { tasks, resolution } = ctx;
  for (const loop of parentLoops(resolution.parent)) {
    const names = [...loop, loop[0]].map((i) => keyOf(tasks, i));
    const message = `parent_id loop: ${names.join(' → ')}; a task cannot be its own ancestor, so point one of these parent_id at a task outside the loop`;
    for (const i of loop) out.push(finding('parent-cycle', message, { task: i, slot: 'parent' }, ownerOf(tasks, i)));
  }
}

export function cycleFindings(ctx: GraphContext): Finding[] {
  const out: Finding[] = [];
  dependencyCycles(ctx, out);
  parentCycles(ctx, out);
  return out;
}
