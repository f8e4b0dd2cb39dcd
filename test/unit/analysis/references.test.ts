// References (spec 1.3): resolved first as an id, then as a name. Positions (spec 2.1): LSP UTF-16
// columns, exact for YAML and JSON, with multi-byte characters before the range on the same line.
import { strict as assert } from 'node:assert';
import { analyzeFile } from '../../../analysis';
import { analyze, ANY_FILE, dedent, expectAt, JSON_FILE, mark, only, textAt, YAML_FILE } from './fixture';

describe('analysis: references and positions (spec 1.3, 2.1)', () => {
  describe('resolution', () => {
    // `p` is named `shared`; `q` has the id `shared`. A reference `shared` means q.
    const TREE = dedent`
      tasks:
        - id: root
          name: Root
          schemas: { method: aggregate_results_executor }
          dependencies: [shared]
        - id: p
          name: shared
          parent_id: root
          schemas: { method: system_info_executor }
        - id: shared
          name: Q
          parent_id: Root
          schemas: { method: nope_executor }
    `;

    it('prefers an id over a name', () => {
      const { model, diagnostics } = analyzeFile(TREE, YAML_FILE, ANY_FILE);
      assert.equal(model.resolve('shared')?.index, 2);
      assert.equal(model.tasks[0].dependencies[0].target, 2);
      // Root depends on q (unknown executor), so it never runs; p is not involved.
      assert.deepEqual(
        only(diagnostics, 'unreachable').map((d) => d.message),
        ["never runs: requires shared, whose executor 'nope_executor' is unknown"],
      );
      assert.deepEqual(
        only(diagnostics, 'parent-ordering').map((d) => d.task),
        ['p'],
      );
    });

    it('falls back to the name, and names tasks by id in messages', () => {
      const { model, diagnostics } = analyzeFile(TREE, YAML_FILE, ANY_FILE);
      assert.equal(model.resolve('Root')?.index, 0);
      assert.equal(model.tasks[2].parent, 0);
      assert.equal(model.resolve('Q')?.index, 2);
      assert.equal(model.resolve('nothing'), undefined);
      assert.ok(diagnostics.every((d) => d.code !== 'unknown-reference'));
    });

    it('reaches a task without id by its name only, and messages use that name', () => {
      const { diagnostics } = expectAt(
        dedent`
          tasks:
            - id: root
              name: Root
              schemas: { method: aggregate_results_executor }
              dependencies: [Helper, «helper»]
            - name: Helper
              parent_id: root
              schemas: { method: system_info_executor }
        `,
        'unknown-reference',
        'error',
      );
      assert.match(diagnostics[0].message, /'helper'.*did you mean 'Helper'/);
    });

    it('resolves dependency mappings by id or by name', () => {
      const all = analyze(dedent`
        tasks:
          - id: root
            name: Root
            schemas: { method: aggregate_results_executor }
            dependencies: [{ id: a }, { name: Bee, required: false }]
          - { id: a, name: A, parent_id: root, schemas: { method: system_info_executor } }
          - { id: b, name: Bee, parent_id: root, schemas: { method: system_info_executor } }
      `);
      assert.deepEqual(all, []);
    });
  });

  describe('UTF-16 positions', () => {
    it('counts an emoji as two units and a CJK character as one before a reference', () => {
      const { text, diagnostics } = expectAt(
        dedent`
          tasks:
            - id: root
              name: "报告 📊"
              schemas: { method: aggregate_results_executor }
              dependencies: [{ name: "数据 😀" }, «fetch_usrs»]
            - id: fetch_users
              name: "数据 😀"
              parent_id: "报告 📊"
              schemas: { method: system_info_executor }
        `,
        'unknown-reference',
        'error',
      );
      assert.equal(textAt(text, diagnostics[0].range), 'fetch_usrs');
      // Independently: the line up to the reference, in UTF-16 units.
      const line = text.split('\n')[4];
      assert.equal(diagnostics[0].range.start.character, line.indexOf('fetch_usrs'));
      assert.equal(diagnostics[0].range.start.character, [...line.slice(0, line.indexOf('fetch_usrs'))].length + 1);
    });

    it('places ranges after astral characters in keys and values, also for the fix edits', () => {
      const { text, diagnostics } = expectAt(
        dedent`
          tasks:
            - id: "🚀🚀"
              name: "🚀 launch"
              schemas: { method: system_info_executor }
              inputs: { note: "𝄞𝄞𝄞", resource: «gpu» }
        `,
        'invalid-inputs',
        'error',
      );
      assert.equal(diagnostics[0].task, '🚀🚀');
      assert.equal(textAt(text, diagnostics[0].range), 'gpu');
    });

    it('keeps positions exact on lines after multi-byte text (CRLF line ends too)', () => {
      const source = dedent`
        description: "日本語の説明 🎌"
        tasks:
          - id: root
            name: Root
            schemas: { method: «system_info_exector» }
      `;
      const { ranges, text } = mark(source);
      const crlf = text.replace(/\n/g, '\r\n');
      for (const t of [text, crlf]) {
        const d = only(analyze(t), 'unknown-executor');
        assert.deepEqual(
          d.map((x) => x.range),
          ranges,
        );
      }
    });
  });

  describe('JSON files', () => {
    it('reports exact positions in a .apflow.json mapping', () => {
      const { text, ranges } = mark(
        '{\n' +
          '  "version": «2»,\n' +
          '  "tasks": [\n' +
          '    {"id": "root", "name": "Root", "schemas": {"method": "aggregate_results_executor"}, "dependencies": [«"ghost"»]},\n' +
          '    {"id": "a", "name": "A", "parent_id": «"root"», "schemas": {"method": «"sytem_info_executor"»}, «"dependancies"»: []}\n' +
          '  ]\n' +
          '}\n',
      );
      const all = analyze(text, JSON_FILE);
      assert.deepEqual(
        all.map((d) => [d.code, d.range]),
        [
          ['unsupported-version', ranges[0]],
          ['unknown-reference', ranges[1]],
          ['parent-ordering', ranges[2]],
          ['unknown-executor', ranges[3]],
          ['unknown-key', ranges[4]],
        ],
      );
      assert.equal(textAt(text, all[1].range), '"ghost"');
    });

    it('reports a JSON syntax error as yaml-syntax without losing the file', () => {
      const text = '[\n  {"id": "root", "name": "Root", "schemas": {"method": "system_info_executor"}, "inputs": {"resource": "gpu"}\n  {"id": "b"}\n]\n';
      const all = analyze(text, JSON_FILE);
      assert.ok(only(all, 'yaml-syntax').length >= 1, JSON.stringify(all));
    });
  });
});
