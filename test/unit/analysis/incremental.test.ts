// Incremental analysis (spec 2.5): a DocumentAnalyzer fed successive versions of a document must give
// exactly what a fresh analysis of each version gives, and must skip the whole-file graph checks when
// nothing the graph depends on changed.
import { strict as assert } from 'node:assert';
import { analyzer, ANY_FILE, dedent, only, YAML_FILE } from './fixture';
import { DocumentModel } from '../../../analysis/document';
import type { DocumentState } from '../../../analysis/state';
import { bigTree, step } from './incremental';

const TREE = dedent`
  version: 1
  description: Nightly report
  tasks:
    - id: root
      name: Root
      schemas: { method: aggregate_results_executor }
      dependencies: [cpu, disk]
    - id: cpu
      name: CPU
      parent_id: root
      schemas: { method: system_info_executor }
      inputs: { resource: cpu }
    - id: disk
      name: Disk
      parent_id: root
      schemas: { method: command_executor }
      inputs: { command: "df -h ." }
      priority: 1
`;

const DISK = dedent`
  - id: disk
    name: Disk
    parent_id: root
    schemas: { method: command_executor }
    inputs: { command: "df -h ." }
    priority: 1
`;

describe('analysis: incremental updates (spec 2.5)', () => {
  it('agrees with a fresh analysis through a sequence of typical edits', () => {
    const a = analyzer();
    let text = TREE;
    const edit = (next: string, what: string) => {
      assert.notEqual(next, text, `the edit "${what}" changes the text`);
      text = next;
      return step(a, text, what);
    };
    step(a, text, 'the first version');
    edit(text.replace('resource: cpu', 'resource: gpu'), 'an edit inside a task');
    edit(text.replace('resource: gpu', 'resource: cpu'), 'undoing it');
    edit(`${text}  - id: mem\n    name: Memory\n    parent_id: root\n    schemas: { method: system_info_executor }\n`, 'adding a task at the end');
    edit(text.replace('  - id: disk\n', '  - id: net\n    name: Net\n    parent_id: root\n    schemas: { method: rest_executor }\n  - id: disk\n'), 'inserting a task in the middle');
    edit(text.replace(/ {2}- id: net\n(?: {4}.*\n)*/, ''), 'deleting a task');
    edit(text.replace('description: Nightly report', 'description: Nightly report, v2'), 'editing the header');
    edit(text.replace('version: 1\n', 'version: 1\nexecutors:\n  fmt:\n    module: ./fmt.mjs\n'), 'declaring an executor in the header');
    edit(text.replace('    name: CPU\n', '   name: CPU\n'), 'breaking the indentation');
    edit(text.replace('   name: CPU\n', '    name: CPU\n'), 'restoring it');
    edit(text.replace('    parent_id: root\n    schemas: { method: system_info_executor }\n', '    parent_id: root\n'), 'removing an executor');
    edit(`${text}${DISK.replace(/disk/g, 'disk2').replace('Disk', 'Disk 2').replace(/^/gm, '  ')}${DISK.replace(/disk/g, 'disk3').replace('Disk', 'Disk 3').replace(/^/gm, '  ')}`, 'pasting several tasks');
    edit(text.replace('dependencies: [cpu, disk]', 'dependencies: [cpu, disk, disk2, disk3]'), 'completing a dependency list');
    // Typing a new top-level key after the task list, one character at a time.
    for (const typed of ['v', 've', 'ver', 'vers', 'versi', 'versio', 'version', 'version:', 'version: ', 'version: 2']) {
      edit(`${TREE.replace('version: 1\n', '')}${typed}\n`, `typing "${typed}" after the task list`);
    }
    edit(TREE, 'replacing the whole document');
    edit(TREE.replace(/\n/g, '\r\n'), 'switching to CRLF line ends');
    edit(TREE, 'and back');
    edit('', 'emptying the document');
    edit(TREE, 'pasting it back');
  });

  it('agrees when a task item is broken and mended character by character', () => {
    const a = analyzer();
    let text = TREE;
    step(a, text, 'start');
    const target = '      schemas: { method: system_info_executor }\n';
    const at = text.indexOf(target) + target.indexOf('{');
    for (let i = 0; i < 12; i++) {
      text = text.slice(0, at + 1) + text.slice(at + 2);
      step(a, text, `deleting character ${i + 1} inside a flow mapping`);
    }
    text = TREE;
    step(a, text, 'restored');
    const dash = text.indexOf('  - id: disk');
    text = `${text.slice(0, dash)}${text.slice(dash + 2)}`;
    step(a, text, 'an item dedented to the task list key');
    text = TREE;
    step(a, text, 'restored again');
  });

  it('agrees on a bare-sequence file and a JSON file', () => {
    const seq = TREE.replace(/^(version|description).*\n/gm, '').replace('tasks:\n', '').replace(/^ {2}/gm, '');
    const a = analyzer();
    step(a, seq, 'a bare sequence');
    step(a, seq.replace('parent_id: root\n', ''), 'a second root');
    step(a, seq, 'back');
    const jsonName = '/ws/flows/tree.apflow.json';
    const json = JSON.stringify([{ id: 'root', name: 'Root', schemas: { method: 'system_info_executor' } }], null, 2);
    const b = analyzer(jsonName);
    step(b, json, 'JSON', jsonName);
    step(b, json.replace('system_info_executor', 'system_info_executr'), 'a JSON edit', jsonName);
  });

  it('re-runs the graph checks only when the graph may have changed', () => {
    const a = analyzer();
    a.update(bigTree());
    const base = bigTree();
    const cases: [string, string, boolean][] = [
      ['an input value', base.replace('inputs: { command: "echo 7" }', 'inputs: { command: "echo seven" }'), false],
      // priority-overuse and parent-ordering read priorities: a whole-file check must see the edit.
      ['a priority', base.replace('    priority: 1\n', '    priority: 0\n'), true],
      ['a comment', base.replace('# results feed the next step', '# results feed the step after'), false],
      ['a schedule', base.replace('"1,3 09:30"', '"2 10:00"'), false],
      ['an id', base.replace('  - id: t20\n', '  - id: t20b\n'), true],
      ['a name', base.replace('name: "Task 12"', 'name: "Task twelve"'), true],
      ['a parent_id', base.replace(/(- id: t13\n.*\n {4}parent_id: )root/, '$1t12'), true],
      ['a dependency', base.replace('dependencies: [t12]', 'dependencies: [t11]'), true],
      ['a dependency becoming optional', base.replace('{ name: "Task 13", required: false }', '{ name: "Task 13", required: true }'), true],
      ['an executor', base.replace('schemas: { method: rest_executor }', 'schemas: { method: system_info_executor }'), true],
      ['params.executor_id', base.replace('params: { executor_id: normalize }', 'params: { executor_id: normalise }'), true],
    ];
    for (const [what, text, expected] of cases) {
      assert.notEqual(text, base, `the edit of ${what} applies`);
      step(a, text, `an edit of ${what}`);
      assert.equal(a.recomputedGraph, expected, `recomputedGraph after an edit of ${what}`);
      step(a, base, `undoing the edit of ${what}`);
      assert.equal(a.recomputedGraph, expected, `recomputedGraph after undoing the edit of ${what}`);
    }
  });

  it('keeps graph diagnostics in place when an unrelated edit moves them', () => {
    const a = analyzer();
    const base = bigTree();
    const before = only(a.update(base).diagnostics, 'unknown-reference');
    assert.ok(before.length > 0, 'the tree has unknown references to move');
    const text = base.replace('description: "Incremental 🧪 tree"\n', 'description: "Incremental 🧪 tree"\n').replace('  - id: t1\n', '  # a comment\n  # two lines\n  - id: t1\n');
    const after = only(step(a, text, 'two comment lines above the tasks').diagnostics, 'unknown-reference');
    assert.equal(a.recomputedGraph, false);
    assert.deepEqual(
      after.map((d) => d.range.start.line),
      before.map((d) => d.range.start.line + 2),
    );
  });

  it('keeps the findings of the checks that read no dependency while only dependency lists change, and no longer', () => {
    const model = new DocumentModel({ fileName: YAML_FILE, env: ANY_FILE });
    const base = bigTree().replace('schemas: { method: rest_executor }', 'schemas: { method: rest_exec }');
    const unknownExecutor = (state: DocumentState) => state.graph.findings.filter((f) => f.code === 'unknown-executor');
    const before = unknownExecutor(model.update(base));
    assert.ok(before.length > 0, 'the tree has an unknown executor');
    const a = analyzer();
    step(a, base, 'the first version');
    for (const [what, text] of [
      ['a dependency', base.replace('dependencies: [t12]', 'dependencies: [t11]')],
      ['a dependency that resolves to nothing', base.replace('dependencies: [t12]', 'dependencies: [t12x]')],
      ['a dependency becoming optional', base.replace('{ name: "Task 13", required: false }', '{ name: "Task 13", required: true }')],
    ]) {
      assert.notEqual(text, base, `the edit of ${what} applies`);
      step(a, text, `an edit of ${what}`);
      assert.equal(a.recomputedGraph, true, `the graph checks re-ran after an edit of ${what}`);
      const kept = unknownExecutor(model.update(text));
      assert.equal(kept.length, before.length);
      kept.forEach((f, i) => assert.equal(f, before[i], `the unknown-executor finding is the one from before the edit of ${what}`));
      model.update(base);
    }
    const fixed = base.replace('schemas: { method: rest_exec }', 'schemas: { method: rest_executor }').replace('dependencies: [t12]', 'dependencies: [t11]');
    step(a, fixed, 'an edit of an executor and a dependency at once');
    assert.ok(unknownExecutor(model.update(fixed)).length < before.length, 'the fixed executor is no longer reported');
  });
});
