// Tree tests on the embedded runtime (issue 14): mocks by task and by executor, case inputs, hooks,
// strict mode, unit cases of a JavaScript and a Python executor, every expectation kind passing and
// failing (with its message and the line it points at), and coverage.
import { strict as assert } from 'node:assert';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTestFile, type TestFileReport } from '../../../runtime/testing';

const PYTHON_FIXTURE = join(__dirname, '../../fixtures/python-run/executors');

const TREE = `executors:
  step: { module: ./steps.mjs, export: step }
  double: { python: executors/basic.py:double }
  raises: { python: executors/basic.py:Raises }
hooks:
  pre:
    - { module: ./hooks.mjs, export: stamp }
tasks:
  - id: root
    name: Root
    schemas: { method: aggregate_results_executor }
    dependencies: [b, c]
  - id: a
    name: A
    parent_id: root
    schemas: { method: step }
    inputs: { n: 1 }
  - id: b
    name: B
    parent_id: root
    schemas: { method: step }
    inputs: { own: true }
    dependencies: [a]
  - id: c
    name: C
    parent_id: root
    schemas: { method: step }
    inputs: { n: 3 }
    max_attempts: 3
    backoff_base_seconds: 30
`;

// Every call leaves a line in calls.log, so a test sees which executors really ran.
const STEPS = `import { appendFileSync } from 'node:fs';
export function step(inputs, context) {
  appendFileSync(new URL('./calls.log', import.meta.url), context.task.id + '\\n');
  return { n: (inputs.n ?? 0) + 10, got: Object.keys(inputs).sort() };
}`;
const HOOKS = 'export function stamp(task) { task.inputs.stamped = true; }';

// Holds a lock file for a while: a second holder at the same time fails, as two runs writing one file would.
const LOCKED = `import { openSync, closeSync, unlinkSync } from 'node:fs';
export async function locked() {
  const lock = new URL('./busy.lock', import.meta.url);
  closeSync(openSync(lock, 'wx'));
  await new Promise((resolve) => setTimeout(resolve, 40));
  unlinkSync(lock);
  return { done: true };
}`;

describe('runtime: tree tests (issue 14)', function () {
  this.timeout(30_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'apflow-tree-tests-'));
    writeFileSync(join(dir, 'flow.apflow.yaml'), TREE);
    writeFileSync(join(dir, 'steps.mjs'), STEPS);
    writeFileSync(join(dir, 'hooks.mjs'), HOOKS);
    writeFileSync(join(dir, 'locked.mjs'), LOCKED);
    writeFileSync(
      join(dir, 'locked.apflow.yaml'),
      'executors:\n  locked: { module: ./locked.mjs, export: locked }\ntasks:\n  - id: write\n    name: Write\n    schemas: { method: locked }\n',
    );
    cpSync(PYTHON_FIXTURE, join(dir, 'executors'), { recursive: true });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const calls = () => (existsSync(join(dir, 'calls.log')) ? readFileSync(join(dir, 'calls.log'), 'utf8').split('\n').filter(Boolean).sort() : []);
  async function run(name: string, text: string): Promise<TestFileReport> {
    rmSync(join(dir, 'calls.log'), { force: true });
    const file = join(dir, name);
    writeFileSync(file, text);
    return runTestFile(file, text, {
      request: { env: process.env, allowPrivateUrls: false },
    });
  }
  const problemsOf = (report: TestFileReport) => report.problems.map((p) => `${p.range.start.line + 1}: ${p.message}`);
  const failuresOf = (report: TestFileReport) => report.cases.map((c) => c.failures.map((f) => `${f.range.start.line + 1}: ${f.message}`));

  it('passes cases whose expectations hold: mocks by task and by executor, case inputs, hooks, the dependency merge', async () => {
    const report = await run(
      'pass.apflow.test.yaml',
      `tree: flow.apflow.yaml
cases:
  - name: a mocked result flows into its dependent; the others run for real
    mocks:
      a: { result: { n: 100, from_mock: yes } }
    inputs:
      c: { n: 5 }
    expect:
      status: completed
      tasks:
        a: { status: completed, result_subset: { n: 100 }, attempts: 1 }
        b: { inputs_subset: { n: 100, from_mock: yes, own: true, stamped: true }, result_subset: { n: 110 } }
        c: { inputs_subset: { n: 5 }, result_subset: { n: 15 } }
      order: [[a, b], [b, root]]
  - name: a failing mock blocks its dependents and is retried without waiting
    hooks: false
    mocks:
      executor:step: { result: { n: 0 } }
      c: { fail: "upstream returned 503" }
    expect:
      status: failed
      tasks:
        c: { status: failed, error_contains: "503", attempts: 3 }
        root: { status: pending, blocked_by: c }
        b: { inputs_subset: { n: 0, own: true } }
  - name: delays show what runs side by side
    strict: true
    mocks:
      a: { result: {}, delay_ms: 60 }
      b: { result: {} }
      c: { result: {}, delay_ms: 60 }
      root: { result: {} }
    expect:
      overlap: [[a, c]]
      order: [[a, b], [c, root]]
  - name: a JavaScript executor alone
    executor: step
    inputs: { n: 1 }
    expect: { result_subset: { n: 11, got: [n] } }
  - name: a Python executor alone
    executor: double
    inputs: { value: 21 }
    expect: { result_subset: { value: 42 } }
  - name: a Python executor that raises
    executor: raises
    inputs: { key: colour }
    expect: { error_contains: "bad value for colour" }
`,
    );
    assert.deepEqual(report.problems, []);
    assert.deepEqual(failuresOf(report), [[], [], [], [], [], []]);
    // The executor-wide mock of the second case and the strict third case called no executor; the
    // first case's mocked `a` was not called either; the unit case called `step` once.
    assert.deepEqual(calls(), ['b', 'c', 'step']);
    // Hooks ran as in a real run, except in the case that says `hooks: false`.
    const hooked = report.cases.map((c) => c.tasks.some((t) => t.hooks !== undefined));
    assert.deepEqual(hooked, [true, false, true, false, false, false]);
    assert.ok(report.coverage);
  });

  it('fails each expectation kind that does not hold, saying what was expected and what happened, at its line', async () => {
    const report = await run(
      'fail.apflow.test.yaml',
      `tree: flow.apflow.yaml
cases:
  - name: everything wrong
    mocks:
      executor:step: { result: { n: 1 } }
      c: { fail: "timeout talking to the API" }
    expect:
      status: completed
      tasks:
        a: { status: failed, result_subset: { n: 2 }, attempts: 2 }
        b: { inputs_subset: { missing: 1 }, error_contains: "x" }
        c: { error_contains: "503", blocked_by: a }
        root: { status: completed, inputs_subset: { n: 1 } }
      order: [[b, a], [root, a]]
      overlap: [[a, b]]
  - name: unit case with the wrong result
    executor: step
    inputs: { n: 1 }
    expect: { result_subset: { n: 12 } }
  - name: unit case expected to fail
    executor: step
    inputs: {}
    expect: { error_contains: "boom" }
`,
    );
    assert.deepEqual(report.problems, []);
    assert.deepEqual(failuresOf(report), [
      [
        "8: expected the run to be completed, but it was failed (task 'c' failed: timeout talking to the API; 1 blocked)",
        "10: expected 'a' to be failed, but it completed",
        "10: the result of 'a' does not match: at `n`: expected 2, got 1",
        "10: expected 'a' to take 2 attempts, but it took 1",
        "11: the inputs 'b' received do not match: `missing` is missing (expected 1)",
        '11: expected \'b\' to fail with an error containing "x", but it completed',
        '12: expected the error of \'c\' to contain "503", but it was "timeout talking to the API"',
        "12: expected 'c' to be blocked by 'a', but it was not blocked (it failed: timeout talking to the API)",
        "13: expected 'root' to be completed, but it stayed pending, blocked by 'c'",
        "13: expected 'root' to receive inputs containing {\"n\":1}, but it stayed pending, blocked by 'c'",
        "14: expected 'b' to finish before 'a' started, but 'a' started while 'b' was still running",
        "14: expected root and a in that order, but 'root' never started",
        "15: expected 'a' and 'b' to run at the same time, but 'a' finished before the other started",
      ],
      ["19: the executor's result does not match: at `n`: expected 12, got 11"],
      ['23: expected the executor to fail with an error containing "boom", but it completed'],
    ]);
  });

  it('fails a strict case that leaves a task unmocked, naming it, without running anything', async () => {
    const report = await run(
      'strict.apflow.test.yaml',
      `tree: flow.apflow.yaml
cases:
  - name: strict
    strict: true
    mocks: { a: { result: {} }, root: { result: {} } }
`,
    );
    assert.deepEqual(failuresOf(report), [["3: strict case: tasks 'b' (B), 'c' (C) have no mock; mock them or drop `strict: true`"]]);
    assert.deepEqual(calls(), []);
  });

  it('runs no case of a file that names ids its tree does not have, and says which', async () => {
    const report = await run(
      'unknown.apflow.test.yaml',
      `tree: flow.apflow.yaml
cases:
  - name: typo
    mocks: { aa: { result: {} }, "executor:stepp": { result: {} } }
    expect: { tasks: { root: { blocked_by: cc } } }
  - name: unit of nothing
    executor: nothing
`,
    );
    assert.deepEqual(report.cases, []);
    assert.deepEqual(problemsOf(report), [
      "4: flow.apflow.yaml has no task 'aa'; did you mean 'a'?",
      "4: executor 'stepp' is neither used in flow.apflow.yaml, declared under its `executors:` nor built in; did you mean 'step'?",
      "5: flow.apflow.yaml has no task 'cc'; did you mean 'c'?",
      "7: executor 'nothing' is neither used in flow.apflow.yaml, declared under its `executors:` nor built in",
    ]);
  });

  it('reports schema problems and a missing tree file as problems of the test file', async () => {
    const bad = await run('bad.apflow.test.yaml', 'tree: flow.apflow.yaml\ncases:\n  - name: x\n    expect: { stauts: completed }\n');
    assert.deepEqual(problemsOf(bad), ['4: unknown key `stauts` in `cases.0.expect`; did you mean `status`?']);
    const missing = await run('missing.apflow.test.yaml', 'tree: nowhere.apflow.yaml\ncases:\n  - name: x\n');
    assert.equal(missing.problems.length, 1);
    assert.match(missing.problems[0].message, /^cannot read the tree file nowhere\.apflow\.yaml: /);
  });

  it('runs the cases of a `parallel: false` file one after another', async () => {
    const cases = Array.from({ length: 4 }, (_, i) => `  - name: writer ${i}\n    expect: { status: completed }\n`).join('');
    const report = await run('sequential.apflow.test.yaml', `tree: locked.apflow.yaml\nparallel: false\ncases:\n${cases}`);
    assert.deepEqual(failuresOf(report), [[], [], [], []]);
  });

  it('measures coverage: tasks no case ran, and edges no case exercised with a failure upstream', async () => {
    const report = await run(
      'coverage.apflow.test.yaml',
      `tree: flow.apflow.yaml
cases:
  - name: a fails, so b never runs and root is blocked
    mocks: { a: { fail: down }, c: { result: {} } }
  - name: a unit case counts for nothing here
    executor: step
`,
    );
    const coverage = report.coverage;
    assert.ok(coverage);
    assert.deepEqual(
      coverage.tasks.map((t) => [t.task, t.ran]),
      [
        ['root', false],
        ['a', true],
        ['b', false],
        ['c', true],
      ],
    );
    assert.deepEqual(
      coverage.edges.map((e) => [`${e.from}→${e.to}`, e.failedUpstream, e.range.start.line + 1]),
      [
        ['b→root', true, 12],
        ['c→root', false, 12],
        ['a→b', true, 23],
      ],
    );
  });
});
