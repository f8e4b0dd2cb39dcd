// A root (spec 1.3): a task without parent_id. apflow 0.18 takes exactly one; 0.20 takes a forest.
import { finding, type Anchor, type Finding } from '../findings';
import { allowsSeveralRoots } from '../target';
import { keyOf, ownerOf, refTo, type GraphContext } from './context';

export function rootFindings(ctx: GraphContext): Finding[] {
  const { tasks } = ctx;
  if (!tasks.length) return [];
  const roots = tasks.flatMap((t, i) => (t.hasParent ? [] : [i]));
  if (!roots.length) {
    // In a bare-sequence file the list starts at its first item, which may lie outside the header's
    // text (item-level parsing): point at that item's first line.
    const at: Anchor = ctx.header.shape === 'sequence' ? { task: 0, slot: 'itemLine' } : { seg: ctx.headerSeg, span: ctx.header.tasksAnchorSpan };
    return [
      finding('no-root', 'no root task: every task has a parent_id, but apflow needs exactly one task without one; remove parent_id from the task that should be the root', at, null),
    ];
  }
  const { target } = ctx.header.target;
  if (allowsSeveralRoots(target)) return [];
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
