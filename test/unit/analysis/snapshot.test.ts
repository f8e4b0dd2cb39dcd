// Snapshots are immutable (issue 9): a snapshot read after the analyzer has moved on to newer versions
// answers for its own text — task spans, diagnostic ranges, hover, definition, outline, lenses —
// exactly as a fresh analysis of that text would. The edits below take every incremental path: items
// that move, a name edit that skips the graph checks, a dependency edit that re-runs them, a change of
// a workspace executor's input schema, and a fall-back to parsing the whole file.
import { strict as assert } from 'node:assert';
import { analyzeFile, type Position, type Snapshot } from '../../../analysis';
import { analyzer, ANY_FILE, dedent, YAML_FILE } from './fixture';
import { modelData } from './incremental';

const V1 = dedent`
  version: 1
  executors:
    norm:
      module: ./norm.mjs
      input_schema: { type: object, required: [rows] }
  tasks:
    - id: report
      name: Report
      schemas: { method: aggregate_results_executor }
      dependencies: [pull, save]
    - id: pull
      name: Pull
      parent_id: report
      schemas: { method: comand_executor }
    - id: save
      name: Save
      parent_id: report
      params: { executor_id: norm }
      inputs: { cols: [] }
      dependencies: [pull]
`;

/** The position of the `n`-th occurrence of `needle` in `text`, plus `shift` characters. */
function at(text: string, needle: string, shift = 0, n = 1): Position {
  let offset = -1;
  for (let i = 0; i < n; i++) offset = text.indexOf(needle, offset + 1);
  assert.ok(offset >= 0, `${needle} in the text`);
  const before = text.slice(0, offset + shift);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

/** Everything a client can read from a snapshot, as plain data. */
function answers(snapshot: Snapshot) {
  const text = snapshot.text;
  const positions = [at(text, 'Save', 2), at(text, 'pull', 1, 2), at(text, 'comand'), at(text, 'norm', 1, 2)];
  return {
    diagnostics: snapshot.diagnostics,
    model: modelData(snapshot),
    // By name: a name edit must not change the name index an older snapshot resolves with.
    resolved: ['Pull', 'Pull it', 'pull'].map((ref) => snapshot.model.resolve(ref)?.index ?? null),
    found: snapshot.findTask('Pull', -1),
    hover: positions.map((p) => snapshot.hover(p)),
    definition: positions.map((p) => snapshot.definition(p)),
    references: positions.map((p) => snapshot.references(p, true)),
    symbols: snapshot.documentSymbols(),
    lenses: snapshot.codeLenses(),
    lensDetails: snapshot.codeLenses().map((l) => snapshot.lensDetails(l.task)),
  };
}

describe('analysis: snapshots stay as they were published (issue 9)', () => {
  it('an old snapshot, first read after newer versions, answers for its own text', () => {
    const a = analyzer();
    const versions: { text: string; snapshot: Snapshot }[] = [];
    let text = V1;
    const push = (next: string) => {
      text = next;
      versions.push({ text, snapshot: a.update(text) });
    };
    push(V1);
    push(text.replace('  - id: pull\n', '  - id: early\n    name: Early\n    parent_id: report\n    schemas: { method: command_executor }\n    inputs: { command: "echo early 😀" }\n  - id: pull\n'));
    push(text.replace('name: Pull', 'name: Pull it'));
    push(text.replace('dependencies: [pull]', 'dependencies: [pull, early]'));
    push(text.replace('required: [rows]', 'required: [cols]'));
    push(text.replace('inputs: { cols: [] }', 'inputs: { cols: [], rows: [] }'));
    push(`${text}\n- not: inside the task list\n`);
    push(text.replace('\n- not: inside the task list\n', '\n'));
    for (const [i, { text: own, snapshot }] of versions.entries()) {
      const fresh = analyzeFile(own, YAML_FILE, ANY_FILE);
      assert.equal(snapshot.text, own, `the text of version ${i + 1}`);
      assert.equal(snapshot.version, i + 1);
      assert.deepEqual(answers(snapshot), answers(fresh), `what version ${i + 1} answers after ${versions.length} versions`);
    }
  });

  it('keeps its own offsets: tasks[1].span and diagnostic ranges point into its own text', () => {
    const a = analyzer();
    const first = a.update(V1, 1);
    const pullSpan = first.model.tasks[1].span;
    a.update(V1.replace('  - id: report\n', '  - id: zero\n    name: Zero\n    schemas: { method: command_executor }\n  - id: report\n'), 2);
    a.update(V1.replace('comand_executor', 'comand_executorr'), 3);
    assert.deepEqual(first.model.tasks[1].span, pullSpan);
    assert.match(V1.slice(first.model.tasks[1].span.start, first.model.tasks[1].span.end), /^id: pull\n/);
    const unknown = first.diagnostics.find((d) => d.code === 'unknown-executor');
    assert.ok(unknown);
    assert.deepEqual(unknown.range.start, at(V1, 'comand_executor'));
    assert.deepEqual(unknown.range.end, at(V1, 'comand_executor', 'comand_executor'.length));
    const definition = first.definition(at(V1, 'pull', 1, 3));
    assert.deepEqual(definition, [{ range: { start: at(V1, 'pull', 0, 2), end: at(V1, 'pull', 4, 2) } }]);
  });
});
