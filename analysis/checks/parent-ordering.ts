// `parent-ordering` (spec 2.2): parent_id is organisational, and authors often expect it to order
// execution. A child and its parent that do not depend on each other in either direction may run
// concurrently, in either order.
import { Reachability } from '../graph';
import { finding, type Finding } from '../findings';
import { keyOf, ownerOf, refTo, type GraphContext } from './context';

const AGGREGATOR = 'aggregate_results_executor';

export function parentOrderingFindings(ctx: GraphContext): Finding[] {
  const { tasks, resolution, components } = ctx;
  const reach = new Reachability(resolution.edges, components);
  const out: Finding[] = [];
  const childrenOf = new Map<number, number[]>();
  tasks.forEach((_, c) => {
    const p = resolution.parent[c];
    if (p < 0 || p === c || resolution.edges[c].includes(p) || resolution.edges[p].includes(c)) return;
    const list = childrenOf.get(p);
    if (list) list.push(c);
    else childrenOf.set(p, [c]);
  });
  const unrelated = new Set<number>();
  for (const [p, children] of childrenOf) {
    reach.related(p, children).forEach((related, k) => {
      if (!related) unrelated.add(children[k]);
    });
  }
  tasks.forEach((_, c) => {
    if (!unrelated.has(c)) return;
    const p = resolution.parent[c];
    const child = keyOf(tasks, c);
    const parent = keyOf(tasks, p);
    const at = { task: c, slot: 'parent' } as const;
    if (tasks[p].executor === AGGREGATOR) {
      out.push(
        finding('parent-ordering', `'${parent}' aggregates results but does not depend on its child '${child}': it may finish before '${child}' runs`, at, ownerOf(tasks, c), {
          fixes: [{ kind: 'add-dependency', title: `Add \`${child}\` to the dependencies of \`${parent}\``, task: p, ref: refTo(tasks, c), preferred: true }],
        }),
      );
    } else {
      out.push(
        finding('parent-ordering', `'${child}' is a child of '${parent}' but does not depend on it: parent_id does not order execution, so '${child}' may run before or alongside '${parent}'`, at, ownerOf(tasks, c), {
          fixes: [
            { kind: 'add-dependency', title: `Add \`${parent}\` to the dependencies of \`${child}\``, task: c, ref: refTo(tasks, p) },
            { kind: 'add-dependency', title: `Make \`${parent}\` wait for \`${child}\``, task: p, ref: refTo(tasks, c) },
          ],
        }),
      );
    }
  });
  return out;
}
