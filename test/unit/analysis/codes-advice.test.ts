// Diagnostic codes from the guide's advice (issue 11): tree-too-large, missing-timeout,
// priority-overuse, fallback-blocked, name-as-executor. For each code, a case that must report it
// (code, severity, exact range, message, quick fix) and a case that must not.
import { strict as assert } from 'node:assert';
import { analyze, analyzer, ANY_FILE, dedent, expectAt, expectFixed, expectNone, JSON_FILE, only } from './fixture';

/** A root collecting `n - 1` children (n tasks in all). */
function tree(n: number): string {
  const lines = ['tasks:', '  - id: root', '    name: Root', '    schemas: { method: aggregate_results_executor }'];
  for (let i = 1; i < n; i++) lines.push(`  - id: t${i}`, `    parent_id: root`, `    schemas: { method: system_info_executor }`);
  return `${lines.join('\n')}\n`;
}

describe('analysis: diagnostic codes from the guide (issue 11)', () => {
  describe('tree-too-large', () => {
    it('points at the root of a tree larger than the limit, counting the root', () => {
      const text = tree(6).replace('  - id: root\n    name: Root', '  - id: root\n    «name»: Root');
      const { diagnostics } = expectAt(text, 'tree-too-large', 'information', { env: { ...ANY_FILE, maxTreeSize: 5 } });
      assert.equal(
        diagnostics[0].message,
        "the tree of 'root' has 6 tasks, more than the limit of 5: break it into smaller trees that run one after another (the limit is the setting apflow.validate.maxTreeSize)",
      );
      assert.equal(diagnostics[0].task, 'root');
    });

    it('uses 200 by default, and is silent at the limit or when the tasks are split between roots', () => {
      assert.equal(only(analyze(tree(201)), 'tree-too-large').length, 1);
      expectNone(tree(200), 'tree-too-large');
      expectNone(tree(5), 'tree-too-large', { env: { ...ANY_FILE, maxTreeSize: 5 } });
      // Two roots of three tasks each, and a parent loop of two that belongs to no root.
      const split = dedent`
        tasks:
          - { id: r1, name: R1 }
          - { id: a, parent_id: r1 }
          - { id: b, parent_id: a }
          - { id: r2, name: R2 }
          - { id: c, parent_id: r2 }
          - { id: d, parent_id: c }
          - { id: x, parent_id: y }
          - { id: y, parent_id: x }
      `;
      expectNone(split, 'tree-too-large', { env: { ...ANY_FILE, maxTreeSize: 3 } });
    });
  });

  describe('missing-timeout', () => {
    it('points at the executor of an I/O task without a timeout, with the fix', () => {
      const { text, diagnostics } = expectAt(
        dedent`
          tasks:
            - id: fetch
              name: Fetch
              schemas: { method: «rest_executor» }
              inputs: { url: "https://example.com" }
        `,
        'missing-timeout',
        'hint',
      );
      assert.equal(
        diagnostics[0].message,
        "task 'fetch' runs `rest_executor` without a timeout: it waits up to the executor's default of 30 s. Set `inputs.timeout` to the seconds this call may take",
      );
      expectFixed(text, diagnostics[0], 'Add `timeout: 30` to the inputs', text.replace('inputs: { url: "https://example.com" }', 'inputs: { timeout: 30, url: "https://example.com" }'));
    });

    it('asks a workspace executor task for its own timeout', () => {
      const { text, diagnostics } = expectAt(
        dedent`
          executors:
            format_report:
              module: ./format.mjs
          tasks:
            - id: fmt
              name: Format
              schemas: { method: «format_report» }
        `,
        'missing-timeout',
        'hint',
      );
      assert.equal(diagnostics[0].message, "task 'fmt' runs the workspace executor `format_report` without a timeout: nothing stops it if it hangs. Set `timeout` to the seconds it may take");
      expectFixed(text, diagnostics[0], 'Add `timeout: 30`', `${text}    timeout: 30\n`);
    });

    it('is silent with a task or input timeout, for executors that do no I/O, and for unknown ones', () => {
      expectNone(
        dedent`
          tasks:
            - id: root
              name: Root
              schemas: { method: aggregate_results_executor }
              dependencies: [a, b, c]
            - id: a
              parent_id: root
              schemas: { method: command_executor }
              inputs: { command: "true", timeout: 5 }
            - id: b
              parent_id: root
              schemas: { method: rest_executor }
              inputs: { url: "https://example.com" }
              timeout: 10
            - id: c
              parent_id: root
              schemas: { method: system_info_executor }
            - id: d
              parent_id: root
              schemas: { method: my_python_executor }
        `,
        'missing-timeout',
      );
    });
  });

  describe('priority-overuse', () => {
    const urgent = (n: number, of: number) => {
      const lines = ['tasks:', '  - id: root', '    schemas: { method: aggregate_results_executor }'];
      for (let i = 1; i < of; i++) lines.push(`  - id: t${i}`, '    parent_id: root', '    schemas: { method: system_info_executor }', ...(i <= n ? ['    priority: 0'] : []));
      return `${lines.join('\n')}\n`;
    };

    it('warns once, on the first priority 0, naming the others', () => {
      const text = urgent(4, 12).replace('priority: 0', 'priority: «0»');
      const { diagnostics } = expectAt(text, 'priority-overuse', 'warning');
      assert.equal(
        diagnostics[0].message,
        '4 of 12 tasks have priority 0: keep 0 for the few critical tasks and give the others 1 (high), 2 (normal, the default) or 3 (low), or priority ranks nothing',
      );
      assert.equal(diagnostics[0].task, 't1');
      assert.deepEqual(
        diagnostics[0].related?.map((r) => r.message),
        ["'t2' also has priority 0", "'t3' also has priority 0", "'t4' also has priority 0"],
      );
    });

    it('is silent for a quarter of the tasks, or for fewer than four', () => {
      expectNone(urgent(4, 16), 'priority-overuse');
      expectNone(urgent(3, 4), 'priority-overuse');
    });
  });

  describe('fallback-blocked', () => {
    const FALLBACK = dedent`
      tasks:
        - id: final
          name: Final
          schemas: { method: aggregate_results_executor }
          dependencies: [«primary», { id: fallback, required: false }]
        - id: primary
          parent_id: final
          schemas: { method: system_info_executor }
        - id: fallback
          parent_id: final
          schemas: { method: system_info_executor }
          dependencies: [{ id: primary, required: false }]
    `;

    it('points at the required dependency on the primary, with the fix', () => {
      const { text, diagnostics } = expectAt(FALLBACK, 'fallback-blocked', 'warning');
      assert.equal(
        diagnostics[0].message,
        "'final' requires 'primary' but also waits for its fallback 'fallback' (which depends on 'primary' optionally): when 'primary' fails, 'final' is blocked and the fallback's work is wasted. Make the dependency on 'primary' optional",
      );
      expectFixed(text, diagnostics[0], 'Make the dependency on `primary` optional', text.replace('[primary,', '[{ id: primary, required: false },'));
    });

    it('rewrites `required: true` in a mapping entry, and quotes in JSON', () => {
      const { text, diagnostics } = expectAt(FALLBACK.replace('«primary»', '{ id: «primary», required: true }'), 'fallback-blocked', 'warning');
      expectFixed(text, diagnostics[0], 'Make the dependency on `primary` optional', text.replace('{ id: primary, required: true }', '{ id: primary, required: false }'));
      const json = JSON.stringify([
        { id: 'final', name: 'Final', schemas: { method: 'aggregate_results_executor' }, dependencies: ['primary', { id: 'fallback', required: false }] },
        { id: 'primary', name: 'P', parent_id: 'final', schemas: { method: 'system_info_executor' } },
        { id: 'fallback', name: 'F', parent_id: 'final', schemas: { method: 'system_info_executor' }, dependencies: [{ id: 'primary', required: false }] },
      ], null, 2);
      const [d] = only(analyze(json, JSON_FILE), 'fallback-blocked');
      const fixed = expectFixed(json, d, 'Make the dependency on `primary` optional', undefined, JSON_FILE);
      assert.deepEqual(JSON.parse(fixed)[0].dependencies, [{ id: 'primary', required: false }, { id: 'fallback', required: false }]);
    });

    it("is silent for the guide's pattern, and when the other task is not a fallback", () => {
      expectNone(FALLBACK.replace('«primary»', '{ id: primary, required: false }'), 'fallback-blocked');
      expectNone(FALLBACK.replace('«primary»', 'primary').replace('[{ id: primary, required: false }]', '[primary]'), 'fallback-blocked');
    });
  });

  describe('name-as-executor', () => {
    it('points at a name that is an executor id when the task has no executor, with the fix', () => {
      const { text, diagnostics, all } = expectAt(
        dedent`
          tasks:
            - id: probe
              name: «system_info_executor»
              inputs: { resource: cpu }
        `,
        'name-as-executor',
        'information',
      );
      assert.equal(
        diagnostics[0].message,
        "task 'probe' is named `system_info_executor` but has no executor: apflow never takes the executor from the name. Set `schemas.method: system_info_executor`",
      );
      assert.deepEqual(only(all, 'missing-executor').length, 1);
      const fixed = expectFixed(text, diagnostics[0], 'Set `schemas.method` to `system_info_executor`', `${text}    schemas: { method: system_info_executor }\n`);
      assert.deepEqual(analyze(fixed).map((d) => d.code), []);
    });

    it('is silent when the task has an executor, or its name is not an executor id', () => {
      expectNone('tasks:\n  - id: p\n    name: system_info_executor\n    schemas: { method: system_info_executor }\n', 'name-as-executor');
      expectNone('tasks:\n  - id: p\n    name: Probe\n', 'name-as-executor');
    });
  });

  it('the whole-file advice follows edits of priority and timeout (incremental path)', () => {
    const doc = analyzer();
    const base = dedent`
      tasks:
        - id: root
          schemas: { method: aggregate_results_executor }
          dependencies: [a]
        - id: a
          parent_id: root
          schemas: { method: rest_executor }
          inputs: { url: "https://example.com" }
    `;
    assert.equal(only(doc.update(base).diagnostics, 'missing-timeout').length, 1);
    const timed = base.replace('inputs: { url', 'inputs: { timeout: 5, url');
    assert.equal(only(doc.update(timed).diagnostics, 'missing-timeout').length, 0);
    assert.equal(only(doc.update(base).diagnostics, 'missing-timeout').length, 1);
  });
});
