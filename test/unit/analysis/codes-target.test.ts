// The target apflow line (issue 11): how it is chosen, and the diagnostic codes that follow it —
// multiple-roots, unknown-executor for 0.18-only built-ins, dropped-field, priority-zero-last — plus
// ignored-input and crewai's params. For each code a case that must report it (code, severity, exact
// range, the essential parts of the message) and one that must not.
import { strict as assert } from 'node:assert';
import { analyzeFile, type AnalysisEnv } from '../../../analysis';
import { analyze, analyzer, ANY_FILE, applyFix, dedent, expectAt, expectNone, only, YAML_FILE } from './fixture';

const on = (target: '0.18' | '0.20'): AnalysisEnv => ({ ...ANY_FILE, target });

const TWO_ROOTS = dedent`
  tasks:
    - id: a
      name: A
      schemas: { method: aggregate_results_executor }
    - id: b
      «name»: B
      schemas: { method: aggregate_results_executor }
`;

describe('analysis: the target apflow line', () => {
  describe('choosing it', () => {
    it('is 0.18 by default, the host’s option without apflow_version, and the file’s own apflow_version above both', () => {
      const text = TWO_ROOTS.replace(/[«»]/g, '');
      assert.deepEqual(analyzeFile(text, YAML_FILE, ANY_FILE).target, { target: '0.18', source: 'default' });
      assert.deepEqual(analyzeFile(text, YAML_FILE, on('0.20')).target, { target: '0.20', source: 'option' });
      const declared = analyzeFile(`apflow_version: "0.18"\n${text}`, YAML_FILE, on('0.20'));
      assert.deepEqual(declared.target, { target: '0.18', source: 'file' });
      assert.equal(declared.model.target, '0.18');
      assert.equal(only(declared.diagnostics, 'multiple-roots').length, 1, 'the file’s 0.18 wins over the option’s 0.20');
    });

    it('reads an unquoted 0.20 as written (YAML would make it the number 0.2), and any later 0.x as 0.20', () => {
      const text = TWO_ROOTS.replace(/[«»]/g, '');
      assert.equal(analyzeFile(`apflow_version: 0.20\n${text}`, YAML_FILE, ANY_FILE).target.target, '0.20');
      assert.equal(analyzeFile(`apflow_version: "0.24.1"\n${text}`, YAML_FILE, ANY_FILE).target.target, '0.20');
      assert.equal(analyzeFile(`apflow_version: 0.18.1\n${text}`, YAML_FILE, on('0.20')).target.target, '0.18');
    });

    it('reports an apflow_version these checks do not know as unsupported-version, and falls back to the option', () => {
      const { diagnostics, text } = expectAt(`apflow_version: «"0.12"»\n${TWO_ROOTS.replace(/[«»]/g, '')}`, 'unsupported-version', 'error', { env: on('0.20') });
      assert.match(diagnostics[0].message, /apflow_version 0\.12 .*"0\.18" or "0\.20"/);
      assert.equal(analyzeFile(text, YAML_FILE, on('0.20')).target.target, '0.20');
    });

    it('re-checks every task when the target changes: by an edit of apflow_version, or by the host’s option', () => {
      const body = dedent`
        tasks:
          - id: root
            name: Root
            schemas: { method: aggregate_results_executor }
            max_attempts: 3
      `;
      const a = analyzer();
      assert.equal(only(a.update(body).diagnostics, 'dropped-field')[0].severity, 'information');
      assert.equal(only(a.update(`apflow_version: "0.18"\n${body}`).diagnostics, 'dropped-field')[0].severity, 'warning', 'the default became a choice');
      assert.equal(only(a.update(`apflow_version: "0.20"\n${body}`).diagnostics, 'dropped-field').length, 0);
      assert.equal(only(a.update(`apflow_version: "0.18"\n${body}`).diagnostics, 'dropped-field').length, 1);

      const env: { fileExists: () => boolean; target?: '0.18' | '0.20' } = { fileExists: () => true };
      const b = analyzer(YAML_FILE, env);
      assert.equal(only(b.update(body).diagnostics, 'dropped-field').length, 1);
      env.target = '0.20';
      assert.equal(only(b.refresh()?.diagnostics ?? [], 'dropped-field').length, 0, 'refresh after the setting changed');
      assert.equal(b.refresh()?.target.source, 'option');
    });
  });

  describe('multiple-roots follows the target', () => {
    it('is an error on every root after the first on 0.18, naming the line and the way out', () => {
      const { diagnostics } = expectAt(TWO_ROOTS, 'multiple-roots', 'error');
      assert.match(diagnostics[0].message, /'b' has no parent_id, like the root 'a': apflow 0\.18 takes exactly one root/);
      assert.match(diagnostics[0].message, /apflow_version: "0\.20"/);
    });

    it('is silent on 0.20, which takes several roots', () => {
      expectNone(`apflow_version: "0.20"\n${TWO_ROOTS.replace(/[«»]/g, '')}`, 'multiple-roots');
    });
  });

  describe('cross-tree-dependency (0.20 forests)', () => {
    it('warns at a required dependency on a task of another tree, which apflow 0.20 never finds', () => {
      const { diagnostics } = expectAt(
        dedent`
          apflow_version: "0.20"
          tasks:
            - id: r1
              name: R1
              schemas: { method: aggregate_results_executor }
            - id: r2
              name: R2
              schemas: { method: aggregate_results_executor }
              dependencies: [c]
            - id: c
              name: C
              parent_id: r2
              schemas: { method: aggregate_results_executor }
              dependencies: [«r1», { id: r2, required: false }]
        `,
        'cross-tree-dependency',
        'warning',
      );
      assert.match(diagnostics[0].message, /^task 'c' depends on 'r1' of the tree under 'r1', not its own tree under 'r2': apflow 0\.20 looks dependencies up only within a task's tree/);
    });

    it('is silent within one tree, for an optional dependency, and on 0.18 (where the second root is the error)', () => {
      const forest = dedent`
        tasks:
          - id: r1
            name: R1
            schemas: { method: aggregate_results_executor }
            dependencies: [c]
          - id: c
            name: C
            parent_id: r1
            schemas: { method: aggregate_results_executor }
          - id: r2
            name: R2
            schemas: { method: aggregate_results_executor }
            dependencies: [{ id: c, required: false }]
      `;
      expectNone(`apflow_version: "0.20"\n${forest}`, 'cross-tree-dependency');
      expectNone(forest.replace('{ id: c, required: false }', 'c'), 'cross-tree-dependency');
    });
  });

  describe('unknown-executor on 0.20 for a built-in 0.20 no longer ships', () => {
    it('points at the executor id and lists the four built-ins of 0.20', () => {
      const { diagnostics } = expectAt(
        dedent`
          apflow_version: "0.20"
          tasks:
            - id: root
              name: Root
              schemas: { method: «command_executor» }
              inputs: { command: echo hi }
        `,
        'unknown-executor',
        'error',
      );
      assert.match(diagnostics[0].message, /not built into apflow 0\.20, which ships only aggregate_results_executor, rest_executor, send_email_executor, apflow_api_executor/);
    });

    it('accepts the same executor on 0.18, and 0.20’s own four on 0.20', () => {
      const text = dedent`
        tasks:
          - id: root
            name: Root
            schemas: { method: command_executor }
            inputs: { command: echo hi }
      `;
      expectNone(text, 'unknown-executor');
      expectNone(`apflow_version: "0.20"\n${text.replace('command_executor', 'rest_executor').replace('command: echo hi', 'url: https://example.com')}`, 'unknown-executor');
    });
  });

  describe('dropped-field', () => {
    it('warns on a chosen 0.18 at each retry or budget field, naming the field and the version; the fix removes it', () => {
      const { diagnostics, text } = expectAt(
        dedent`
          apflow_version: "0.18"
          tasks:
            - id: load
              name: Load
              schemas: { method: aggregate_results_executor }
              «max_attempts»: 3
              «backoff_strategy»: linear
              «token_budget»: 1000
        `,
        'dropped-field',
        'warning',
      );
      assert.match(diagnostics[0].message, /^apflow 0\.18 has no `max_attempts` field and drops it silently from task 'load'/);
      assert.match(diagnostics[2].message, /`token_budget`/);
      assert.doesNotMatch(applyFix(text, diagnostics[0], 'Remove `max_attempts`'), /max_attempts/);
    });

    it('only informs when 0.18 is the default target (the embedded runtime does read the fields), and warns with --target 0.18', () => {
      const text = dedent`
        tasks:
          - id: load
            name: Load
            schemas: { method: aggregate_results_executor }
            «max_attempts»: 3
      `;
      const { diagnostics } = expectAt(text, 'dropped-field', 'information');
      assert.match(diagnostics[0].message, /drops it silently from task 'load' \(0\.18 is the default target\)/);
      expectAt(text, 'dropped-field', 'warning', { env: on('0.18') });
    });

    it('is silent on 0.20, which has those columns, and 0.20’s keys are not unknown keys there', () => {
      const text = dedent`
        apflow_version: "0.20"
        tasks:
          - id: load
            name: Load
            schemas: { method: aggregate_results_executor }
            max_attempts: 3
            backoff_base_seconds: 2
            token_budget: 1000
            cost_policy: block
      `;
      const all = expectNone(text, 'dropped-field');
      assert.deepEqual(all.map((d) => d.code), []);
    });
  });

  describe('priority-zero-last', () => {
    it('informs at the priority of a child with priority 0: apflow starts it after its siblings', () => {
      const { diagnostics } = expectAt(
        dedent`
          tasks:
            - id: root
              name: Root
              schemas: { method: aggregate_results_executor }
              dependencies: [urgent]
            - id: urgent
              name: Urgent
              parent_id: root
              priority: «0»
              schemas: { method: aggregate_results_executor }
        `,
        'priority-zero-last',
        'information',
      );
      assert.match(diagnostics[0].message, /task 'urgent' has priority 0: it starts first here, but apflow 0\.18 starts it after the tasks of priority 1–3/);
    });

    it('is silent for a root with priority 0 and for a child with priority 1', () => {
      const text = dedent`
        tasks:
          - id: root
            name: Root
            priority: 0
            schemas: { method: aggregate_results_executor }
            dependencies: [child]
          - id: child
            name: Child
            parent_id: root
            priority: 1
            schemas: { method: aggregate_results_executor }
      `;
      expectNone(text, 'priority-zero-last');
    });
  });

  describe('ignored-input', () => {
    it('informs at `cwd` and `env` of command_executor, which apflow does not read', () => {
      const { diagnostics } = expectAt(
        dedent`
          tasks:
            - id: build
              name: Build
              schemas: { method: command_executor }
              inputs: { command: make, «cwd»: ./src, «env»: { CC: clang } }
        `,
        'ignored-input',
        'information',
      );
      assert.match(diagnostics[0].message, /^`cwd` of task 'build' is read only by this runtime: apflow's `command_executor` ignores it/);
    });

    it('is silent for the inputs apflow reads, and for `env` of an executor that has it (ssh)', () => {
      expectNone(
        dedent`
          tasks:
            - id: build
              name: Build
              schemas: { method: command_executor }
              inputs: { command: make, timeout: 60 }
              dependencies: [remote]
            - id: remote
              name: Remote
              parent_id: build
              schemas: { method: ssh_executor }
              inputs: { host: h, username: u, command: ls, env: { A: b } }
        `,
        'ignored-input',
      );
    });
  });

  describe('crewai needs `works` (a constructor argument: from params, or an input of that name)', () => {
    it('reports a crewai task with neither, at the executor when there is no params', () => {
      const { diagnostics } = expectAt(
        dedent`
          tasks:
            - id: crew
              name: Crew
              schemas: { method: «crewai_executor» }
              inputs: { topic: ai }
        `,
        'invalid-inputs',
        'error',
      );
      assert.match(diagnostics[0].message, /^task 'crew' is missing `works` of `crewai_executor`, which apflow passes to the executor's constructor: add it under `params`$/);
    });

    it('is silent when `works` is an input (apflow merges inputs into the constructor arguments) or may come from a dependency', () => {
      expectNone(
        dedent`
          tasks:
            - id: crew
              name: Crew
              schemas: { method: crewai_executor }
              inputs: { works: { agents: {}, tasks: {} } }
              dependencies: [batch]
            - id: batch
              name: Batch
              parent_id: crew
              schemas: { method: batch_crewai_executor }
              dependencies: [seed]
            - id: seed
              name: Seed
              parent_id: crew
              schemas: { method: aggregate_results_executor }
        `,
        'invalid-inputs',
      );
    });
  });
});

describe('analysis: no false errors on trees apflow accepts (issue 11)', () => {
  const clean = (text: string, env: AnalysisEnv = ANY_FILE) => {
    const problems = analyze(text, YAML_FILE, env).filter((d) => d.severity === 'error' || d.severity === 'warning');
    assert.deepEqual(problems.map((d) => `${d.code}: ${d.message}`), []);
  };

  it('any string in schemas.type (apflow logs it and never checks it)', () => {
    clean(dedent`
      tasks:
        - id: root
          name: Root
          schemas: { type: stdio, method: system_info_executor }
          dependencies: [b]
        - id: b
          name: B
          parent_id: root
          schemas: { type: core, method: aggregate_results_executor }
    `);
  });

  it('schemas with an input_schema and no method when params.executor_id names the executor', () => {
    clean(dedent`
      tasks:
        - id: root
          name: Root
          params: { executor_id: system_info_executor }
          schemas: { input_schema: { type: object, properties: { resource: { type: string } } } }
          inputs: { resource: cpu }
    `);
  });

  it('null in every nullable column (all but id and name), and in optional executor inputs', () => {
    clean(dedent`
      tasks:
        - id: root
          name: Root
          parent_id: null
          user_id: null
          priority: null
          dependencies: null
          params: null
          schedule_type: null
          schedule_expression: null
          schedule_enabled: null
          schedule_start_at: null
          schedule_end_at: null
          max_runs: null
          schemas: { method: rest_executor }
          inputs: { url: https://example.com, headers: null, json: null, data: null, auth: null }
    `);
  });

  it('crewai_executor with `works` under params', () => {
    const problems = analyze(
      dedent`
        tasks:
          - id: crew
            name: Crew
            schemas: { method: crewai_executor }
            params: { works: { agents: { a: { role: r, goal: g, backstory: b } }, tasks: { t: { description: d, agent: a } } } }
      `,
    ).filter((d) => d.severity === 'error' || d.severity === 'warning');
    assert.deepEqual(problems, []);
  });

  it('rest_executor with mapping bodies in `json` and `data`', () => {
    clean(dedent`
      tasks:
        - id: post
          name: Post
          schemas: { method: rest_executor }
          inputs: { url: https://example.com, method: POST, json: { a: 1 }, data: { b: "2" } }
    `);
  });

  it('several roots on 0.20', () => {
    clean(`apflow_version: "0.20"\n${TWO_ROOTS.replace(/[«»]/g, '')}`);
    clean(TWO_ROOTS.replace(/[«»]/g, ''), on('0.20'));
  });
});
