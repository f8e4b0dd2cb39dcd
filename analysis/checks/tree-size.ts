// `tree-too-large` (guide: "Keep Task Trees Manageable"): a tree of more tasks than the
// `apflow.validate.maxTreeSize` setting (CLI `--max-tree-size`) is hard to read, run and retry;
// break it into smaller trees. A tree is a root and every task whose parent chain leads to it.
import { finding, type Finding } from '../findings';
import type { Resolution } from '../graph';
import { keyOf, ownerOf, type GraphContext } from './context';

export const DEFAULT_MAX_TREE_SIZE = 200;

const UNKNOWN = -2;
const NONE = -1;

/** The root of each task, or -1 when its parent chain is broken or loops (another code reports that). */
function rootsOf(resolution: Resolution, hasParent: (i: number) => boolean): Int32Array {
  const n = resolution.parent.length;
  const root = new Int32Array(n).fill(UNKNOWN);
  const path: number[] = [];
  for (let start = 0; start < n; start++) {
    let v = start;
    // Walks up until a task whose root is known; every task on the way gets the same answer.
    while (root[v] === UNKNOWN) {
      root[v] = NONE; // also marks the walk, so a parent loop ends here with no root
      path.push(v);
      if (!hasParent(v)) {
        root[v] = v;
        break;
      }
      const p = resolution.parent[v];
      if (p < 0) break;
      v = p;
    }
    const found = root[v];
    for (const w of path) root[w] = found;
    path.length = 0;
  }
  return root;
}

export function treeSizeFindings(ctx: GraphContext): Finding[] {
  const { tasks, resolution } = ctx;
  const limit = ctx.env.maxTreeSize ?? DEFAULT_MAX_TREE_SIZE;
  if (tasks.length <= limit) return [];
  const size = new Int32Array(tasks.length);
  for (const r of rootsOf(resolution, (i) => tasks[i].hasParent)) if (r >= 0) size[r]++;
  const out: Finding[] = [];
  size.forEach((count, r) => {
    if (count <= limit) return;
    const message = `the tree of '${keyOf(tasks, r)}' has ${count} tasks, more than the limit of ${limit}: break it into smaller trees that run one after another (the limit is the setting apflow.validate.maxTreeSize)`;
    out.push(finding('tree-too-large', message, { task: r, slot: 'nameKey' }, ownerOf(tasks, r)));
  });
  return out;
}
