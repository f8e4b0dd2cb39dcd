// The outline of a large file is capped (apflow.outline.maxItems): tasks are kept level by level, the
// subtrees left whole are the core's own nodes (their JSON is reused), and one last symbol says how many
// tasks are not listed and stands where the first of them starts.
import assert from 'node:assert/strict';
import type { DocumentSymbol, SymbolInformation } from 'vscode-languageserver/node';
import { cappedOutline } from '../../../server/outline-cap';
import { documentSymbolsResult, flatSymbols } from '../../../server/symbols';
import { analyzer } from '../analysis/fixture';

/** root → groups g1, g2 → tasks g1a, g1b, g2a, g2b, each four lines (root three): g1b starts on line 16. */
const TREE = [
  'tasks:',
  ...['root', 'g1', 'g2', 'g1a', 'g1b', 'g2a', 'g2b'].flatMap((id) => {
    const parent = id === 'root' ? [] : [`    parent_id: ${id.length === 2 ? 'root' : id.slice(0, 2)}`];
    return [`  - id: ${id}`, `    name: Task ${id}`, ...parent, '    schemas: { method: aggregate_results_executor }'];
  }),
  '',
].join('\n');

const outlineOf = (max: number) => cappedOutline(analyzer().update(TREE, 1).documentSymbols(), max);
const symbols = (max: number) => JSON.parse(documentSymbolsResult(outlineOf(max)).json) as DocumentSymbol[];
const names = (list: DocumentSymbol[]): unknown[] => list.map((s) => (s.children?.length ? [s.name, names(s.children)] : s.name));

describe('server: the capped outline (apflow.outline.maxItems)', () => {
  it('lists every task when the file has no more than the cap', () => {
    assert.deepEqual(names(symbols(7)), [['Task root', [['Task g1', ['Task g1a', 'Task g1b']], ['Task g2', ['Task g2a', 'Task g2b']]]]]);
    assert.equal(outlineOf(7).omitted, 0);
  });

  it('keeps whole levels first and sums up the rest in one last symbol at the first task left out', () => {
    const list = symbols(4);
    assert.deepEqual(names(list), [['Task root', [['Task g1', ['Task g1a']], 'Task g2']], '3 more tasks are not listed']);
    const summary = list[1];
    assert.equal(summary.detail, 'raise apflow.outline.maxItems to list them');
    // The summary is an empty range at the start of g1b's `- id:` line.
    assert.deepEqual(summary.range, { start: { line: 16, character: 0 }, end: { line: 16, character: 0 } });
    assert.deepEqual(summary.selectionRange, summary.range);
  });

  it('shares the nodes of subtrees it keeps whole and replaces only those at the cut', () => {
    const full = analyzer().update(TREE, 1).documentSymbols();
    const capped = cappedOutline(full, 4).tree;
    const [root] = full;
    const [cappedRoot] = capped;
    assert.notEqual(cappedRoot, root);
    assert.equal(cappedRoot.children[1].item, root.children[1].item);
    assert.notEqual(cappedRoot.children[1], root.children[1], 'g2 lost its children');
    assert.equal(cappedOutline(full, 7).tree, full);
  });

  it('a cap of 0 lists no task, only the summary', () => {
    assert.deepEqual(names(symbols(0)), ['7 more tasks are not listed']);
  });

  it('caps the flat list of clients without hierarchical symbols the same way', () => {
    const flat: SymbolInformation[] = flatSymbols(outlineOf(2), 'file:///t.apflow.yaml');
    assert.deepEqual(
      flat.map((s) => [s.name, s.containerName ?? null]),
      [
        ['Task root', null],
        ['Task g1', 'Task root'],
        ['5 more tasks are not listed', null],
      ],
    );
  });
});
