// Diagnostic codes of spec 2.1 — identity, references and the graph: duplicates, unknown references, loops,
// roots, ordering, unreachable tasks.
// For each code, a case that must report it (code, severity, exact range, the essential parts of
// the message) and a case that must not. Deeper rules have their own files.
import { strict as assert } from 'node:assert';
import { dedent, expectAt, expectNone } from './fixture';
import { HEALTHY } from './healthy';

describe('analysis: diagnostic codes (spec 2.1) — identity, references and the graph', () => {
  describe('duplicate-id', () => {
    it('points at each id after the first, with related information to the first', () => {
      const { text, diagnostics } = expectAt(
        dedent`
          tasks:
            - id: root
              name: Root
              schemas: { method: aggregate_results_executor }
              dependencies: [x]
            - id: x
              name: X1
              parent_id: root
              schemas: { method: system_info_executor }
            - id: «x»
              name: X2
              parent_id: root
              schemas: { method: system_info_executor }
            - id: «x»
              name: X3
              parent_id: root
              schemas: { method: system_info_executor }
        `,
        'duplicate-id',
        'error',
      );
      const first = { start: { line: 5, character: 8 }, end: { line: 5, character: 9 } };
      assert.equal(text.split('\n')[5], '  - id: x');
      for (const d of diagnostics) {
        assert.match(d.message, /'x'/);
        assert.equal(d.task, 'x');
        assert.deepEqual(
          d.related?.map((r) => r.range),
          [first],
        );
      }
    });

    it('is silent when ids are unique', () => {
      expectNone(HEALTHY, 'duplicate-id');
    });
  });

  describe('duplicate-name', () => {
    it('points at each name after the first, with related information to the first', () => {
      const { diagnostics } = expectAt(
        dedent`
          tasks:
            - id: root
              name: Root
              schemas: { method: aggregate_results_executor }
              dependencies: [a, b]
            - id: a
              name: Step
              parent_id: root
              schemas: { method: system_info_executor }
            - id: b
              name: «Step»
              parent_id: root
              schemas: { method: system_info_executor }
        `,
        'duplicate-name',
        'error',
      );
      assert.match(diagnostics[0].message, /'Step'/);
      assert.equal(diagnostics[0].task, 'b');
      assert.deepEqual(diagnostics[0].related?.[0].range, { start: { line: 6, character: 10 }, end: { line: 6, character: 14 } });
    });

    it('is silent when names are unique', () => {
      expectNone(HEALTHY, 'duplicate-name');
    });
  });

  describe('unknown-reference', () => {
    it('points at a parent_id or dependency that resolves to nothing, suggesting near ids and names', () => {
      const { diagnostics } = expectAt(
        dedent`
          tasks:
            - id: root
              name: Root
              schemas: { method: aggregate_results_executor }
              dependencies: [«fetch_user», { id: «zzzzzzzz», required: false }]
            - id: fetch_users
              name: Fetch users
              parent_id: «rooot»
              schemas: { method: system_info_executor }
        `,
        'unknown-reference',
        'error',
      );
      const [dep, far, parent] = diagnostics;
      assert.match(dep.message, /'fetch_user'.*'root'.*did you mean 'fetch_users'/);
      // Ids and names are both candidates: `Fetch users` is 3 edits away.
      assert.deepEqual(
        dep.fixes?.map((f) => f.title),
        ['Change to `fetch_users`', 'Change to `Fetch users`'],
      );
      assert.doesNotMatch(far.message, /did you mean/);
      assert.equal(far.fixes, undefined);
      assert.match(parent.message, /parent_id 'rooot'.*'fetch_users'.*did you mean 'root'/);
      assert.equal(parent.task, 'fetch_users');
    });

    it('offers at most three suggestions, nearest first, within edit distance 3', () => {
      const { diagnostics } = expectAt(
        dedent`
          tasks:
            - id: root
              name: Root
              schemas: { method: aggregate_results_executor }
              dependencies: [«step»]
            - { id: stepa, name: SA, parent_id: root, schemas: { method: system_info_executor } }
            - { id: stepbb, name: SB, parent_id: root, schemas: { method: system_info_executor } }
            - { id: s, name: SC, parent_id: root, schemas: { method: system_info_executor } }
            - { id: stepccc, name: SD, parent_id: root, schemas: { method: system_info_executor } }
            - { id: stepdddd, name: SE, parent_id: root, schemas: { method: system_info_executor } }
        `,
        'unknown-reference',
        'error',
      );
      // distances: stepa 1, stepbb 2, s 3, stepccc 3, stepdddd 4 (too far); ties keep file order.
      assert.deepEqual(
        diagnostics[0].fixes?.map((f) => f.title),
        ['Change to `stepa`', 'Change to `stepbb`', 'Change to `s`'],
      );
    });

    it('is silent when every reference resolves', () => {
      expectNone(HEALTHY, 'unknown-reference');
    });
  });

  describe('self-dependency', () => {
    it('points at the dependency on the task itself, by id or by name', () => {
      const { diagnostics } = expectAt(
        dedent`
          tasks:
            - id: root
              name: Root
              schemas: { method: aggregate_results_executor }
              dependencies: [a, «root»]
            - id: a
              name: A
              parent_id: root
              schemas: { method: system_info_executor }
              dependencies: [{ name: «A» }]
        `,
        'self-dependency',
        'error',
      );
      assert.match(diagnostics[0].message, /'root'.*itself/);
      assert.deepEqual(
        diagnostics[0].fixes?.map((f) => f.title),
        ['Remove dependency'],
      );
      assert.equal(diagnostics[1].task, 'a');
    });

    it('is silent without a self-reference', () => {
      expectNone(HEALTHY, 'self-dependency');
    });
  });

  describe('parent-cycle', () => {
    it('points at each parent_id in the loop', () => {
      const { diagnostics } = expectAt(
        dedent`
          tasks:
            - id: root
              name: Root
              schemas: { method: aggregate_results_executor }
              dependencies: [a, b, c]
            - id: a
              name: A
              parent_id: «b»
              schemas: { method: system_info_executor }
            - id: b
              name: B
              parent_id: «a»
              schemas: { method: system_info_executor }
            - id: c
              name: C
              parent_id: a
              schemas: { method: system_info_executor }
        `,
        'parent-cycle',
        'error',
      );
      // `c` hangs below the loop but is not part of it.
      for (const d of diagnostics) assert.match(d.message, /a → b → a|b → a → b/);
      assert.deepEqual(
        diagnostics.map((d) => d.task),
        ['a', 'b'],
      );
    });

    it('reports a task that is its own parent', () => {
      expectAt(
        dedent`
          tasks:
            - id: root
              name: Root
              schemas: { method: aggregate_results_executor }
              dependencies: [a]
            - id: a
              name: A
              parent_id: «A»
              schemas: { method: system_info_executor }
        `,
        'parent-cycle',
        'error',
      );
    });

    it('is silent on a proper tree', () => {
      expectNone(HEALTHY, 'parent-cycle');
    });
  });

  describe('no-root', () => {
    it('points at the `tasks` key when every task has a parent_id', () => {
      const { diagnostics } = expectAt(
        dedent`
          version: 1
          «tasks»:
            - id: a
              name: A
              parent_id: b
              schemas: { method: system_info_executor }
              dependencies: [b]
            - id: b
              name: B
              parent_id: a
              schemas: { method: system_info_executor }
        `,
        'no-root',
        'error',
      );
      assert.match(diagnostics[0].message, /root/);
      assert.equal(diagnostics[0].task, null);
    });

    it('points at the first line of a bare sequence', () => {
      expectAt(
        dedent`
          «- id: a»
            name: A
            parent_id: a
            schemas: { method: system_info_executor }
        `,
        'no-root',
        'error',
      );
    });

    it('points at the first line of the sequence after leading comments', () => {
      expectAt(
        dedent`
          # generated by a script
          «- id: a»
            name: A
            parent_id: a
            schemas: { method: system_info_executor }
        `,
        'no-root',
        'error',
      );
    });

    it('is silent with one root', () => {
      expectNone(HEALTHY, 'no-root');
    });
  });

  describe('multiple-roots', () => {
    it('points at each extra root’s name key, related to the first root, with a fix', () => {
      const { diagnostics } = expectAt(
        dedent`
          tasks:
            - id: root
              name: Root
              schemas: { method: aggregate_results_executor }
              dependencies: [a]
            - id: a
              name: A
              parent_id: root
              schemas: { method: system_info_executor }
            - id: b
              «name»: B
              schemas: { method: system_info_executor }
            - «name»: Lonely
              schemas: { method: system_info_executor }
        `,
        'multiple-roots',
        'error',
      );
      for (const d of diagnostics) {
        assert.match(d.message, /'root'/);
        assert.deepEqual(
          d.related?.map((r) => r.range),
          [{ start: { line: 2, character: 4 }, end: { line: 2, character: 8 } }],
        );
        assert.deepEqual(
          d.fixes?.map((f) => [f.title, f.preferred]),
          [['Put under `root`', true]],
        );
      }
      assert.deepEqual(
        diagnostics.map((d) => d.task),
        ['b', 'Lonely'],
      );
    });

    it('is silent with one root', () => {
      expectNone(HEALTHY, 'multiple-roots');
    });
  });

  describe('parent-ordering', () => {
    it('points at the parent_id value of a child that relies on an order nothing gives', () => {
      const { diagnostics } = expectAt(
        dedent`
          tasks:
            - id: root
              name: Root
              priority: 1
              schemas: { method: system_info_executor }
            - id: a
              name: A
              parent_id: «root»
              priority: 2
              schemas: { method: system_info_executor }
        `,
        'parent-ordering',
        'warning',
      );
      assert.equal(diagnostics[0].task, 'a');
    });

    it('is silent on the healthy shapes', () => {
      expectNone(HEALTHY, 'parent-ordering');
    });
  });

  describe('unreachable', () => {
    it('points at the name key of a task whose required dependency can never complete', () => {
      const { diagnostics } = expectAt(
        dedent`
          tasks:
            - id: root
              «name»: Root
              schemas: { method: aggregate_results_executor }
              dependencies: [a]
            - id: a
              name: A
              parent_id: root
              schemas: { method: system_info_exector }
        `,
        'unreachable',
        'warning',
      );
      assert.equal(diagnostics[0].message, "never runs: requires a, whose executor 'system_info_exector' is unknown");
    });

    it('is silent when every dependency can complete', () => {
      expectNone(HEALTHY, 'unreachable');
    });
  });

  describe('duplicate-dependency', () => {
    it('points at the second entry for the same task, by id, name or mapping', () => {
      const { diagnostics } = expectAt(
        dedent`
          tasks:
            - id: root
              name: Root
              schemas: { method: aggregate_results_executor }
              dependencies:
                - a
                - «A»
                - «{ id: a, required: false }»
            - id: a
              name: A
              parent_id: root
              schemas: { method: system_info_executor }
        `,
        'duplicate-dependency',
        'warning',
      );
      assert.match(diagnostics[0].message, /'root'.*'a'.*twice/);
      assert.deepEqual(
        diagnostics[0].fixes?.map((f) => f.title),
        ['Remove duplicate'],
      );
    });

    it('is silent when each task is listed once', () => {
      expectNone(HEALTHY, 'duplicate-dependency');
    });
  });

});
