// What the graph view draws (webview/graph/model.ts): groups open or closed, edges lifted to closed
// groups and merged, an aggregate's dependencies on its own children counted on its box, stubs for
// unknown references, and the critical path over the whole tree.
import { strict as assert } from 'node:assert';
import type { TaskGraph } from '../../../protocol';
import { analyzer, dedent } from '../analysis/fixture';
import { COLLAPSE_ABOVE, GraphModel, type VisibleNode } from '../../../webview/graph/model';

function graphOf(text: string): TaskGraph {
  return { version: 1, ...analyzer().update(text).taskGraph() };
}

const TREE = dedent`
  tasks:
    - id: report
      dependencies: [a, b]
    - id: a
      parent_id: report
    - id: a1
      parent_id: a
    - id: a2
      parent_id: a
      dependencies: [a1]
    - id: b
      parent_id: report
      dependencies: [a2, { id: a1, required: false }, ghost]
`;

const shape = (nodes: VisibleNode[]): unknown[] => nodes.map((n) => (n.children.length ? { [n.index]: n.kind, inside: shape(n.children) } : { [n.index]: n.kind }));

describe('graph view: the model of what is drawn', () => {
  it('nests open groups and draws the edges between their contents', () => {
    const model = new GraphModel(graphOf(TREE));
    const shown = model.visible(() => true);
    assert.deepEqual(shape(shown.roots), [
      {
        0: 'group',
        inside: [{ 1: 'group', inside: [{ 2: 'task' }, { 3: 'task' }] }, { 4: 'task' }],
      },
    ]);
    assert.deepEqual(
      shown.edges.map((e) => [e.from, e.to, e.required, e.count]),
      [
        ['t2', 't3', true, 1],
        ['t3', 't4', true, 1],
        ['t2', 't4', false, 1],
        ['m0', 't4', true, 1],
      ],
    );
    // report depends on its children a and b: counted on its box, not drawn across its border.
    assert.equal(shown.roots[0].inner, 2);
    assert.deepEqual(shown.roots[0].children[1].stubs, [{ id: 'm0', ref: 'ghost', kind: 'dependency', required: true }]);
    assert.equal(shown.size, 6);
  });

  it('lifts the edges of a closed group to its box and merges them', () => {
    const model = new GraphModel(graphOf(TREE));
    const shown = model.visible((i) => i !== 1);
    assert.deepEqual(shape(shown.roots), [{ 0: 'group', inside: [{ 1: 'collapsed' }, { 4: 'task' }] }]);
    // a1 → b (optional) and a2 → b become one edge a → b, required because one of them is.
    assert.deepEqual(
      shown.edges.filter((e) => e.fromIndex >= 0).map((e) => [e.from, e.to, e.required, e.count]),
      [['t1', 't4', true, 2]],
    );
    assert.equal(shown.roots[0].children[0].inner, 1, 'a1 → a2 is inside the closed box');
    assert.deepEqual([...shown.shownBy], [0, 1, 1, 1, 4]);
  });

  it('starts groups of more than COLLAPSE_ABOVE tasks closed', () => {
    const lines = ['tasks:', '  - id: big', '  - id: small'];
    for (let i = 0; i <= COLLAPSE_ABOVE; i++) lines.push(`  - id: b${i}`, '    parent_id: big');
    for (let i = 0; i < 3; i++) lines.push(`  - id: s${i}`, '    parent_id: small');
    const model = new GraphModel(graphOf(`${lines.join('\n')}\n`));
    assert.equal(model.descendants[0], COLLAPSE_ABOVE + 1);
    assert.equal(model.expandedByDefault(0), false);
    assert.equal(model.expandedByDefault(1), true);
    const shown = model.visible((i) => model.expandedByDefault(i));
    assert.equal(shown.size, 2 + 3, 'the closed group is one box; the small one shows its three tasks');
  });

  it('marks a self-dependency on its task and keeps cycle edges marked', () => {
    const model = new GraphModel(
      graphOf(dedent`
        tasks:
          - id: a
            dependencies: [a, b]
          - id: b
            dependencies: [a]
      `),
    );
    const shown = model.visible(() => true);
    assert.equal(shown.roots[0].selfLoop, true);
    assert.deepEqual(
      shown.edges.map((e) => [e.from, e.to, e.cycle]),
      [
        ['t1', 't0', true],
        ['t0', 't1', true],
      ],
    );
  });

  it('finds the critical path over every task, by count before a run and by duration after', () => {
    const model = new GraphModel(graphOf(TREE));
    assert.deepEqual(model.criticalPath(new Map()), {
      tasks: [2, 3, 4, 0],
      total: 4,
      unit: 'tasks',
    });
    // The durations along a1 → a2 → b → report add up: 1000 + 10 + 5 + 1.
    const timed = model.criticalPath(
      new Map([
        [2, 1000],
        [3, 10],
        [4, 5],
        [0, 1],
      ]),
    );
    assert.deepEqual(timed, { tasks: [2, 3, 4, 0], total: 1016, unit: 'ms' });
  });
});
