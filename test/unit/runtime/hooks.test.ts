// Hooks (issue 12) with JS modules and with Python (a real python3 through the host), and the
// required environment of `env.required`.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareRun, type RunRequest } from '../../../runtime/preflight';
import { TaskRun, type RunResult } from '../../../runtime/run';
import type { TaskRecord } from '../../../runtime/types';

const FIXTURE = join(__dirname, '../../fixtures/python-run');

async function run(text: string, file: string, env: NodeJS.ProcessEnv = process.env): Promise<{ result: RunResult; byId: Map<string, TaskRecord>; logs: string[] }> {
  const request: RunRequest = { text, file, env, allowPrivateUrls: false };
  const preflight = await prepareRun(request);
  if (!preflight.ok) throw new Error(`refused: ${preflight.diagnostics.map((d) => d.message).join('; ')}`);
  const taskRun = new TaskRun(preflight.plan);
  const logs: string[] = [];
  taskRun.on('task-log', (e) => logs.push(`${e.task.id}: ${e.text}`));
  const result = await taskRun.start();
  return { result, byId: new Map(result.tasks.map((t) => [t.id, t])), logs };
}

describe('runtime: hooks and required configuration (issue 12)', function () {
  this.timeout(30_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'apflow-hooks-'));
    writeFileSync(
      join(dir, 'hooks.mjs'),
      [
        'export const calls = [];',
        'export function stamp(task) { task.inputs.stamp = `seen ${Object.keys(task.inputs).sort().join(",")}`; }',
        'export function second(task) { task.inputs.second = task.inputs.stamp !== undefined; }',
        'export function boom() { throw new Error("hook bug"); }',
        'export async function slow() { await new Promise((r) => setTimeout(r, 150)); }',
        'export function after(task, inputs, result, { log }) { log(`post ${task.id} got ${JSON.stringify(result)} for ${JSON.stringify(inputs)}`); }',
        'export function started(root, { log }) { log(`tree started at ${root.id}`); }',
        'export function completed(root, status, { log }) { log(`tree ${status}`); }',
        'export function failed(root, error, { log }) { log(`tree failed: ${error}`); }',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'echo.mjs'), 'export default (inputs) => ({ got: inputs });\nexport const fail = () => { throw new Error("no"); };\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const tree = (hooks: string, method = 'echo') =>
    [
      'executors:',
      '  echo: { module: ./echo.mjs }',
      '  fail: { module: ./echo.mjs, export: fail }',
      `hooks:\n${hooks}`,
      'tasks:',
      '  - id: root',
      '    name: Root',
      `    schemas: { method: ${method} }`,
      '    inputs: { own: 1 }',
      '    dependencies: [leaf]',
      '  - id: leaf',
      '    name: Leaf',
      '    parent_id: root',
      '    schemas: { method: echo }',
      '    inputs: { x: 2 }',
      '',
    ].join('\n');

  it('pre-hooks run in order after the merge; the executor gets, and the record keeps, the inputs they leave', async () => {
    const { byId } = await run(tree('  pre:\n    - { module: ./hooks.mjs, export: stamp }\n    - { module: ./hooks.mjs, export: second }\n'), join(dir, 't.apflow.yaml'));
    const root = byId.get('root');
    // The merge put leaf's result (`got`) in before the hooks ran.
    assert.deepEqual(root?.inputs, { own: 1, got: { x: 2, stamp: 'seen x', second: true }, stamp: 'seen got,own', second: true });
    assert.deepEqual((root?.result as { got: unknown }).got, root?.inputs);
    assert.deepEqual(root?.hooks?.map((h) => [h.list, h.hook, h.error]), [
      ['pre', './hooks.mjs#stamp', undefined],
      ['pre', './hooks.mjs#second', undefined],
    ]);
  });

  it('records an exception in a hook and a slow hook on the task, logs both, and never fails the task', async () => {
    const { result, byId, logs } = await run(tree('  pre:\n    - { module: ./hooks.mjs, export: boom }\n    - { module: ./hooks.mjs, export: slow }\n'), join(dir, 't.apflow.yaml'));
    assert.equal(result.run.status, 'completed');
    const hooks = byId.get('leaf')?.hooks ?? [];
    assert.equal(hooks[0].error, 'hook bug');
    assert.ok(hooks[1].ms >= 140, `slow hook took ${hooks[1].ms} ms`);
    assert.ok(logs.includes('leaf: pre hook ./hooks.mjs#boom failed (the task goes on): hook bug'), logs.join('\n'));
    assert.ok(logs.some((l) => /^leaf: warning slow-hook: pre hook \.\/hooks\.mjs#slow took \d+ ms; keep hooks under 100 ms$/.test(l)), logs.join('\n'));
    assert.ok(!logs.some((l) => l.includes('slow-hook: pre hook ./hooks.mjs#boom')));
  });

  it('post-hooks get (task, inputs, result) of completed tasks; tree hooks get the root and the outcome', async () => {
    const hooks = '  post:\n    - { module: ./hooks.mjs, export: after }\n  on_tree_started:\n    - { module: ./hooks.mjs, export: started }\n  on_tree_completed:\n    - { module: ./hooks.mjs, export: completed }\n  on_tree_failed:\n    - { module: ./hooks.mjs, export: failed }\n';
    const ok = await run(tree(hooks), join(dir, 't.apflow.yaml'));
    assert.deepEqual(ok.logs, ['root: tree started at root', 'leaf: post leaf got {"got":{"x":2}} for {"x":2}', 'root: post root got {"got":{"own":1,"got":{"x":2}}} for {"own":1,"got":{"x":2}}', 'root: tree completed']);
    const failed = await run(tree(hooks, 'fail'), join(dir, 't.apflow.yaml'));
    assert.equal(failed.logs.at(-1), "root: tree failed: task 'root' failed: no");
    assert.ok(!failed.logs.some((l) => l.startsWith('root: post')));
  });

  it('runs Python hooks in the host: inputs changed there reach the executor, an exception is recorded', async () => {
    const { byId, logs } = await run(
      ['executors:', '  greet: { python: executors/basic.py:Greet }', 'hooks:', '  pre:', '    - python: hooks.py:stamp', '    - python: hooks.py:fails', 'tasks:', '  - id: hi', '    name: Hi', '    schemas: { method: greet }', '    inputs: { who: Ada }', ''].join('\n'),
      join(FIXTURE, 'hooks-test.apflow.yaml'),
    );
    const hi = byId.get('hi');
    assert.equal(hi?.status, 'completed');
    assert.deepEqual(hi?.inputs, { who: 'Ada', stamped_by: 'pre-hook', saw: ['stamped_by', 'who'] });
    assert.deepEqual(hi?.hooks?.map((h) => [h.hook, h.error]), [['hooks.py:stamp', undefined], ['hooks.py:fails', 'hook bug']]);
    assert.ok(logs.some((l) => /^hi: Traceback[\s\S]*RuntimeError: hook bug/.test(l)), logs.join('\n'));
  });

  it('refuses a run whose environment lacks a required variable, naming every missing one', async () => {
    const text = 'env:\n  required: [API_KEY, DATABASE_URL, HOME_SET]\ntasks:\n  - id: a\n    name: A\n    schemas: { method: aggregate_results_executor }\n';
    const preflight = await prepareRun({ text, file: join(dir, 'env.apflow.yaml'), env: { HOME_SET: '1', DATABASE_URL: '' }, allowPrivateUrls: false });
    assert.equal(preflight.ok, false);
    if (!preflight.ok) {
      assert.deepEqual(preflight.diagnostics.map((d) => [d.code, d.severity]), [['missing-env', 'error']]);
      assert.match(preflight.diagnostics[0].message, /the run needs the environment variables `API_KEY`, `DATABASE_URL`/);
    }
    const allowed = await prepareRun({ text, file: join(dir, 'env.apflow.yaml'), env: { HOME_SET: '1', DATABASE_URL: 'x', API_KEY: 'k' }, allowPrivateUrls: false });
    assert.equal(allowed.ok, true);
  });
});
