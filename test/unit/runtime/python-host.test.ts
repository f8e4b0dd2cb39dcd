// The Python executor host with a real interpreter (python3) and the plain executors of
// test/fixtures/python-run: how tasks are called, their logs, results and errors, and the host's
// failure modes (timeout, cancel, a task that will not stop, a crash, a missing interpreter).
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { prepareRun, type RunRequest } from '../../../runtime/preflight';
import { TaskRun, type RunResult } from '../../../runtime/run';
import type { TaskRecord } from '../../../runtime/types';

const FIXTURE = join(__dirname, '../../fixtures/python-run');
const EXECUTORS = [
  'executors:',
  '  greet: { python: executors/basic.py:Greet }',
  '  sync_count: { python: executors/basic.py:SyncCount }',
  '  double: { python: executors/basic.py:double }',
  '  returns_error: { python: executors/basic.py:ReturnsError }',
  '  raises: { python: executors/basic.py:Raises }',
  '  slow: { python: executors/basic.py:Slow }',
  '  stubborn: { python: executors/basic.py:Stubborn }',
  '  crash: { python: executors/basic.py:Crash }',
  '  uses_apflow: { python: executors/uses_apflow.py:UsesApflow }',
  '  missing_name: { python: executors/basic.py:Nowhere }',
  '  by_module: { python: executors.basic:double }',
  '  halfway: { python: executors/basic.py:halfway }',
].join('\n');

function task(id: string, method: string, extra = ''): string {
  return `  - id: ${id}\n    name: ${id}\n    schemas: { method: ${method} }\n${extra}`;
}

/** Runs a tree of tasks (all under a root that aggregates them) and collects each task's log. */
async function run(tasks: string[], request: Partial<RunRequest> = {}, onRun?: (run: TaskRun) => void): Promise<{ result: RunResult; byId: Map<string, TaskRecord>; logs: Map<string, string[]> }> {
  const text = `${EXECUTORS}\ntasks:\n${tasks.join('')}`;
  const preflight = await prepareRun({ text, file: join(FIXTURE, 'test.apflow.yaml'), env: process.env, allowPrivateUrls: false, ...request });
  if (!preflight.ok) throw new Error(`refused: ${preflight.diagnostics.map((d) => d.message).join('; ')}`);
  const taskRun = new TaskRun(preflight.plan, { cancelGraceMs: 3000 });
  const logs = new Map<string, string[]>();
  taskRun.on('task-log', (e) => logs.set(e.task.id, [...(logs.get(e.task.id) ?? []), e.text]));
  onRun?.(taskRun);
  const result = await taskRun.start();
  return { result, byId: new Map(result.tasks.map((t) => [t.id, t])), logs };
}

describe('runtime: Python executors through the host (issue 12)', function () {
  this.timeout(30_000);

  it('builds classes with params and inputs as apflow does, runs sync ones and functions, and attributes every log line', async () => {
    const { result, byId, logs } = await run([
      task('root', 'aggregate_results_executor', '    dependencies: [hello, count, twice, mod]\n'),
      task('hello', 'greet', '    parent_id: root\n    params: { greeting: Hi }\n    inputs: { who: Ada }\n'),
      task('count', 'sync_count', '    parent_id: root\n    inputs: { a: 1, b: 2 }\n'),
      task('twice', 'double', '    parent_id: root\n    inputs: { value: 21 }\n'),
      task('mod', 'by_module', '    parent_id: root\n    inputs: { value: 2 }\n'),
    ]);
    assert.equal(result.run.status, 'completed', result.run.error ?? '');
    assert.deepEqual(byId.get('hello')?.result, { text: 'Hi, Ada!' });
    assert.deepEqual(byId.get('count')?.result, { count: 2 });
    assert.deepEqual(byId.get('twice')?.result, { value: 42 });
    assert.deepEqual(byId.get('mod')?.result, { value: 4 });
    assert.deepEqual(logs.get('hello'), ['greeting Ada', 'INFO basic: task hello']);
    assert.deepEqual(logs.get('count'), ['counting']);
    assert.equal(logs.get('twice'), undefined);
  });

  it('passes progress reported through apflow_vscode_host to the task', async () => {
    const seen: number[] = [];
    const { byId } = await run([task('half', 'halfway')], {}, (taskRun) => taskRun.on('task-progress', (e) => seen.push(e.progress)));
    assert.deepEqual(byId.get('half')?.result, { reported: true });
    assert.deepEqual(seen, [0.5]);
  });

  it('fails a task whose result has `error` (keeping the result) and one that raises (traceback in the log only)', async () => {
    const { byId, logs } = await run([
      task('root', 'aggregate_results_executor', '    dependencies: [{ id: soft, required: false }, { id: hard, required: false }]\n'),
      task('soft', 'returns_error', '    parent_id: root\n'),
      task('hard', 'raises', '    parent_id: root\n    inputs: { key: k1 }\n'),
    ]);
    assert.equal(byId.get('soft')?.status, 'failed');
    assert.equal(byId.get('soft')?.error, 'upstream said no');
    assert.deepEqual(byId.get('soft')?.result, { error: 'upstream said no', detail: 3 });
    assert.equal(byId.get('hard')?.error, 'bad value for k1');
    assert.match((logs.get('hard') ?? []).join('\n'), /Traceback[\s\S]*ValueError: bad value for k1/);
    assert.equal(byId.get('root')?.status, 'completed');
  });

  it('refuses a declaration whose class is missing, and says apflow is missing for a class that imports it', async () => {
    const { byId } = await run([
      task('root', 'aggregate_results_executor', '    dependencies: [{ id: a, required: false }, { id: b, required: false }]\n'),
      task('a', 'missing_name', '    parent_id: root\n'),
      task('b', 'uses_apflow', '    parent_id: root\n'),
    ]);
    assert.equal(byId.get('a')?.error, 'executors/basic.py has no Nowhere');
    assert.match(byId.get('b')?.error ?? '', /^apflow is not installed in \S*python/);
  });

  it('times out an async task: it stops at its next await and the run goes on in the same host', async () => {
    const { byId, logs } = await run([
      task('root', 'aggregate_results_executor', '    dependencies: [{ id: sleepy, required: false }]\n'),
      task('sleepy', 'slow', '    parent_id: root\n    timeout: 2\n    inputs: { seconds: 20 }\n'),
    ]);
    assert.equal(byId.get('sleepy')?.error, 'Timed out after 2 s');
    // What the task logs after its timeout is no longer its attempt's: only the first line is kept.
    assert.deepEqual(logs.get('sleepy'), ['sleeping']);
    assert.equal(byId.get('root')?.status, 'completed');
  });

  it('kills and replaces a host whose task will not stop: its other tasks fail saying why, later tasks run', async () => {
    const { byId } = await run([
      task('root', 'double', '    inputs: { value: 1 }\n    dependencies: [{ id: deaf, required: false }, { id: peer, required: false }]\n'),
      task('deaf', 'stubborn', '    parent_id: root\n    timeout: 2\n    inputs: { seconds: 20 }\n'),
      task('peer', 'slow', '    parent_id: root\n    inputs: { seconds: 20 }\n'),
    ]);
    assert.equal(byId.get('deaf')?.error, 'Timed out after 2 s');
    assert.match(byId.get('peer')?.error ?? '', /the Python host was ended because task 'deaf' did not stop within 2 s \(Timed out after 2 s\)/, JSON.stringify(byId.get('peer')));
    assert.deepEqual(byId.get('root')?.result, { value: 2 });
  });

  it('cancels a running Python task when the run is cancelled', async () => {
    const started = Date.now();
    const { result, byId, logs } = await run([task('sleepy', 'slow', '    inputs: { seconds: 20 }\n')], {}, (taskRun) =>
      taskRun.on('task-log', (e) => e.text === 'sleeping' && taskRun.cancel()),
    );
    assert.equal(result.run.status, 'cancelled');
    assert.deepEqual(logs.get('sleepy'), ['sleeping', 'cancel() called']);
    assert.equal(byId.get('sleepy')?.status, 'cancelled');
    assert.ok(Date.now() - started < 10_000);
  });

  it('fails the tasks of a host that crashed with its exit status, and starts a new host for the next', async () => {
    const { byId } = await run([
      task('root', 'double', '    inputs: { value: 5 }\n    dependencies: [{ id: boom, required: false }]\n'),
      task('boom', 'crash', '    parent_id: root\n'),
    ]);
    assert.match(byId.get('boom')?.error ?? '', /executors\/basic\.py:Crash did not finish: the Python host \(python3\) exited with status 7/);
    assert.deepEqual(byId.get('root')?.result, { value: 10 });
  });

  it('fails Python tasks with the interpreter named when it does not exist', async () => {
    const { byId } = await run([task('twice', 'double', '    inputs: { value: 1 }\n')], { python: { interpreter: '/nonexistent/python3' } });
    assert.equal(byId.get('twice')?.error, 'executors/basic.py:double did not finish: /nonexistent/python3 not found; set apflow.python.interpreter (or pass --python PATH to the CLI)');
  });
});
