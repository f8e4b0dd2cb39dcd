// The tree-test file model (issue 14): its JSON Schema is valid draft-07, the example test file
// matches it, and cases, mocks, expectations and the ids they name are read with their LSP ranges.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { analyzeFile } from '../../../analysis';
import { isTestFile, parseTestFile, testCompletion, testDefinition, testFileDiagnostics, testHover, type TreeView } from '../../../analysis/testing';
import { random } from '../../fixtures/random';

const ROOT = join(__dirname, '../../..');
const schema = JSON.parse(readFileSync(join(ROOT, 'schemas/apflow-test.schema.json'), 'utf8')) as object;

const TEXT = `tree: etl.apflow.yaml
cases:
  - name: upstream down
    mocks:
      fetch: { fail: "upstream returned 503" }
      executor:rest_executor: { result: { rows: 3 }, delay_ms: 50 }
    inputs:
      parse: { strict: true }
    expect:
      status: failed
      tasks:
        publish: { blocked_by: fetch, status: pending }
      order: [[fallback, summary]]
  - name: unit
    executor: normalize_users
    inputs: { users: [] }
    expect: { result_subset: { count: 1 } }
`;

/** A tree of one task `fetch`, as a test file's host hands it to the features. */
function oneTaskTree(): TreeView {
  const tree = analyzeFile('tasks:\n  - id: fetch\n    name: Fetch\n    schemas: { method: system_info_executor }\n', '/x/etl.apflow.yaml', {
    fileExists: () => true,
  });
  return { ok: true, path: '/x/etl.apflow.yaml', name: 'etl.apflow.yaml', text: tree.text, model: tree.model };
}

describe('analysis: tree-test files (issue 14)', () => {
  it('has a valid draft-07 schema that the example test file satisfies', () => {
    const validate = new Ajv({ strict: false }).compile(schema);
    const example = parse(readFileSync(join(ROOT, 'examples/etl.apflow.test.yaml'), 'utf8')) as unknown;
    assert.equal(validate(example), true, JSON.stringify(validate.errors));
  });

  it('recognises test files by name', () => {
    assert.deepEqual(['etl.apflow.test.yaml', 'a/b.apflow.test.yml', 'etl.apflow.yaml', 'etl.test.yaml'].map(isTestFile), [true, true, false, false]);
  });

  it('reads cases, mocks and expectations with the 0-based range each is written at', () => {
    const file = parseTestFile(TEXT);
    assert.deepEqual(file.diagnostics, []);
    assert.deepEqual(file.tree, {
      value: 'etl.apflow.yaml',
      range: {
        start: { line: 0, character: 6 },
        end: { line: 0, character: 21 },
      },
    });
    const [tree, unit] = file.cases;
    assert.equal(tree.range.start.line, 2);
    assert.deepEqual(
      tree.mocks.map((m) => [m.kind, m.id, m.fail, m.hasResult, m.delayMs, m.range.start.line]),
      [
        ['task', 'fetch', 'upstream returned 503', false, 0, 4],
        ['executor', 'rest_executor', null, true, 50, 5],
      ],
    );
    assert.deepEqual(tree.inputs, { parse: { strict: true } });
    assert.deepEqual(
      tree.expectations.map((e) => [e.kind, e.task, e.value, e.range.start.line, e.range.start.character]),
      [
        ['status', null, 'failed', 9, 14],
        ['blocked_by', 'publish', 'fetch', 11, 31],
        ['status', 'publish', 'pending', 11, 46],
        ['order', null, ['fallback', 'summary'], 12, 14],
      ],
    );
    assert.deepEqual(unit.executor?.value, 'normalize_users');
    assert.deepEqual(
      unit.expectations.map((e) => e.kind),
      ['result_subset'],
    );
    assert.deepEqual(
      file.refs.map((r) => `${r.kind} ${r.id} ${r.range.start.line}:${r.range.start.character}`),
      [
        'task fetch 4:6',
        'executor rest_executor 5:6',
        'task parse 7:6',
        'task publish 11:8',
        'task fetch 11:31',
        'task fallback 12:15',
        'task summary 12:25',
        'executor normalize_users 14:14',
      ],
    );
  });

  it('reports syntax and schema problems at their line, and never throws on any text', () => {
    assert.equal(parseTestFile('tree: [unclosed\n').diagnostics[0].code, 'yaml-syntax');
    const both = parseTestFile('tree: x.apflow.yaml\ncases:\n  - name: a\n    mocks: { t: { result: 1, fail: no } }\n');
    assert.deepEqual(
      both.diagnostics.map((d) => [d.code, d.range.start.line]),
      [['schema', 3]],
    );
    for (const text of ['', '- 1', 'cases: 3', 'tree: 1\ncases: [null, 2, { name: 3 }]', '*x', 'cases:\n  - { name: a, expect: { order: [[1, 2], 3] } }']) {
      assert.ok(Array.isArray(parseTestFile(text).diagnostics), text);
    }
  });

  it("completes task ids in a tree case's inputs but not in a unit case's, which are the executor's", () => {
    const view = oneTaskTree();
    const text = 'tree: etl.apflow.yaml\ncases:\n  - name: unit\n    executor: x\n    inputs:\n      \n  - name: tree\n    inputs:\n      \n';
    const labels = (line: number) => testCompletion(text, { line, character: 6 }, view).map((e) => e.label);
    assert.deepEqual([labels(5), labels(8)], [[], ['fetch']]);
  });

  it('never throws on randomly mutated test files, in any feature', () => {
    const view = oneTaskTree();
    const next = random(14);
    const pieces = ['{', '}', '[', ']', ':', '- ', '\n', '  ', '"', "'", '*a', '&a ', '#', 'executor:', 'mocks:', 'blocked_by: ', '\t', '\r', '\u2028'];
    for (let round = 0; round < 100; round++) {
      let text = TEXT;
      for (let k = 0; k < 4; k++) {
        const at = Math.floor(next() * text.length);
        const cut = Math.floor(next() * 6);
        text = text.slice(0, at) + pieces[Math.floor(next() * pieces.length)] + text.slice(at + cut);
      }
      const file = parseTestFile(text);
      const lines = text.split('\n');
      const line = Math.floor(next() * lines.length);
      const position = { line, character: Math.floor(next() * (lines[line].length + 1)) };
      testFileDiagnostics(file, view);
      testCompletion(text, position, view);
      testDefinition(file, view, position);
      testHover(file, view, position);
    }
  });
});
