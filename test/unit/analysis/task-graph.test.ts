// The graph view's model (analysis/features/task-graph.ts): nodes with what their boxes show, nesting
// with parent loops cut, edges (optional and cycle ones marked) and references that name no task.
import { strict as assert } from 'node:assert';
import type { TaskGraphData } from '../../../analysis';
import { analyzer, dedent } from './fixture';

function graphOf(text: string): TaskGraphData {
  return analyzer().update(text).taskGraph();
}

const TREE = dedent`
  tasks:
    - id: root
      name: Nightly report
      schemas: { method: aggregate_results_executor }
      dependencies: [fetch, { id: format, required: false }]
    - id: fetch
      parent_id: root
      priority: 0
      schemas: { method: rest_executor }
    - name: format
      parent_id: root
      schemas: { method: command_executor }
      dependencies: [fetch]
`;

describe('analysis: the task graph of the graph view', () => {
  it('lists every task with its key, label, executor, priority, parent and ranges', () => {
    const { nodes } = graphOf(TREE);
    assert.deepEqual(
      nodes.map(({ index, id, key, name, label, executor, priority, parent }) => ({ index, id, key, name, label, executor, priority, parent })),
      [
        { index: 0, id: 'root', key: 'root', name: 'Nightly report', label: 'Nightly report', executor: 'aggregate_results_executor', priority: 2, parent: -1 },
        { index: 1, id: 'fetch', key: 'fetch', name: null, label: 'fetch', executor: 'rest_executor', priority: 0, parent: 0 },
        { index: 2, id: null, key: 'format', name: 'format', label: 'format', executor: 'command_executor', priority: 2, parent: 0 },
      ],
    );
    // 0-based lines: `- id: root` is line 1; the selection is the name, else the id.
    assert.deepEqual(nodes[0].range.start, { line: 1, character: 0 }, 'from the start of the line of its `-`');
    assert.deepEqual(nodes[0].selectionRange, { start: { line: 2, character: 10 }, end: { line: 2, character: 24 } });
    assert.deepEqual(nodes[1].selectionRange.start, { line: 5, character: 8 });
    assert.equal(nodes[2].range.start.line, 9);
  });

  it('draws each dependency once, from the task depended on to its dependent, optional ones marked', () => {
    const { edges, dangling } = graphOf(TREE);
    assert.deepEqual(edges, [
      { from: 1, to: 0, required: true, cycle: false },
      { from: 2, to: 0, required: false, cycle: false },
      { from: 1, to: 2, required: true, cycle: false },
    ]);
    assert.deepEqual(dangling, []);
  });

  it('marks the edges of a dependency cycle and a self-dependency, and only those', () => {
    const { edges } = graphOf(dedent`
      tasks:
        - id: a
          dependencies: [b]
        - id: b
          dependencies: [c, b]
        - id: c
          dependencies: [a]
        - id: d
          dependencies: [a]
    `);
    assert.deepEqual(
      edges.map((e) => [e.from, e.to, e.cycle]),
      [
        [1, 0, true],
        [2, 1, true],
        [1, 1, true],
        [0, 2, true],
        [0, 3, false],
      ],
    );
  });

  it('keeps references that name no task as dangling, dependencies and parents alike', () => {
    const { nodes, dangling } = graphOf(dedent`
      tasks:
        - id: a
          parent_id: nowhere
          dependencies: [ghost, { id: spectre, required: false }]
    `);
    assert.equal(nodes[0].parent, -1);
    assert.deepEqual(dangling, [
      { task: 0, ref: 'nowhere', kind: 'parent', required: false },
      { task: 0, ref: 'ghost', kind: 'dependency', required: true },
      { task: 0, ref: 'spectre', kind: 'dependency', required: false },
    ]);
  });

  it('cuts a parent_id loop so that the boxes still nest', () => {
    const { nodes } = graphOf(dedent`
      tasks:
        - id: a
          parent_id: c
        - id: b
          parent_id: a
        - id: c
          parent_id: b
        - id: d
          parent_id: b
    `);
    const parents = nodes.map((n) => n.parent);
    // The walk from a meets a again at a: a goes to the top, b under a, c under b, d under b.
    assert.deepEqual(parents, [-1, 0, 1, 1]);
  });

  it('still draws a file with errors: what parsed is there', () => {
    const { nodes, edges } = graphOf(dedent`
      tasks:
        - id: ok
          schemas: { method: command_executor }
        - id: broken
          dependencies: [ok
        - id: later
          dependencies: [ok]
    `);
    assert.ok(nodes.some((n) => n.key === 'ok'));
    assert.ok(nodes.some((n) => n.key === 'later'));
    assert.ok(edges.some((e) => nodes[e.from].key === 'ok' && nodes[e.to].key === 'later'));
  });

  it('builds the graph of a 20,000-deep parent chain without overflowing the stack', () => {
    const lines = ['tasks:', '  - id: t0'];
    for (let i = 1; i < 20_000; i++) lines.push(`  - id: t${i}`, `    parent_id: t${i - 1}`);
    const { nodes } = graphOf(`${lines.join('\n')}\n`);
    assert.equal(nodes.length, 20_000);
    assert.equal(nodes[19_999].parent, 19_998);
  });
});
