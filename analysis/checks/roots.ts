// A root (spec 1.3): a task without parent_id. apflow 0.18 takes exactly one; 0.20 takes a forest,
// but looks a task's dependencies up only within its own tree (`get_completed_tasks_by_id` walks
// from the task's root), so a dependency on another tree is never satisfied there.
import { finding, type Anchor, type Finding } from '../findings';
import { TaskFlag } from '../graph';
import { allowsSeveralRoots } from '../target';
import { flagged, keyOf, ownerOf, refTo, type GraphContext } from './context';

export function rootFindings(ctx: GraphContext): Finding[] {
  const { tasks } = ctx;
  if (!tasks.length) return [];
  const roots = flagged(ctx, TaskFlag.root);
  if (!roots.length) {
    // In a bare-sequence file the list starts at its first item, which may lie outside the header's
    // text (item-level parsing): point at that item's first line.
    const at: Anchor = ctx.header.shape === 'sequence' ? { task: 0, slot: 'itemLine' } : { seg: ctx.headerSeg, span: ctx.header.tasksAnchorSpan };
    return [
      finding('no-root', 'no root task: every task has a parent_id, but apflow needs exactly one task without one; remove parent_id from the task that should be the root', at, null),
    ];
  }
  const { target } = ctx.header.target;
  if (allowsSeveralRoots(target)) return roots.length > 1 ? crossTreeFindings(ctx, target) : [];
  const [first, ...others] = roots;
  const firstKey = keyOf(tasks, first);
  return others.map((i) =>
    finding(
      'multiple-roots',
      `task '${keyOf(tasks, i)}' has no parent_id, like the root '${firstKey}': apflow ${target} takes exactly one root, so put it under '${firstKey}' (or another task), or set \`apflow_version: "0.20"\`, which takes several`,
      { task: i, slot: 'nameKey' },
      ownerOf(tasks, i),
      {
        related: [{ at: { task: first, slot: 'nameKey' }, message: `the first root, '${firstKey}'` }],
        fixes: [{ kind: 'add-key', title: `Put under \`${refTo(tasks, first)}\``, task: i, key: 'parent_id', value: refTo(tasks, first), preferred: true }],
      },
    ),
  );
}

/** The root of each task by parent_id; -1 where the chain breaks (an unknown parent) or loops. */
function rootsOf(ctx: GraphContext): Int32Array {
  const { parent } = ctx.resolution;
  const UNKNOWN = -2;
  const VISITING = -3;
  const root = new Int32Array(parent.length).fill(UNKNOWN);
  for (let i = 0; i < parent.length; i++) {
    const path: number[] = [];
    let at = i;
    // Walk up until a task whose root is known (or that this walk has seen: a loop), or a task
    // without a resolved parent.
    while (root[at] === UNKNOWN && parent[at] >= 0) {
      root[at] = VISITING;
      path.push(at);
      at = parent[at];
    }
    let found = root[at];
    if (found === VISITING) found = -1;
    else if (found === UNKNOWN) found = ctx.tasks[at].hasParent ? -1 : at;
    if (root[at] === UNKNOWN) root[at] = found;
    for (const t of path) root[t] = found;
  }
  return root;
}

function crossTreeFindings(ctx: GraphContext, target: string): Finding[] {
  const { tasks, resolution } = ctx;
  const root = rootsOf(ctx);
  const out: Finding[] = [];
  tasks.forEach((t, i) => {
    t.deps.forEach((d, k) => {
      const j = resolution.depTargets[i]?.[k] ?? -1;
      if (j < 0 || !d.required || root[i] < 0 || root[j] < 0 || root[i] === root[j]) return;
      out.push(
        finding(
          'cross-tree-dependency',
          `task '${keyOf(tasks, i)}' depends on '${keyOf(tasks, j)}' of the tree under '${keyOf(tasks, root[j])}', not its own tree under '${keyOf(tasks, root[i])}': apflow ${target} looks dependencies up only within a task's tree, so it would wait forever there; put both tasks under one root`,
          { task: i, slot: { dep: k } },
          ownerOf(tasks, i),
        ),
      );
    });
  });
  return out;
}
