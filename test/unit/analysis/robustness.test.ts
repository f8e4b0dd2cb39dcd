// Inputs found by fuzzing (issue 9): structure nested thousands of levels deep, line breaks written
// as a lone `\r`, and truncated text whose parser errors point past the end. Each must come out as
// ordinary diagnostics, in the document's own lines, inside the document.
import { strict as assert } from 'node:assert';
import { analyzeFile, type Diagnostic, type Position } from '../../../analysis';
import { analyze, analyzer, ANY_FILE, dedent, JSON_FILE, only, YAML_FILE } from './fixture';
import { DEEPEST_LINE, deeplyNested } from '../../fixtures/hostile';
import { step } from './incremental';

const TOO_DEEP = /nested too deeply to be read/;

/** The position just past the last character, counting `\r`, `\n` and `\r\n` as LSP does. */
function documentEnd(text: string): Position {
  const lines = text.split(/\r\n|\r|\n/);
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}

function insideDocument(text: string, diagnostics: readonly Diagnostic[]): void {
  const lines = text.split(/\r\n|\r|\n/);
  const end = documentEnd(text);
  for (const d of diagnostics) {
    for (const p of [d.range.start, d.range.end]) {
      const where = `${d.code} ${JSON.stringify(d.range)} in ${JSON.stringify(text.slice(0, 80))}`;
      assert.ok(p.line < end.line || (p.line === end.line && p.character <= end.character), `${where} ends past the document`);
      assert.ok(p.character <= lines[p.line].length, `${where} ends past its line`);
    }
  }
}

describe('analysis: robustness (issue 9)', () => {
  describe('structure nested 3,000 levels deep', () => {
    it('is a yaml-syntax error at the deepest line when the file is read item by item', () => {
      const text = deeplyNested(3000);
      const snapshot = analyzeFile(text, YAML_FILE, ANY_FILE);
      assert.equal(snapshot.parseMode, 'items');
      const errors = only(snapshot.diagnostics, 'yaml-syntax');
      assert.equal(errors.length, 1, JSON.stringify(snapshot.diagnostics.map((d) => d.message)));
      assert.match(errors[0].message, TOO_DEEP);
      insideDocument(text, snapshot.diagnostics);
    });

    it('is a yaml-syntax error, not a stack overflow, when the whole file is parsed at once', () => {
      // Content after the task list makes the core parse the file as one document.
      const text = deeplyNested(3000, 'extra: 1\n');
      const diagnostics = analyze(text);
      assert.deepEqual(
        diagnostics.map((d) => [d.code, d.range.start.line]),
        [['yaml-syntax', DEEPEST_LINE]],
      );
      assert.match(diagnostics[0].message, TOO_DEEP);
      insideDocument(text, diagnostics);
    });

    it('is a yaml-syntax error in a JSON file too', () => {
      const text = JSON.stringify({ tasks: [{ id: 'a', name: 'A', schemas: { method: 'command_executor' }, inputs: { deep: JSON.parse(`${'['.repeat(3000)}${']'.repeat(3000)}`) } }] });
      const errors = only(analyze(text, JSON_FILE), 'yaml-syntax');
      assert.equal(errors.length, 1);
      assert.match(errors[0].message, TOO_DEEP);
    });

    it('an analyzer that met one goes on analysing the next versions', () => {
      const a = analyzer();
      const fine = deeplyNested(3);
      step(a, fine, 'a shallow tree');
      step(a, deeplyNested(3000, 'extra: 1\n'), 'nesting it 3,000 deep');
      step(a, fine, 'back to the shallow tree');
    });
  });

  describe('a lone carriage return is a line break', () => {
    const LF = dedent`
      tasks:
        - id: a
          name: A
          schemas: { method: comand_executor }
        - id: b
          name: B
          parent_id: a
          schemas: { method: system_info_executor }
          dependencies: [ghost]
    `;

    for (const [name, eol] of [
      ['CR only', '\r'],
      ['CRLF', '\r\n'],
    ] as const) {
      it(`${name}: the same diagnostics on the same lines as with LF`, () => {
        const text = LF.replace(/\n/g, eol);
        const diagnostics = analyze(text);
        assert.deepEqual(
          diagnostics.map((d) => [d.code, d.range]),
          analyze(LF).map((d) => [d.code, d.range]),
        );
        const unknown = only(diagnostics, 'unknown-executor');
        assert.deepEqual(unknown[0].range.start, { line: 3, character: 23 });
        insideDocument(text, diagnostics);
      });
    }

    it('a CR-only file is read item by item and edited incrementally like any other', () => {
      const text = LF.replace(/\n/g, '\r');
      const a = analyzer();
      assert.equal(step(a, text, 'a CR-only file').parseMode, 'items');
      step(a, text.replace('name: B', 'name: Bee'), 'an edit in a value');
      step(a, text.replace('[ghost]', '[a]'), 'a dependency edit');
      step(a, `${text}  - id: c\r    name: C\r    parent_id: a\r`, 'a task appended');
      step(a, text.replace('name: A\r', 'name: A\n'), 'one line break written as LF');
    });

    it('positions of language features count the lone `\\r` too', () => {
      const text = LF.replace(/\n/g, '\r');
      const snapshot = analyzeFile(text, YAML_FILE, ANY_FILE);
      // `parent_id: a` on line 6 → the task `a` on line 1.
      const definition = snapshot.definition({ line: 6, character: 16 });
      assert.deepEqual(definition, [{ range: { start: { line: 1, character: 8 }, end: { line: 1, character: 9 } } }]);
    });
  });

  it('no diagnostic range ends past the end of the document, for every prefix of a tree', () => {
    const tree = dedent`
      version: 1
      executors:
        norm: { module: ./norm.mjs, input_schema: { type: object } }
      tasks:
        - id: a
          name: "A 😀"
          schemas: { method: aggregate_results_executor }
          dependencies: [b, { id: c, required: false }]
        - id: b
          name: 'B'
          parent_id: a
          inputs: { command: "echo [x]" }
          schemas:
            method: command_executor
        - {id: c, name: C, parent_id: a, params: {executor_id: norm}}
    `;
    for (const eol of ['\n', '\r\n', '\r']) {
      const text = tree.replace(/\n/g, eol);
      for (let n = 1; n <= text.length; n++) {
        const prefix = text.slice(0, n);
        insideDocument(prefix, analyze(prefix));
        insideDocument(prefix, analyze(prefix, JSON_FILE));
      }
    }
  });
});
