// The outline of a large file is capped (`apflow.outline.maxItems`, 5,000 by default, as VS Code's
// JSON and YAML servers cap theirs with `json.maxItemsComputed` / `yaml.maxItemsComputed`): the
// client parses every symbol after every edit, and at 10,000 tasks that alone took longer than the
// analysis. Tasks are kept level by level (breadth-first), so the root, the groups and every task above
// the cut keep their place in the tree, and a summary says how many more there are and where the
// first of them is.
import type { Range, SymbolNode } from '../analysis';

export interface CappedOutline {
  readonly tree: readonly SymbolNode[];
  /** How many tasks are left out (0: the whole outline). */
  readonly omitted: number;
  /** Where the first task left out starts (breadth-first order), for the summary. */
  readonly firstOmitted: Range | null;
}

/**
 * At most `max` nodes of `tree`, whole levels first. Nodes whose children are all kept are the same
 * objects (their JSON is reused across versions); only those at the cut are new.
 */
export function cappedOutline(tree: readonly SymbolNode[], max: number): CappedOutline {
  const kept = new Set<SymbolNode>();
  let level: readonly SymbolNode[] = tree;
  let omitted = 0;
  let firstOmitted: Range | null = null;
  while (level.length) {
    const next: SymbolNode[] = [];
    for (const node of level) {
      if (kept.size < max) {
        kept.add(node);
        for (const child of node.children) next.push(child);
      } else {
        firstOmitted ??= node.item.range;
        omitted += 1 + descendants(node);
      }
    }
    level = next;
  }
  if (!omitted) return { tree, omitted: 0, firstOmitted: null };
  return { tree: prune(tree, kept), omitted, firstOmitted };
}

function descendants(node: SymbolNode): number {
  let n = 0;
  const stack = [...node.children];
  while (stack.length) {
    const next = stack.pop() as SymbolNode;
    n++;
    for (const child of next.children) stack.push(child);
  }
  return n;
}

/** The kept nodes of `nodes`; the outline nests at most 50 deep, so the recursion is bounded. */
function prune(nodes: readonly SymbolNode[], kept: ReadonlySet<SymbolNode>): SymbolNode[] {
  const out: SymbolNode[] = [];
  for (const node of nodes) {
    if (!kept.has(node)) continue;
    const children = prune(node.children, kept);
    const same = children.length === node.children.length && children.every((child, i) => child === node.children[i]);
    out.push(same ? node : { item: node.item, children });
  }
  return out;
}
