// Diagnostic codes of spec 2.1 — executors and their inputs.
// For each code, a case that must report it (code, severity, exact range, the essential parts of
// the message) and a case that must not. Deeper rules have their own files.
import { strict as assert } from 'node:assert';
import { dedent, expectAt, expectNone, fakeEnv, mark } from './fixture';
import { HEALTHY } from './healthy';

describe('analysis: diagnostic codes (spec 2.1) — executors and their inputs', () => {
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

    it('leaves a required input to the dependencies of a task that has them (their results are merged in), but not a wrong type', () => {
      const tree = dedent`
        tasks:
          - id: root
            name: Root
            schemas: { method: aggregate_results_executor }
            dependencies: [ask]
          - id: prompt
            name: Prompt
            parent_id: root
            schemas: { method: system_info_executor }
          - id: ask
            name: Ask
            parent_id: root
            dependencies: [prompt]
            schemas: { method: command_executor }
            inputs: { timeout: 5 }
      `;
      expectNone(tree, 'invalid-inputs');
      const { diagnostics } = expectAt(tree.replace('inputs: { timeout: 5 }', 'inputs: { timeout: «five» }'), 'invalid-inputs', 'error');
      assert.match(diagnostics[0].message, /timeout/);
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
