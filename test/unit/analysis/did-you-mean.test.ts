// Did-you-mean (issue 11): a suggestion is a task or executor the user could have meant, never the
// task that holds the reference, and an executor id written without its `_executor` suffix is found.
import { strict as assert } from 'node:assert';
import { closest, distanceFrom, editDistance } from '../../../analysis/text';
import { random } from '../../fixtures/random';
import { analyze, dedent, only } from './fixture';

describe('analysis: did-you-mean suggestions', () => {
  describe('distanceFrom', () => {
    /** A word of `length` characters from a small alphabet (so that words share characters), with non-ASCII and astral ones. */
    const word = (next: () => number, length: number) => Array.from({ length }, () => ['a', 'b', 'c', '_', 'é', '😀'][Math.floor(next() * 6)]).join('');

    it('gives the distance the table gives, for words up to 32 units and longer ones', () => {
      const next = random(9);
      for (let n = 0; n < 3000; n++) {
        const a = word(next, Math.floor(next() * 20));
        const b = word(next, Math.floor(next() * 24));
        assert.equal(distanceFrom(a)(b), editDistance(a, b), `${a} → ${b}`);
      }
      for (const a of ['abcdefghijklmnopqrstuvwxyz012345', 'abcdefghijklmnopqrstuvwxyz0123456', 'x']) {
        for (const b of ['', 'abcdefghijklmnopqrstuvwxyz012345', 'bcdefghijklmnopqrstuvwxyz0123456', 'x', 'yx', 'abcdefghijklmnopqrstuvwxyz01234']) assert.equal(distanceFrom(a)(b), editDistance(a, b), `${a} → ${b}`);
      }
    });
  });

  describe('closest', () => {
    it('leaves out the excluded candidates, however near they are', () => {
      assert.deepEqual(closest('fetc', ['fetch', 'fetched'], 3, 3), ['fetch', 'fetched']);
      assert.deepEqual(closest('fetc', ['fetch', 'fetched'], 3, 3, { exclude: new Set(['fetch']) }), ['fetched']);
    });

    it('puts the one candidate the word begins or ends at an underscore first, when asked', () => {
      const ids = ['system_info_executor', 'rest_executor', 'command_executor', 'systemd_executor'];
      assert.deepEqual(closest('system_info', ids, 3, 3), []);
      assert.deepEqual(closest('system_info', ids, 3, 3, { affixes: true }), ['system_info_executor']);
      assert.deepEqual(closest('info_executor', ['system_info_executor', 'info_exec'], 3, 3, { affixes: true }), ['system_info_executor']);
    });

    it('takes no affix shared by several candidates, nor one too short to say anything', () => {
      const ids = ['system_info_executor', 'rest_executor', 'command_executor'];
      assert.deepEqual(closest('executor', ids, 3, 3, { affixes: true }), []);
      assert.deepEqual(closest('re', ['re_executor'], 1, 3, { affixes: true }), []);
    });
  });

  describe('in the checks', () => {
    /** A root that depends on `fetch`, and `fetch`; each test adds one line or one task. */
    const tree = (more: string) => `tasks:
  - id: root
    name: Root
    schemas: { method: aggregate_results_executor }
    dependencies: [fetch]
  - id: fetch
    name: Fetch rows
    parent_id: root
    schemas: { method: system_info_executor }
${more}`;

    it('never suggests a task as its own dependency or parent', () => {
      for (const line of ['    dependencies: [fetc]\n', '    dependencies: [Fetch row]\n']) {
        const diagnostics = only(analyze(tree(line)), 'unknown-reference');
        assert.equal(diagnostics.length, 1, line);
        assert.doesNotMatch(diagnostics[0].message, /did you mean/);
        assert.equal(diagnostics[0].fixes, undefined);
      }
    });

    it('still suggests another task that is near', () => {
      const [d] = only(analyze(tree('  - id: load\n    name: Load\n    parent_id: root\n    schemas: { method: system_info_executor }\n    dependencies: [fetc]\n')), 'unknown-reference');
      assert.match(d.message, /dependency 'fetc' of task 'load' .*did you mean 'fetch'\?/);
      assert.deepEqual(d.fixes?.map((f) => [f.title, f.preferred]), [['Change to `fetch`', true]]);
    });

    it('suggests system_info_executor for system_info, as the preferred fix', () => {
      const [d] = only(
        analyze(dedent`
          tasks:
            - id: probe
              name: Probe
              schemas: { method: system_info }
        `),
        'unknown-executor',
      );
      assert.match(d.message, /executor 'system_info' of task 'probe' .*did you mean 'system_info_executor'\?/);
      assert.deepEqual(d.fixes?.map((f) => [f.title, f.preferred]), [['Change to `system_info_executor`', true]]);
    });
  });
});
