// The acceptance checks themselves: each expectation of README.md fails when the output breaks it,
// so that a passing acceptance case means what it says.
import assert from 'node:assert/strict';
import { checkRun, checkValidate, isSubset, stepsOf, type OutputTask, type ValidateExpectation } from './expectations';

const diagnostic = (code: string, line: number, severity = 'error', message = '', character = 2) => ({
  code,
  severity,
  message,
  range: { start: { line, character } },
});
const output = (...diagnostics: ReturnType<typeof diagnostic>[]) => ({ files: [{ diagnostics }] });
const validate = (diagnostics: ValidateExpectation['diagnostics'], extra: Partial<ValidateExpectation> = {}): ValidateExpectation => ({
  kind: 'validate',
  diagnostics,
  ...extra,
});

describe('acceptance expectations', () => {
  describe('validate', () => {
    it('wants errors and warnings to be exactly the listed (code, line) pairs', () => {
      const got = output(diagnostic('dependency-cycle', 10), diagnostic('unknown-key', 4, 'warning'));
      assert.deepEqual(checkValidate(validate([{ code: 'dependency-cycle', line: 10 }, { code: 'unknown-key', line: 4 }]), got), []);
      assert.deepEqual(checkValidate(validate([{ code: 'dependency-cycle', line: 10 }]), got), ['unexpected diagnostic unknown-key@4']);
      assert.deepEqual(checkValidate(validate([{ code: 'dependency-cycle', line: 10 }], { exact: false }), got), []);
      assert.deepEqual(checkValidate(validate([{ code: 'dependency-cycle', line: 11 }], { exact: false }), got), [
        'missing diagnostic dependency-cycle@11 (line 0-based)',
      ]);
    });

    it('checks information and hints only where listed', () => {
      const got = output(diagnostic('unused-executor', 2, 'hint'));
      assert.deepEqual(checkValidate(validate([]), got), []);
      assert.deepEqual(checkValidate(validate([{ code: 'remote-executor', line: 2, severity: 'information' }]), got), [
        'missing diagnostic remote-executor@2 (line 0-based)',
      ]);
    });

    it('checks severity, start character and message fragments where given', () => {
      const got = output(diagnostic('unreachable', 2, 'warning', 'never runs: requires fetch'));
      const want = validate([{ code: 'unreachable', line: 2, severity: 'error', character: 4, message_contains: ['fetch', 'parse'] }], { exact: false });
      assert.deepEqual(checkValidate(want, got), [
        'unreachable@2 has severity warning, want error',
        'unreachable@2 starts at character 2, want 4',
        'unreachable@2 message "never runs: requires fetch" lacks "parse"',
      ]);
    });

    it('expects exit status 1 exactly when an error is listed, unless `exit` says otherwise', () => {
      assert.equal(stepsOf(validate([{ code: 'unreachable', line: 2, severity: 'warning' }]))[0].exit, 0);
      assert.equal(stepsOf(validate([{ code: 'schema', line: 2, severity: 'error' }]))[0].exit, 1);
      assert.equal(stepsOf(validate([], { exit: 2 }))[0].exit, 2);
    });
  });

  describe('run', () => {
    const task = (id: string, status: string, started: number | null, completed: number | null, extra: Partial<OutputTask> = {}): OutputTask => ({
      id,
      status,
      error: null,
      started_at: started === null ? null : new Date(started).toISOString(),
      completed_at: completed === null ? null : new Date(completed).toISOString(),
      ...extra,
    });

    it('compares objects as subsets and everything else exactly', () => {
      assert.ok(isSubset({ a: { b: 1 } }, { a: { b: 1, c: 2 }, d: 3 }));
      assert.ok(!isSubset({ a: [1] }, { a: [1, 2] }));
      assert.ok(!isSubset({ a: null }, { a: undefined }));
      assert.ok(!isSubset({ a: 1 }, null));
    });

    it('checks the run, the refusal and each listed task', () => {
      const out = {
        refused: false,
        run: { status: 'failed', trigger: 'run' },
        tasks: [task('a', 'failed', 0, 5, { error: 'bad header', result: null }), task('b', 'completed', 5, 9, { result: { x: 1, y: 2 } })],
      };
      assert.deepEqual(
        checkRun(
          {
            refused: true,
            refused_codes: ['dependency-cycle'],
            run: { status: 'completed' },
            tasks: { a: { error_contains: 'timeout', result: null }, b: { result_subset: { x: 2 } }, c: { status: 'completed' }, gone: { absent: true } },
          },
          out,
        ),
        [
          'refused is false, want true',
          'the refusal lacks a dependency-cycle diagnostic',
          'run {"status":"failed","trigger":"run"} does not match {"status":"completed"}',
          'a.error "bad header" lacks "timeout"',
          'b.result {"x":1,"y":2} lacks {"x":2}',
          'task c is missing from the run',
        ],
      );
      assert.deepEqual(checkRun({ tasks: { b: { absent: true }, a: { status: 'failed' } } }, out), ['task b should not be in the run']);
    });

    it('checks order, overlap and start order from the task times', () => {
      const out = { tasks: [task('a', 'completed', 0, 10), task('b', 'completed', 5, 20), task('c', 'completed', 20, 30)] };
      assert.deepEqual(checkRun({ order: [['a', 'c'], ['b', 'c']], overlap: [['a', 'b']], start_order: ['a', 'b', 'c'] }, out), []);
      assert.deepEqual(checkRun({ order: [['a', 'b'], ['a', 'missing']], overlap: [['a', 'c']], start_order: ['b', 'a'] }, out), [
        'a should finish before b starts',
        'a should finish before missing starts',
        'a and c should run at the same time',
        'tasks should start in the order b < a',
      ]);
    });

    it('finds task records in states the runtime must never leave them in', () => {
      const out = {
        tasks: [
          task('done', 'completed', 0, 1, { error: 'x' }),
          task('failed', 'failed', 0, 1),
          task('waiting', 'pending', 3, null),
          task('backwards', 'completed', 9, 1),
        ],
      };
      assert.deepEqual(checkRun({ no_illegal_state: true }, out), [
        'done completed with an error',
        'failed is failed without an error',
        'waiting is pending but has started',
        'backwards completed before it started',
      ]);
    });
  });
});
