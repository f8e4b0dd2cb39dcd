// Quick fixes (spec 2.1, 2.3): each fix's edits are applied to the text the way an editor would, and
// the result is compared with the file the author should end up with.
import { strict as assert } from 'node:assert';
import type { Diagnostic, DiagnosticCode } from '../../../analysis';
import { analyze, applyFix, dedent, JSON_FILE, only, YAML_FILE } from './fixture';

/** Applies the fix `title` of the only diagnostic of `code` (or the one on `line`, 0-based). */
function fix(text: string, code: DiagnosticCode, title: string, options: { line?: number; fileName?: string } = {}): string {
  const all = only(analyze(text, options.fileName ?? YAML_FILE), code);
  const matching = options.line === undefined ? all : all.filter((d: Diagnostic) => d.range.start.line === options.line);
  assert.equal(matching.length, 1, `expected one ${code}${options.line === undefined ? '' : ` on line ${options.line}`}, got ${JSON.stringify(all.map((d) => d.message))}`);
  return applyFix(text, matching[0], title);
}

/** Asserts that applying the fix gives `after`, and that the result no longer has the diagnostic. */
function golden(before: string, code: DiagnosticCode, title: string, after: string, options: { line?: number; fileName?: string } = {}): void {
  const result = fix(before, code, title, options);
  assert.equal(result, after);
  if (options.line === undefined) assert.deepEqual(only(analyze(result, options.fileName ?? YAML_FILE), code).map((d) => d.message), [], `the fix leaves a ${code}`);
}

describe('analysis: quick-fix edits (spec 2.1)', () => {
  describe('Change to <closest>', () => {
    it('replaces a plain reference', () => {
      golden(
        dedent`
          tasks:
            - id: root
              name: Root
              schemas: { method: aggregate_results_executor }
              dependencies: [fetch_user]
            - id: fetch_users
              name: Fetch
              parent_id: root
              schemas: { method: system_info_executor }
        `,
        'unknown-reference',
        'Change to `fetch_users`',
        dedent`
          tasks:
            - id: root
              name: Root
              schemas: { method: aggregate_results_executor }
              dependencies: [fetch_users]
            - id: fetch_users
              name: Fetch
              parent_id: root
              schemas: { method: system_info_executor }
        `,
      );
    });

    it('keeps double and single quotes in YAML', () => {
      golden(
        dedent`
          tasks:
            - id: root
              name: Root
              schemas: { method: "aggregate_results_executr" }
              dependencies: ['fetch_user']
            - id: fetch_users
              name: Fetch
              parent_id: root
              schemas: { method: system_info_executor }
        `,
        'unknown-executor',
        'Change to `aggregate_results_executor`',
        dedent`
          tasks:
            - id: root
              name: Root
              schemas: { method: "aggregate_results_executor" }
              dependencies: ['fetch_user']
            - id: fetch_users
              name: Fetch
              parent_id: root
              schemas: { method: system_info_executor }
        `,
      );
      assert.match(
        fix(
          dedent`
            tasks:
              - id: root
                name: Root
                schemas: { method: aggregate_results_executor }
                dependencies: ['fetch_user']
              - id: fetch_users
                name: Fetch
                parent_id: root
                schemas: { method: system_info_executor }
          `,
          'unknown-reference',
          'Change to `fetch_users`',
        ),
        /dependencies: \['fetch_users'\]/,
      );
    });

    it('quotes a value that plain YAML would misread', () => {
      const after = fix(
        dedent`
          tasks:
            - id: root
              name: Root
              schemas: { method: aggregate_results_executor }
              dependencies: [nul]
            - id: "null"
              name: Step one
              parent_id: root
              schemas: { method: system_info_executor }
        `,
        'unknown-reference',
        'Change to `null`',
      );
      assert.match(after, /dependencies: \["null"\]/);
      assert.deepEqual(analyze(after), []);
    });

    it('keeps JSON strings quoted, for keys and values', () => {
      const before = dedent`
        {
          "version": 1,
          "tasks": [
            {"id": "root", "name": "Root", "schemas": {"method": "system_info_executr"}, "dependancies": ["a"]}
          ]
        }
      `;
      golden(
        before,
        'unknown-executor',
        'Change to `system_info_executor`',
        before.replace('"system_info_executr"', '"system_info_executor"'),
        { fileName: JSON_FILE },
      );
      golden(before, 'unknown-key', 'Change to `dependencies`', before.replace('"dependancies"', '"dependencies"'), { fileName: JSON_FILE });
    });

    it('renames an unknown top-level key', () => {
      golden(
        dedent`
          descripton: Nightly
          tasks:
            - { id: root, name: Root, schemas: { method: system_info_executor } }
        `,
        'unknown-key',
        'Change to `description`',
        dedent`
          description: Nightly
          tasks:
            - { id: root, name: Root, schemas: { method: system_info_executor } }
        `,
      );
    });
  });

  describe('Remove dependency / Remove duplicate', () => {
    const FLOW = (deps: string) => dedent`
      tasks:
        - id: root
          name: Root
          schemas: { method: aggregate_results_executor }
          dependencies: ${deps}
        - { id: a, name: A, parent_id: root, schemas: { method: system_info_executor } }
        - { id: b, name: B, parent_id: root, schemas: { method: system_info_executor } }
    `;

    it('removes an entry at the start, middle or end of a flow list', () => {
      golden(FLOW('[root, a, b]'), 'self-dependency', 'Remove dependency', FLOW('[a, b]'));
      golden(FLOW('[a, root, b]'), 'self-dependency', 'Remove dependency', FLOW('[a, b]'));
      golden(FLOW('[a, b, root]'), 'self-dependency', 'Remove dependency', FLOW('[a, b]'));
      golden(FLOW('[a, b, a]'), 'duplicate-dependency', 'Remove duplicate', FLOW('[a, b]'));
      golden(FLOW('[a, a, b]'), 'duplicate-dependency', 'Remove duplicate', FLOW('[a, b]'));
    });

    it('leaves an empty flow list when the only entry goes', () => {
      const before = dedent`
        tasks:
          - id: root
            name: Root
            schemas: { method: system_info_executor }
            dependencies: [root]
      `;
      golden(before, 'self-dependency', 'Remove dependency', before.replace('[root]', '[]'));
    });

    it('leaves `dependencies: []` when the only entry of a block list goes', () => {
      const before = dedent`
        tasks:
          - id: root
            name: Root
            schemas: { method: system_info_executor }
            dependencies:
              - root
            priority: 1
      `;
      golden(before, 'self-dependency', 'Remove dependency', before.replace('    dependencies:\n      - root\n', '    dependencies: []\n'));
      assert.deepEqual(analyze(fix(before, 'self-dependency', 'Remove dependency')), []);
    });

    it('removes the whole line of a block list entry, mapping entries included', () => {
      const BLOCK = (entries: string[]) =>
        dedent`
          tasks:
            - id: root
              name: Root
              schemas: { method: aggregate_results_executor }
              dependencies:
          ` + entries.map((e) => `      - ${e}\n`).join('') + '  - { id: a, name: A, parent_id: root, schemas: { method: system_info_executor } }\n';
      golden(BLOCK(['a', 'root']), 'self-dependency', 'Remove dependency', BLOCK(['a']));
      golden(BLOCK(['root', 'a']), 'self-dependency', 'Remove dependency', BLOCK(['a']));
      golden(BLOCK(['a', '{ id: A, required: false }']), 'duplicate-dependency', 'Remove duplicate', BLOCK(['a']));
    });

    it('removes a multi-line block entry completely', () => {
      const before = dedent`
        tasks:
          - id: root
            name: Root
            schemas: { method: aggregate_results_executor }
            dependencies:
              - a
              - id: a
                required: false
          - { id: a, name: A, parent_id: root, schemas: { method: system_info_executor } }
      `;
      golden(
        before,
        'duplicate-dependency',
        'Remove duplicate',
        dedent`
          tasks:
            - id: root
              name: Root
              schemas: { method: aggregate_results_executor }
              dependencies:
                - a
            - { id: a, name: A, parent_id: root, schemas: { method: system_info_executor } }
        `,
      );
    });

    it('removes a dependency of a loop from a block list', () => {
      const before = dedent`
        tasks:
          - id: root
            name: Root
            schemas: { method: aggregate_results_executor }
            dependencies: [a]
          - id: a
            name: A
            parent_id: root
            schemas: { method: system_info_executor }
            dependencies:
              - b
          - id: b
            name: B
            parent_id: root
            schemas: { method: system_info_executor }
            dependencies:
              - x
              - a
          - { id: x, name: X, parent_id: root, schemas: { method: system_info_executor } }
      `;
      golden(before, 'dependency-cycle', 'Remove dependency on `a`', before.replace('      - x\n      - a\n', '      - x\n'), { line: 17 });
    });
  });

  describe('Add dependency', () => {
    const TREE = (rootDeps: string) =>
      'tasks:\n' +
      '  - id: root\n' +
      '    name: Root\n' +
      `    schemas: { method: aggregate_results_executor }${rootDeps}\n` +
      '  - id: a\n' +
      '    name: A\n' +
      '    parent_id: root\n' +
      '    schemas: { method: system_info_executor }\n';

    it('appends to a flow list', () => {
      const before = `${TREE('\n    dependencies: [x]')}  - { id: x, name: X, parent_id: root, schemas: { method: system_info_executor } }\n`;
      golden(before, 'parent-ordering', 'Add `a` to the dependencies of `root`', before.replace('[x]', '[x, a]'));
    });

    it('appends to a block list at its indentation', () => {
      const before = `${TREE('\n    dependencies:\n        - x')}  - { id: x, name: X, parent_id: root, schemas: { method: system_info_executor } }\n`;
      golden(before, 'parent-ordering', 'Add `a` to the dependencies of `root`', before.replace('        - x\n', '        - x\n        - a\n'));
    });

    it('fills an empty list and adds a missing key', () => {
      const empty = TREE('\n    dependencies: []');
      golden(empty, 'parent-ordering', 'Add `a` to the dependencies of `root`', empty.replace('[]', '[a]'));
      const nothing = TREE('\n    dependencies:');
      golden(nothing, 'parent-ordering', 'Add `a` to the dependencies of `root`', nothing.replace('dependencies:', 'dependencies: [a]'));
      const absent = TREE('');
      golden(absent, 'parent-ordering', 'Add `a` to the dependencies of `root`', absent.replace('aggregate_results_executor }\n', 'aggregate_results_executor }\n    dependencies: [a]\n'));
    });

    it('adds to a task written as a flow mapping', () => {
      const before = dedent`
        tasks:
          - { id: root, name: Root, priority: 1, schemas: { method: system_info_executor } }
          - { id: a, name: A, parent_id: root, priority: 2, schemas: { method: system_info_executor } }
      `;
      const after = fix(before, 'parent-ordering', 'Add `root` to the dependencies of `a`');
      assert.equal(after, before.replace('- { id: a,', '- { dependencies: [root], id: a,'));
      assert.deepEqual(analyze(after), []);
    });
  });

  describe('task-level insertions', () => {
    it('Put under <first root> adds parent_id', () => {
      const before = dedent`
        tasks:
          - id: root
            name: Root
            schemas: { method: aggregate_results_executor }
            dependencies: [b]
          - id: b
            name: B
            schemas: { method: system_info_executor }
      `;
      golden(before, 'multiple-roots', 'Put under `root`', `${before}    parent_id: root\n`);
    });

    it('Put under <first root> quotes the id in JSON', () => {
      const before = dedent`
        [
          {"id": "root", "name": "Root", "schemas": {"method": "aggregate_results_executor"}, "dependencies": ["b"]},
          {"id": "b", "name": "B", "schemas": {"method": "system_info_executor"}}
        ]
      `;
      const after = fix(before, 'multiple-roots', 'Put under `root`', { fileName: JSON_FILE });
      assert.deepEqual(JSON.parse(after)[1], { id: 'b', name: 'B', parent_id: 'root', schemas: { method: 'system_info_executor' } });
      assert.deepEqual(analyze(after, JSON_FILE), []);
    });

    it('Use aggregate_results_executor adds schemas, or method to an existing schemas', () => {
      const before = dedent`
        tasks:
          - id: root
            name: Root
            dependencies: [a]
          - id: a
            name: A
            parent_id: root
            schemas: { method: system_info_executor }
      `;
      golden(before, 'missing-executor', 'Use `aggregate_results_executor`', before.replace('    dependencies: [a]\n', '    dependencies: [a]\n    schemas: { method: aggregate_results_executor }\n'));
      const block = before.replace('    name: Root\n', '    name: Root\n    schemas:\n      type: local\n');
      const after = fix(block, 'missing-executor', 'Use `aggregate_results_executor`');
      assert.equal(after, block.replace('      type: local\n', '      type: local\n      method: aggregate_results_executor\n'));
      assert.deepEqual(analyze(after), []);
    });

    it('Add missing inputs inserts required keys with placeholders', () => {
      const flow = dedent`
        tasks:
          - id: root
            name: Root
            schemas: { method: command_executor }
            inputs: { cwd: /tmp }
      `;
      golden(flow, 'invalid-inputs', 'Add missing inputs', flow.replace('{ cwd: /tmp }', '{ command: "", cwd: /tmp }'));
      const block = dedent`
        tasks:
          - id: root
            name: Root
            schemas: { method: ssh_executor }
            inputs:
              port: 22
      `;
      golden(block, 'invalid-inputs', 'Add missing inputs', `${block}      host: ""\n      username: ""\n      command: ""\n`);
      const absent = dedent`
        tasks:
          - id: root
            name: Root
            schemas: { method: rest_executor }
      `;
      golden(absent, 'invalid-inputs', 'Add missing inputs', `${absent}    inputs: { url: "" }\n`);
    });

    it('writes JSON in a .apflow.json file: inputs, executor and parent stay valid JSON', () => {
      const inputs = '[\n  {"id": "root", "name": "Root", "schemas": {"method": "command_executor"}, "inputs": {"cwd": "/"}}\n]\n';
      golden(inputs, 'invalid-inputs', 'Add missing inputs', inputs.replace('{"cwd": "/"}', '{"command": "", "cwd": "/"}'), { fileName: JSON_FILE });
      const noInputs = '[\n  {"id": "root", "name": "Root", "schemas": {"method": "command_executor"}}\n]\n';
      const added = fix(noInputs, 'invalid-inputs', 'Add missing inputs', { fileName: JSON_FILE });
      assert.deepEqual(JSON.parse(added), [{ id: 'root', name: 'Root', schemas: { method: 'command_executor' }, inputs: { command: '' } }]);
      const noExecutor =
        '[\n  {"id": "root", "name": "Root", "dependencies": ["a"]},\n  {"id": "a", "name": "A", "parent_id": "root", "schemas": {"method": "system_info_executor"}}\n]\n';
      const withExecutor = fix(noExecutor, 'missing-executor', 'Use `aggregate_results_executor`', { fileName: JSON_FILE });
      assert.deepEqual(JSON.parse(withExecutor)[0], { id: 'root', name: 'Root', dependencies: ['a'], schemas: { method: 'aggregate_results_executor' } });
      assert.deepEqual(analyze(withExecutor, JSON_FILE), []);
      const pretty = `${JSON.stringify(
        [
          { id: 'root', name: 'Root', schemas: { method: 'system_info_executor' } },
          { id: 'b', name: 'B', schemas: { method: 'system_info_executor' } },
        ],
        null,
        2,
      )}\n`;
      const placed = fix(pretty, 'multiple-roots', 'Put under `root`', { fileName: JSON_FILE });
      assert.deepEqual(JSON.parse(placed)[1], { id: 'b', name: 'B', parent_id: 'root', schemas: { method: 'system_info_executor' } });
    });

    it('Add missing inputs uses a declared schema’s types and defaults', () => {
      const before = dedent`
        executors:
          norm:
            module: ./n.mjs
            input_schema:
              type: object
              required: [users, limit, mode]
              properties:
                users: { type: array }
                limit: { type: integer }
                mode: { type: string, default: fast }
        tasks:
          - id: root
            name: Root
            schemas: { method: norm }
            inputs: {}
      `;
      golden(before, 'invalid-inputs', 'Add missing inputs', before.replace('inputs: {}', 'inputs: {users: [], limit: 0, mode: "fast"}'));
    });
  });

  describe('removals and rewrites', () => {
    it('Remove <runtime field> deletes the key with its value', () => {
      const before = dedent`
        tasks:
          - id: root
            name: Root
            status: completed
            result:
              ok: true
              rows: 3
            schemas: { method: system_info_executor }
      `;
      const once = fix(before, 'runtime-field', 'Remove `status`', { line: 3 });
      assert.equal(once, before.replace('    status: completed\n', ''));
      const twice = fix(once, 'runtime-field', 'Remove `result`');
      assert.equal(twice, before.replace('    status: completed\n    result:\n      ok: true\n      rows: 3\n', ''));
      assert.deepEqual(analyze(twice), []);
    });

    it('Remove <runtime field> as the first key of the item keeps the item', () => {
      const before = dedent`
        tasks:
          - status: pending
            id: root
            name: Root
            schemas: { method: system_info_executor }
      `;
      const after = fix(before, 'runtime-field', 'Remove `status`');
      assert.equal(after, before.replace('  - status: pending\n    id: root\n', '  - id: root\n'));
    });

    it('Remove <runtime field> in a flow mapping and in JSON', () => {
      const flow = 'tasks:\n  - { id: root, name: Root, progress: 0.5, schemas: { method: system_info_executor } }\n';
      golden(flow, 'runtime-field', 'Remove `progress`', 'tasks:\n  - { id: root, name: Root, schemas: { method: system_info_executor } }\n');
      const json = '[{"id": "root", "name": "Root", "schemas": {"method": "system_info_executor"}, "status": "done"}]\n';
      const after = fix(json, 'runtime-field', 'Remove `status`', { fileName: JSON_FILE });
      assert.deepEqual(JSON.parse(after), [{ id: 'root', name: 'Root', schemas: { method: 'system_info_executor' } }]);
    });

    it('Remove declaration deletes the executor entry', () => {
      const before = dedent`
        executors:
          spare:
            module: ./s.mjs
            description: Not used.
          used:
            module: ./u.mjs
        tasks:
          - { id: root, name: Root, schemas: { method: used } }
      `;
      golden(before, 'unused-executor', 'Remove declaration', before.replace('  spare:\n    module: ./s.mjs\n    description: Not used.\n', ''));
    });

    it('Rewrite as <days> <HH:MM> fixes the schedule expression', () => {
      const before = dedent`
        tasks:
          - id: root
            name: Root
            schemas: { method: system_info_executor }
            schedule_type: weekly
            schedule_expression: Mon,Fri@07:05
      `;
      const after = fix(before, 'schedule-format', 'Rewrite as `1,5 07:05`');
      assert.equal(after, before.replace('Mon,Fri@07:05', '"1,5 07:05"'));
      assert.deepEqual(analyze(after), []);
      const quoted = before.replace('weekly', 'monthly').replace('Mon,Fri@07:05', "'1,15@23:59'");
      golden(quoted, 'schedule-format', 'Rewrite as `1,15 23:59`', quoted.replace("'1,15@23:59'", "'1,15 23:59'"));
    });
  });
});
