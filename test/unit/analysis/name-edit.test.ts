// Typing in a task's name reuses the graph checks when nothing could notice (analysis/name-edit.ts),
// and every update still agrees exactly with a fresh analysis.
import { strict as assert } from 'node:assert';
import { DocumentAnalyzer } from '../../../analysis';
import { ANY_FILE, YAML_FILE } from './fixture';
import { step } from './incremental';

const TREE = `tasks:
  - id: root
    name: Root
    schemas: { method: aggregate_results_executor }
    dependencies: [a, Bee]
  - id: a
    name: Alpha
    parent_id: root
    schemas: { method: command_executor }
    inputs: { command: "true" }
  - id: b
    name: Bee
    parent_id: root
    schemas: { method: command_executor }
    inputs: { command: "true" }
  - name: Nameless
    parent_id: root
    schemas: { method: command_executor }
    inputs: { command: "true" }
`;

describe('analysis: name edits', () => {
  const cases: [string, string, boolean][] = [
    ['a name nothing refers to', TREE.replace('name: Alpha', 'name: Alphabet'), false],
    ['a name to one that nothing refers to either', TREE.replace('name: Alpha', 'name: Beta'), false],
    ['a name a reference uses', TREE.replace('name: Bee', 'name: Bees'), true],
    ['a name to one a reference uses', TREE.replace('dependencies: [a, Bee]', 'dependencies: [a, Bee, Alphabet]').replace('name: Alpha', 'name: Alphabet'), true],
    ['a name to another task’s name', TREE.replace('name: Alpha', 'name: Bee'), true],
    ['the name of a task without id', TREE.replace('name: Nameless', 'name: Nameful'), true],
    ['a name and a dependency at once', TREE.replace('name: Alpha\n    parent_id: root', 'name: Alp\n    parent_id: b'), true],
  ];

  for (const [what, text, recomputed] of cases) {
    it(`${recomputed ? 're-runs' : 'reuses'} the graph checks for ${what}, and agrees with a fresh analysis`, () => {
      const analyzer = new DocumentAnalyzer(YAML_FILE, ANY_FILE);
      analyzer.update(TREE);
      step(analyzer, text, what);
      assert.equal(analyzer.recomputedGraph, recomputed);
      step(analyzer, TREE, `undoing ${what}`);
      assert.equal(analyzer.recomputedGraph, recomputed);
    });
  }

  it('re-runs the graph checks for a name a later task has too, and agrees with a fresh analysis', () => {
    const duplicate = TREE.replace('name: Bee', 'name: Alpha').replace('dependencies: [a, Bee]', 'dependencies: [a, b]');
    const analyzer = new DocumentAnalyzer(YAML_FILE, ANY_FILE);
    analyzer.update(duplicate);
    step(analyzer, duplicate.replace('name: Alpha', 'name: Alphabet'), 'renaming the first of two tasks named Alpha');
    assert.equal(analyzer.recomputedGraph, true);
  });

  it('keeps the name index right: the new name resolves, the old one no longer does', () => {
    const analyzer = new DocumentAnalyzer(YAML_FILE, ANY_FILE);
    analyzer.update(TREE);
    const renamed = step(analyzer, TREE.replace('name: Alpha', 'name: Alphabet'), 'a rename');
    assert.equal(analyzer.recomputedGraph, false);
    assert.equal(renamed.model.resolve('Alphabet')?.id, 'a');
    assert.equal(renamed.model.resolve('Alpha'), undefined);
    // A reference to the new name now resolves, and one to the old name does not.
    const used = step(analyzer, TREE.replace('name: Alpha', 'name: Alphabet').replace('dependencies: [a, Bee]', 'dependencies: [Alphabet, Bee]'), 'a reference to the new name');
    assert.deepEqual(used.diagnostics.filter((d) => d.code === 'unknown-reference'), []);
    const stale = step(analyzer, TREE.replace('name: Alpha', 'name: Alphabet').replace('dependencies: [a, Bee]', 'dependencies: [Alpha, Bee]'), 'a reference to the old name');
    assert.equal(stale.diagnostics.filter((d) => d.code === 'unknown-reference').length, 1);
  });

  describe('while the file has an unknown reference (its message suggests the nearest names)', () => {
    const broken = (ref: string) => TREE.replace('dependencies: [a, Bee]', `dependencies: [a, Bee, ${ref}]`);
    const cases: [string, string, string, string, boolean][] = [
      ['a rename far from it', 'unrelated_missing', 'name: Alpha', 'name: Alphabet', false],
      ['a rename from a name it suggests', 'Alphx', 'name: Alpha', 'name: Alphabetical', true],
      ['a rename to a name it would suggest', 'Gammx', 'name: Alpha', 'name: Gamma', true],
      ['a rename near it, from and to', 'Alphx', 'name: Alpha', 'name: Alphy', true],
    ];
    for (const [what, ref, from, to, recomputed] of cases) {
      it(`${recomputed ? 're-runs' : 'reuses'} the graph checks for ${what}, and agrees with a fresh analysis`, () => {
        const text = broken(ref);
        const analyzer = new DocumentAnalyzer(YAML_FILE, ANY_FILE);
        analyzer.update(text);
        const renamed = step(analyzer, text.replace(from, to), what);
        assert.equal(analyzer.recomputedGraph, recomputed);
        assert.equal(renamed.diagnostics.filter((d) => d.code === 'unknown-reference').length, 1);
        step(analyzer, text, `undoing ${what}`);
        assert.equal(analyzer.recomputedGraph, recomputed);
      });
    }

    it('suggests the new name once it is near, as a fresh analysis does', () => {
      const text = broken('Gammx');
      const analyzer = new DocumentAnalyzer(YAML_FILE, ANY_FILE);
      analyzer.update(text);
      const renamed = step(analyzer, text.replace('name: Alpha', 'name: Gamma'), 'a rename to a name it would suggest');
      assert.match(renamed.diagnostics.find((d) => d.code === 'unknown-reference')?.message ?? '', /did you mean 'Gamma'\?/);
    });
  });
});
