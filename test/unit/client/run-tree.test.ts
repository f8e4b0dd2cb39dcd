// The Runs view's nesting of a run's tasks and which changed items it redraws.
import assert from 'node:assert/strict';
import { buildTaskTree, subtreeCounts, visibleChanges } from '../../../client/run-tree';

type T = { id: string; parent_id: string | null; status: 'pending' | 'completed' | 'failed' | 'in_progress' | 'cancelled'; blocked_by: string | null };
const t = (id: string, parent_id: string | null, status: T['status'] = 'completed', blocked_by: string | null = null): T => ({ id, parent_id, status, blocked_by });

describe('client: the Runs view tree of a run', () => {
  const tasks = [t('root', null, 'pending', 'b'), t('a', 'root'), t('b', 'root', 'failed'), t('g', 'root'), t('g1', 'g'), t('g2', 'g', 'pending', 'b'), t('loop1', 'loop2'), t('loop2', 'loop1'), t('orphan', 'missing')];
  const tree = buildTaskTree('run', tasks);

  it('nests by parent_id; a missing parent or a parent loop puts the task at the top', () => {
    assert.deepEqual(tree.roots.map((n) => tasks[n.index].id), ['root', 'loop1', 'loop2', 'orphan']);
    assert.deepEqual(tree.nodes[0].children.map((n) => tasks[n.index].id), ['a', 'b', 'g']);
    assert.equal(tree.nodes[4].parent, tree.nodes[3]);
  });

  it('counts every task under a group, not the group itself', () => {
    const c = subtreeCounts(tree.nodes[0], tasks);
    assert.deepEqual([c.total, c.completed, c.failed, c.blocked], [5, 3, 1, 1]);
  });

  it('redraws a changed task only when it is on screen, and the groups above it whose counts changed', () => {
    const open = new Set([tree.nodes[0]]);
    const expanded = (n: (typeof tree.nodes)[number]) => open.has(n);
    const ids = (nodes: typeof tree.nodes) => nodes.map((n) => tasks[n.index].id).sort();
    assert.deepEqual(ids(visibleChanges(tree.nodes, [4], expanded, true)), ['g', 'root'], 'g1 is inside a collapsed group');
    open.add(tree.nodes[3]);
    assert.deepEqual(ids(visibleChanges(tree.nodes, [4, 5], expanded, true)), ['g', 'g1', 'g2', 'root']);
    assert.deepEqual(visibleChanges(tree.nodes, [4, 5], expanded, false), [], 'a collapsed run shows none of its tasks');
  });
});
