// Diagnostic codes of spec 2.1 — the shape and values of the file: syntax, schema, keys, version, runtime fields, names and
// schedules.
// For each code, a case that must report it (code, severity, exact range, the essential parts of
// the message) and a case that must not. Deeper rules have their own files.
import { strict as assert } from 'node:assert';
import { parseDocument } from 'yaml';
import { analyze, dedent, expectAt, expectNone, mark, only } from './fixture';
import { HEALTHY } from './healthy';

describe('analysis: diagnostic codes (spec 2.1) — the shape and values of the file', () => {
  it('a healthy tree has no diagnostics at all', () => {
    assert.deepEqual(analyze(HEALTHY), []);
  });

  it('every diagnostic carries a code, a severity, a message, a range and its task', () => {
    const all = analyze(dedent`
      tasks:
        - id: root
          name: Root
          schemas: { method: aggregate_results_executor }
          dependencies: [nope]
    `);
    assert.equal(all.length, 1);
    const [d] = all;
    // No fixes: the only near name, `root`, is the task itself.
    assert.deepEqual(Object.keys(d).sort(), ['code', 'message', 'range', 'severity', 'task']);
    assert.equal(d.task, 'root');
  });

  describe('yaml-syntax', () => {
    it('reports the parser error at the parser range', () => {
      const text = dedent`
        tasks:
          - id: root
            name: a: b
            schemas: { method: aggregate_results_executor }
      `;
      // The expected range is what the yaml package itself reports, converted independently.
      const errors = parseDocument(text, { uniqueKeys: false }).errors;
      assert.equal(errors.length, 1);
      const [from, to] = errors[0].pos;
      assert.equal(text.slice(from, to), 'a');
      const { ranges } = mark(dedent`
        tasks:
          - id: root
            name: «a»: b
            schemas: { method: aggregate_results_executor }
      `);
      const diagnostics = only(analyze(text), 'yaml-syntax');
      assert.deepEqual(
        diagnostics.map((d) => d.range),
        ranges,
      );
      assert.equal(diagnostics[0].severity, 'error');
      assert.match(diagnostics[0].message, /nested mappings/i);
      assert.equal(diagnostics[0].task, null);
    });

    it('reports a key repeated in a task', () => {
      const { diagnostics } = expectAt(
        dedent`
          tasks:
            - id: root
              name: Root
              «name»: Again
              schemas: { method: aggregate_results_executor }
        `,
        'yaml-syntax',
        'error',
      );
      assert.match(diagnostics[0].message, /name/);
    });

    it('reports every repeat of a key in nested mappings, small and large alike', () => {
      // 40 keys: past the count up to which keys are compared pairwise rather than through a set.
      const many = Array.from({ length: 40 }, (_, i) => `k${i}: ${i}`).join(', ');
      expectAt(
        dedent`
          tasks:
            - id: root
              name: Root
              schemas: { method: aggregate_results_executor }
              inputs:
                a: 1
                b: { x: 1, «x»: 2, «x»: 3 }
                «a»: 2
              params: { ${many}, «k3»: again, «k39»: again }
        `,
        'yaml-syntax',
        'error',
      );
    });

    it('is silent on valid YAML', () => {
      expectNone(HEALTHY, 'yaml-syntax');
    });
  });

  describe('schema', () => {
    it('points at a value of the wrong type or out of range', () => {
      const { diagnostics } = expectAt(
        dedent`
          tasks:
            - id: root
              name: Root
              schemas: { method: aggregate_results_executor }
              priority: «7»
              max_attempts: «0»
              backoff_strategy: «slow»
              timeout: «0»
              inputs: «[1]»
        `,
        'schema',
        'error',
      );
      assert.match(diagnostics[0].message, /`priority`/);
      assert.match(diagnostics[1].message, /`max_attempts`/);
      assert.match(diagnostics[2].message, /`backoff_strategy`.*fixed.*exponential.*linear/);
      assert.match(diagnostics[3].message, /`timeout`/);
      assert.match(diagnostics[4].message, /`inputs`/);
      for (const d of diagnostics) assert.equal(d.task, 'root');
    });

    it('points at a mapping that misses a required key (a hook with neither module nor python)', () => {
      const { diagnostics } = expectAt(
        dedent`
          hooks:
            pre:
              - «{ export: stamp }»
          tasks:
            - id: root
              name: Root
              schemas: { method: aggregate_results_executor }
        `,
        'schema',
        'error',
      );
      assert.match(diagnostics[0].message, /`module`.*`python:`/);
    });

    it('reports a task without a name (on the task’s first key: a sequence item has no key)', () => {
      const { diagnostics } = expectAt(
        dedent`
          tasks:
            - «id»: root
              schemas: { method: aggregate_results_executor }
        `,
        'schema',
        'error',
      );
      assert.match(diagnostics[0].message, /`name`/);
    });

    it('reports an invalid dependency entry once, on the entry', () => {
      const { diagnostics } = expectAt(
        dedent`
          tasks:
            - id: root
              name: Root
              schemas: { method: aggregate_results_executor }
              dependencies:
                - «{ required: false }»
                - «[a]»
        `,
        'schema',
        'error',
      );
      for (const d of diagnostics) assert.match(d.message, /`dependencies\.\d`.*`id` or `name`/);
    });

    it('reports an empty task list and a file without tasks', () => {
      const empty = expectAt('tasks: «[]»\n', 'schema', 'error');
      assert.match(empty.diagnostics[0].message, /empty/);
      const missing = expectAt('«version»: 1\n', 'schema', 'error');
      assert.match(missing.diagnostics[0].message, /`tasks`/);
    });

    it('reports a file that is neither a mapping nor a sequence', () => {
      expectAt('«just words»\n', 'schema', 'error');
    });

    it('reports a task item that is not a mapping', () => {
      const { all } = expectAt(
        dedent`
          tasks:
            - id: root
              name: Root
              schemas: { method: aggregate_results_executor }
            - «just a string»
        `,
        'schema',
        'error',
      );
      assert.deepEqual(
        all.map((d) => d.code),
        ['schema'],
      );
    });

    it('is silent on a valid tree', () => {
      expectNone(HEALTHY, 'schema');
    });
  });

  describe('unknown-key', () => {
    it('flags unknown keys at top level, in a task, in schemas and in an executor declaration', () => {
      const { diagnostics } = expectAt(
        dedent`
          «descripton»: typo
          executors:
            norm:
              module: ./norm.mjs
              «exprt»: run
          tasks:
            - id: root
              name: Root
              schemas: { method: norm, «modle»: gpt }
              «dependancies»: [a]
              «colour»: blue
        `,
        'unknown-key',
        'warning',
      );
      const [top, decl, schemas, task, far] = diagnostics;
      assert.match(top.message, /`descripton`.*did you mean `description`/);
      assert.match(decl.message, /`exprt`.*did you mean `export`/);
      assert.match(schemas.message, /`modle`.*did you mean `model`/);
      assert.match(task.message, /`dependancies`.*did you mean `dependencies`/);
      assert.equal(task.task, 'root');
      assert.deepEqual(
        [top, decl, schemas, task].map((d) => d.fixes?.[0].title),
        ['Change to `description`', 'Change to `export`', 'Change to `model`', 'Change to `dependencies`'],
      );
      // `colour` is not within edit distance 2 of any task key: no suggestion, no fix.
      assert.doesNotMatch(far.message, /did you mean/);
      assert.equal(far.fixes, undefined);
    });

    it('allows every key the format defines, and any key in params, inputs and dependency mappings', () => {
      expectNone(
        dedent`
          version: 1
          description: All keys
          executors:
            norm:
              module: ./norm.mjs
              export: run
              description: Normalises.
              input_schema: { type: object }
              output_schema: { type: object }
          tasks:
            - id: root
              name: Root
              user_id: u1
              priority: 1
              schemas: { method: norm, type: local, model: m }
              params: { anything: 1 }
              inputs: { whatever: 2 }
              max_attempts: 2
              backoff_strategy: linear
              backoff_base_seconds: 0.5
              timeout: 3
              dependencies:
                - { id: a, required: false, note: kept }
            - id: a
              name: A
              parent_id: root
              schemas: { method: norm }
        `,
        'unknown-key',
      );
    });
  });

  describe('unsupported-version', () => {
    it('points at a version other than 1', () => {
      const { diagnostics } = expectAt(
        dedent`
          version: «2»
          tasks:
            - id: root
              name: Root
              schemas: { method: aggregate_results_executor }
        `,
        'unsupported-version',
        'error',
      );
      assert.match(diagnostics[0].message, /2/);
      assert.match(diagnostics[0].message, /1/);
    });

    it('accepts version 1 and a missing version', () => {
      expectNone(HEALTHY, 'unsupported-version');
      expectNone(HEALTHY.replace('version: 1\n', ''), 'unsupported-version');
    });
  });

  describe('runtime-field', () => {
    it('points at each authored runtime field’s key', () => {
      const { diagnostics, all } = expectAt(
        dedent`
          tasks:
            - id: root
              name: Root
              schemas: { method: system_info_executor }
              «status»: completed
              «result»: { ok: true }
              «run_count»: 3
        `,
        'runtime-field',
        'warning',
      );
      assert.deepEqual(
        diagnostics.map((d) => d.fixes?.[0].title),
        ['Remove `status`', 'Remove `result`', 'Remove `run_count`'],
      );
      // A runtime field is its own warning, not also an unknown key.
      assert.deepEqual(only(all, 'unknown-key'), []);
    });

    it('is silent without runtime fields', () => {
      expectNone(HEALTHY, 'runtime-field');
    });
  });

  describe('long-name', () => {
    it('points at a name over 100 characters', () => {
      const long = 'n'.repeat(101);
      const { diagnostics } = expectAt(
        dedent`
          tasks:
            - id: root
              name: «${long}»
              schemas: { method: system_info_executor }
        `,
        'long-name',
        'warning',
      );
      assert.match(diagnostics[0].message, /101/);
    });

    it('accepts exactly 100 characters', () => {
      expectNone(`tasks:\n  - id: root\n    name: ${'n'.repeat(100)}\n    schemas: { method: system_info_executor }\n`, 'long-name');
    });
  });

  describe('invalid-schedule', () => {
    it('points at each malformed schedule value', () => {
      const { diagnostics } = expectAt(
        dedent`
          tasks:
            - id: root
              name: Root
              schemas: { method: aggregate_results_executor }
              dependencies: [a, b, c, d, e, f, g]
            - { id: a, name: A, parent_id: root, schemas: { method: system_info_executor }, schedule_type: once, schedule_expression: «tomorrow» }
            - { id: b, name: B, parent_id: root, schemas: { method: system_info_executor }, schedule_type: interval, schedule_expression: «-5» }
            - { id: c, name: C, parent_id: root, schemas: { method: system_info_executor }, schedule_type: cron, schedule_expression: «"* * *"» }
            - { id: d, name: D, parent_id: root, schemas: { method: system_info_executor }, schedule_type: daily, schedule_expression: «"25:00"» }
            - { id: e, name: E, parent_id: root, schemas: { method: system_info_executor }, schedule_type: weekly, schedule_expression: «"8 09:30"» }
            - { id: f, name: F, parent_id: root, schemas: { method: system_info_executor }, schedule_type: monthly, schedule_expression: «"32 09:30"» }
            - id: g
              name: G
              parent_id: root
              schemas: { method: system_info_executor }
              schedule_enabled: «true»
              schedule_start_at: 2026-02-01T00:00:00Z
              schedule_end_at: «2026-01-01T00:00:00Z»
        `,
        'invalid-schedule',
        'error',
      );
      assert.deepEqual(
        diagnostics.map((d) => d.task),
        ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'g'],
      );
      assert.match(diagnostics[6].message, /schedule_type.*schedule_expression/);
      assert.match(diagnostics[7].message, /after/);
    });

    it('accepts well-formed schedules of every type', () => {
      expectNone(
        dedent`
          tasks:
            - id: root
              name: Root
              schemas: { method: aggregate_results_executor }
              dependencies: [a, b, c, d, e, f]
            - { id: a, name: A, parent_id: root, schemas: { method: system_info_executor }, schedule_type: once, schedule_expression: "2026-01-31T09:30:00Z" }
            - { id: b, name: B, parent_id: root, schemas: { method: system_info_executor }, schedule_type: interval, schedule_expression: 3600 }
            - { id: c, name: C, parent_id: root, schemas: { method: system_info_executor }, schedule_type: cron, schedule_expression: "*/5 0-6 1,15 * 1-5" }
            - { id: d, name: D, parent_id: root, schemas: { method: system_info_executor }, schedule_type: daily, schedule_expression: "23:59" }
            - { id: e, name: E, parent_id: root, schemas: { method: system_info_executor }, schedule_type: weekly, schedule_expression: "1,3,7 09:30" }
            - id: f
              name: F
              parent_id: root
              schemas: { method: system_info_executor }
              schedule_type: monthly
              schedule_expression: "1,15,31 00:00"
              schedule_enabled: true
              schedule_start_at: 2026-01-01T00:00:00Z
              schedule_end_at: 2026-12-31T00:00:00Z
              max_runs: 0
        `,
        'invalid-schedule',
      );
    });
  });

  describe('schedule-format', () => {
    it('warns on the `@` form of weekly and monthly, offering the rewrite', () => {
      const { diagnostics } = expectAt(
        dedent`
          tasks:
            - id: root
              name: Root
              schemas: { method: aggregate_results_executor }
              dependencies: [a, b]
            - id: a
              name: A
              parent_id: root
              schemas: { method: system_info_executor }
              schedule_type: weekly
              schedule_expression: «mon,wed@09:30»
            - { id: b, name: B, parent_id: root, schemas: { method: system_info_executor }, schedule_type: monthly, schedule_expression: «"1,15@09:30"» }
        `,
        'schedule-format',
        'warning',
      );
      assert.deepEqual(
        diagnostics.map((d) => d.fixes?.map((f) => f.title)),
        [['Rewrite as `1,3 09:30`'], ['Rewrite as `1,15 09:30`']],
      );
    });

    it('is silent on the scheduler’s own format', () => {
      expectNone(
        dedent`
          tasks:
            - { id: root, name: Root, schemas: { method: system_info_executor }, schedule_type: weekly, schedule_expression: "1,3 09:30" }
        `,
        'schedule-format',
      );
    });
  });

});
