// Every diagnostic code of spec 2.1: a case that must report it (code, severity, exact range, the
// essential parts of the message) and a case that must not. Deeper rules (cycles, unreachable,
// parent-ordering, suppression, quick-fix edits) have their own files.
import { strict as assert } from 'node:assert';
import { parseDocument } from 'yaml';
import { analyze, dedent, expectAt, expectNone, fakeEnv, mark, only } from './fixture';

/** A healthy two-task tree; most fixtures below vary one thing in it. */
const HEALTHY = dedent`
  version: 1
  description: Two tasks
  tasks:
    - id: root
      name: Root
      schemas: { method: aggregate_results_executor }
      dependencies: [a]
    - id: a
      name: A
      parent_id: root
      schemas: { method: system_info_executor }
      inputs: { resource: cpu }
`;

describe('analysis: diagnostic codes (spec 2.1)', () => {
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
    assert.deepEqual(Object.keys(d).sort(), ['code', 'fixes', 'message', 'range', 'severity', 'task']);
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

    it('points at the key of a mapping that misses a required key', () => {
      const { diagnostics } = expectAt(
        dedent`
          tasks:
            - id: root
              name: Root
              «schemas»: { model: gpt }
              params: { executor_id: aggregate_results_executor }
        `,
        'schema',
        'error',
      );
      assert.match(diagnostics[0].message, /`method`/);
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

  describe('missing-executor', () => {
    it('points at the task’s name key; offers aggregate_results_executor only when it has dependencies', () => {
      const { diagnostics } = expectAt(
        dedent`
          tasks:
            - id: root
              «name»: Root
              dependencies: [a]
            - id: a
              «name»: A
              parent_id: root
              schemas: { type: local }
        `,
        'missing-executor',
        'error',
      );
      assert.match(diagnostics[0].message, /'root'/);
      assert.deepEqual(
        diagnostics[0].fixes?.map((f) => [f.title, f.preferred]),
        [['Use `aggregate_results_executor`', true]],
      );
      assert.equal(diagnostics[1].fixes, undefined);
    });

    it('accepts an executor in params.executor_id alone', () => {
      expectNone(
        dedent`
          tasks:
            - id: root
              name: Root
              params: { executor_id: system_info_executor }
        `,
        'missing-executor',
      );
    });

    it('never takes the task name for an executor id', () => {
      expectAt(
        dedent`
          tasks:
            - id: root
              «name»: system_info_executor
        `,
        'missing-executor',
        'error',
      );
    });
  });

  describe('unknown-executor', () => {
    it('points at the executor id, suggesting the closest', () => {
      const { diagnostics } = expectAt(
        dedent`
          executors:
            normalize_users:
              module: ./n.mjs
          tasks:
            - id: root
              name: Root
              schemas: { method: «system_info_exector» }
              dependencies: [a, b]
            - id: a
              name: A
              parent_id: root
              schemas: { method: «normalise_users» }
            - id: b
              name: B
              parent_id: root
              schemas: { method: system_info_executor }
              params: { executor_id: «nothing_like_it» }
        `,
        'unknown-executor',
        'error',
      );
      assert.match(diagnostics[0].message, /'system_info_exector'.*'root'.*did you mean 'system_info_executor'/);
      assert.deepEqual(
        diagnostics[0].fixes?.map((f) => f.title),
        ['Change to `system_info_executor`'],
      );
      assert.match(diagnostics[1].message, /did you mean 'normalize_users'/);
      // params.executor_id overrides schemas.method: the override is what is checked.
      assert.match(diagnostics[2].message, /'nothing_like_it'/);
      assert.equal(diagnostics[2].fixes, undefined);
    });

    it('accepts built-in and declared executors', () => {
      expectNone(
        dedent`
          executors:
            normalize_users:
              module: ./n.mjs
          tasks:
            - id: root
              name: Root
              schemas: { method: normalize_users }
        `,
        'unknown-executor',
      );
    });
  });

  describe('invalid-inputs', () => {
    it('points at an offending input value (built-in catalogue)', () => {
      const { diagnostics } = expectAt(
        dedent`
          tasks:
            - id: root
              name: Root
              schemas: { method: system_info_executor }
              inputs: { resource: «gpu» }
        `,
        'invalid-inputs',
        'error',
      );
      assert.match(diagnostics[0].message, /resource.*cpu/);
      assert.equal(diagnostics[0].task, 'root');
    });

    it('points at the inputs key for a missing required input, with a fix', () => {
      const { diagnostics } = expectAt(
        dedent`
          tasks:
            - id: root
              name: Root
              schemas: { method: command_executor }
              «inputs»: { cwd: /tmp }
        `,
        'invalid-inputs',
        'error',
      );
      assert.match(diagnostics[0].message, /`command`/);
      assert.deepEqual(
        diagnostics[0].fixes?.map((f) => f.title),
        ['Add missing inputs'],
      );
    });

    it('checks the file’s executor declaration and schemas.input_schema too', () => {
      const { diagnostics } = expectAt(
        dedent`
          executors:
            norm:
              module: ./n.mjs
              input_schema:
                type: object
                required: [users]
                properties: { users: { type: array } }
          tasks:
            - id: root
              name: Root
              schemas: { method: norm }
              dependencies: [a]
              inputs: { users: «yes» }
            - id: a
              name: A
              parent_id: root
              schemas:
                method: system_info_executor
                input_schema: { type: object, properties: { resource: { const: memory } } }
              inputs: { resource: «cpu» }
        `,
        'invalid-inputs',
        'error',
      );
      assert.match(diagnostics[0].message, /`norm`/);
      assert.match(diagnostics[1].message, /input_schema/);
    });

    it('is silent when the inputs fit, and extra inputs are allowed (dependency results merge in)', () => {
      expectNone(
        dedent`
          tasks:
            - id: root
              name: Root
              schemas: { method: command_executor }
              inputs: { command: "echo hi", from_dependency: 1 }
        `,
        'invalid-inputs',
      );
    });
  });

  describe('executor-module-missing', () => {
    const tree = dedent`
      executors:
        norm:
          module: «./executors/norm.mjs»
      tasks:
        - id: root
          name: Root
          schemas: { method: norm }
    `;

    it('points at the module value when the file does not exist (resolved against the file’s folder)', () => {
      const env = fakeEnv();
      const { diagnostics } = expectAt(tree, 'executor-module-missing', 'error', { fileName: '/ws/flows/t.apflow.yaml', env });
      assert.match(diagnostics[0].message, /\.\/executors\/norm\.mjs/);
      assert.deepEqual(env.asked, ['/ws/flows/executors/norm.mjs']);
    });

    it('is silent when the module exists', () => {
      expectNone(mark(tree).text, 'executor-module-missing', { fileName: '/ws/flows/t.apflow.yaml', env: fakeEnv(['/ws/flows/executors/norm.mjs']) });
    });
  });

  describe('shadowed-executor', () => {
    it('points at a declared id that is a built-in id', () => {
      const { diagnostics } = expectAt(
        dedent`
          executors:
            «command_executor»:
              module: ./c.mjs
          tasks:
            - id: root
              name: Root
              schemas: { method: command_executor }
              inputs: { command: ls }
        `,
        'shadowed-executor',
        'error',
      );
      assert.match(diagnostics[0].message, /command_executor/);
    });

    it('is silent for a new id', () => {
      expectNone(
        dedent`
          executors:
            my_command:
              module: ./c.mjs
          tasks:
            - id: root
              name: Root
              schemas: { method: my_command }
        `,
        'shadowed-executor',
      );
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

  describe('parent-ordering', () => {
    it('points at the parent_id value of a child unordered with its parent', () => {
      const { diagnostics } = expectAt(
        dedent`
          tasks:
            - id: root
              name: Root
              schemas: { method: system_info_executor }
            - id: a
              name: A
              parent_id: «root»
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

  describe('remote-executor', () => {
    it('informs on a known executor that needs an apflow server', () => {
      const { diagnostics } = expectAt(
        dedent`
          tasks:
            - id: root
              name: Root
              schemas: { method: «send_email_executor» }
              inputs: { to: a@b.c, subject: Hi }
        `,
        'remote-executor',
        'information',
      );
      assert.match(diagnostics[0].message, /send_email_executor.*'root'/);
    });

    it('is silent on executors the embedded runtime runs', () => {
      expectNone(HEALTHY, 'remote-executor');
    });
  });

  describe('unused-executor', () => {
    it('hints at a declaration no task uses, tagged unnecessary, with a fix', () => {
      const { diagnostics } = expectAt(
        dedent`
          executors:
            used:
              module: ./u.mjs
            «spare»:
              module: ./s.mjs
          tasks:
            - id: root
              name: Root
              params: { executor_id: used }
        `,
        'unused-executor',
        'hint',
      );
      assert.equal(diagnostics[0].unnecessary, true);
      assert.deepEqual(
        diagnostics[0].fixes?.map((f) => [f.title, f.preferred]),
        [['Remove declaration', true]],
      );
    });

    it('is silent when every declaration is used', () => {
      expectNone(
        dedent`
          executors:
            used:
              module: ./u.mjs
          tasks:
            - id: root
              name: Root
              schemas: { method: used }
        `,
        'unused-executor',
      );
    });
  });
});
