// The outline is written as JSON text from per-task fragments that later versions reuse (issue 9):
// after every kind of edit the text must be what a fresh analysis of the same text gives, and the
// fragments of tasks an edit did not touch must be reused, not rebuilt.
import assert from 'node:assert/strict';
import type { DocumentSymbol } from 'vscode-languageserver/node';
import type { DocumentAnalyzer } from '../../../analysis';
import { cappedOutline } from '../../../server/outline-cap';
import { documentSymbolsResult } from '../../../server/symbols';
import { analyzer as newAnalyzer } from '../analysis/fixture';

const V1 = [
  'tasks:',
  '  - id: root',
  '    name: Root',
  '    schemas: { method: aggregate_results_executor }',
  '  - id: a',
  '    name: Task A',
  '    parent_id: root',
  '    schemas: { method: command_executor }',
  '  - parent_id: root',
  '    priority: 1',
  '  - id: b',
  '    name: Task B 😀',
  '    parent_id: a',
  '    schemas: { method: command_executor }',
  '',
].join('\n');

const symbolsOf = (analyzer: DocumentAnalyzer, text: string, version: number): DocumentSymbol[] =>
  JSON.parse(documentSymbolsResult(cappedOutline(analyzer.update(text, version).documentSymbols(), Infinity)).json) as DocumentSymbol[];

const fresh = (text: string) => symbolsOf(newAnalyzer(), text, 1);

describe('server: the outline as JSON text', () => {
  it('after each edit equals the outline of a fresh analysis of the same text', () => {
    const analyzer = newAnalyzer();
    const versions = [
      V1,
      V1.replace('name: Task A', 'name: Task AB'),
      V1.replace('tasks:\n', 'tasks:\n  - id: first\n    name: First\n\n'),
      V1.replace('  - parent_id: root\n    priority: 1\n', ''),
      V1.replace('  - parent_id: root\n', '  - id: c\n    parent_id: root\n  - parent_id: root\n'),
      V1.replace('parent_id: a', 'parent_id: root'),
      V1,
    ];
    versions.forEach((text, i) => assert.deepEqual(symbolsOf(analyzer, text, i + 1), fresh(text), `version ${i + 1}`));
  });

  it('names the executor as detail, and leaves detail out where a task names none', () => {
    const [root] = fresh(V1);
    assert.equal(root.detail, 'aggregate_results_executor');
    const unnamed = root.children?.find((c) => c.name !== 'Task A');
    assert.ok(unnamed);
    assert.equal('detail' in unnamed, false);
  });

  it('reuses the outline items of the tasks an edit left alone', () => {
    const analyzer = newAnalyzer();
    const items = (text: string, version: number) => {
      const out = [];
      const stack = [...analyzer.update(text, version).documentSymbols()];
      while (stack.length) {
        const node = stack.pop() as (typeof stack)[number];
        out.push(node.item);
        stack.push(...node.children);
      }
      return new Map(out.map((item) => [item.name, item]));
    };
    const before = items(V1, 1);
    const after = items(V1.replace('name: Task A', 'name: Task AB'), 2);
    assert.equal(after.get('Root'), before.get('Root'));
    assert.equal(after.get('Task B 😀'), before.get('Task B 😀'));
    assert.notEqual(after.get('Task AB'), undefined);
  });

  it('shares the nodes of subtrees an edit left alone, and an older version still lists its own names', () => {
    const analyzer = newAnalyzer();
    const v1 = analyzer.update(V1, 1);
    const first = v1.documentSymbols();
    const v2 = analyzer.update(V1.replace('name: Task B 😀', 'name: Task C'), 2);
    const [root] = v2.documentSymbols();
    const [oldRoot] = first;
    assert.notEqual(root, oldRoot, 'an ancestor of the edited task is a new node');
    const unnamed = (node: typeof root) => node.children.find((c) => c.item.name !== 'Task A');
    assert.equal(unnamed(root), unnamed(oldRoot), 'the untouched sibling is the same node');
    assert.equal(root.children.find((c) => c.item.name === 'Task A')?.children[0].item.name, 'Task C');
    // Version 1 asked only now, after version 2 was built from its outline: still its own text.
    const stale = newAnalyzer();
    const s1 = stale.update(V1, 1);
    stale.update(V1.replace('name: Task B 😀', 'name: Task C'), 2).documentSymbols();
    assert.deepEqual(JSON.parse(documentSymbolsResult(cappedOutline(s1.documentSymbols(), Infinity)).json), fresh(V1));
  });
});
