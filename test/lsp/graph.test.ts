// apflow/graph over real JSON-RPC against the built server: the graph view's nodes, edges, cycles and
// dangling references for the current version, for a clean file, a file with errors and any text.
import assert from 'node:assert/strict';
import type { TaskGraph } from '../../protocol';
import { CHAIN, Workspace } from './fixtures';
import { LspClient, positionOf } from './lsp-client';

const BROKEN = `tasks:
  - id: a
    name: "Step 📊 A"
    dependencies: [c, ghost]
  - id: b
    dependencies: [a]
  - id: c
    dependencies: [b]
  - id: d
    parent_id: a
    dependencies: [{ id: a, required: false }
`;

describe('language server: apflow/graph', function () {
  const ws = new Workspace();
  let client: LspClient;
  let counter = 0;
  before(async () => (client = await LspClient.start()));
  after(async () => {
    await client.stop();
    ws.remove();
  });

  async function open(text: string): Promise<string> {
    const uri = ws.uri(`graph${++counter}.apflow.yaml`);
    await client.open(uri, text);
    await client.current(uri);
    return uri;
  }
  const graphOf = (uri: string) => client.request<TaskGraph | null>('apflow/graph', { textDocument: { uri } });

  it('answers the tasks, their nesting and dependency edges of the current version', async () => {
    const uri = await open(CHAIN);
    const graph = await graphOf(uri);
    assert.ok(graph);
    assert.equal(graph.version, 1);
    const keys = graph.nodes.map((n) => n.key);
    assert.deepEqual(keys.slice(0, 4), ['root', 'load', 'parse', 'fetch']);
    assert.deepEqual(graph.nodes.slice(1, 4).map((n) => n.parent), [0, 0, 0]);
    const edge = (from: string, to: string) => graph.edges.find((e) => keys[e.from] === from && keys[e.to] === to);
    assert.deepEqual(edge('load', 'root'), { from: 1, to: 0, required: true, cycle: false });
    assert.ok(edge('fetch', 'parse'), 'a reference by name resolves to its task');
    assert.equal(graph.nodes[1].selectionRange.start.line, positionOf(CHAIN, 'Load rows').line);

    await client.replaceAll(uri, CHAIN.replace('      - parse', '      - parse\n      - fetch'));
    const next = await graphOf(uri);
    assert.equal(next?.version, 2);
    assert.equal(next?.edges.length, graph.edges.length + 1);
  });

  it('draws a file with errors: a cycle marked, an unknown reference dangling, UTF-16 positions', async () => {
    const uri = await open(BROKEN);
    const graph = await graphOf(uri);
    assert.ok(graph);
    const keys = graph.nodes.map((n) => n.key);
    assert.ok(keys.includes('a') && keys.includes('b') && keys.includes('c'));
    const cycle = graph.edges.filter((e) => e.cycle).map((e) => `${keys[e.from]}→${keys[e.to]}`);
    assert.deepEqual(cycle.sort(), ['a→b', 'b→c', 'c→a']);
    assert.deepEqual(graph.dangling, [{ task: 0, ref: 'ghost', kind: 'dependency', required: true }]);
    // The name's range ends after the emoji, counted as two UTF-16 units.
    assert.deepEqual(graph.nodes[0].selectionRange.end, { line: 2, character: 10 + '"Step 📊 A"'.length });
  });

  it('answers null for a document that is not open, and a graph for any text', async () => {
    assert.equal(await graphOf(ws.uri('never-opened.apflow.yaml')), null);
    for (const text of ['', '[', 'tasks: [', 'tasks:\n  - id: a\n  - {', '\r- id: a\r  name: b\r', `tasks:\n${'  - '.repeat(200)}x\n`]) {
      const graph = await graphOf(await open(text));
      assert.ok(graph, JSON.stringify(text));
      for (const e of graph.edges) assert.ok(e.from < graph.nodes.length && e.to < graph.nodes.length);
    }
  });
});
