// The hook repository (issue 12; apflow's get_hook_repository()): hooks change fields other than inputs
// with update_task(id, …) and read the run's tasks with get_task_by_id / get_tasks_by_status; a change
// by one hook is seen by the next. JavaScript hooks get it as `repository` in their last argument,
// Python hooks (a real python3, through the host) from apflow_vscode_host.get_hook_repository(), in async
// hooks and, through asyncio.run, in synchronous ones.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareRun } from '../../../runtime/preflight';
import { TaskRun, type RunResult } from '../../../runtime/run';
import type { TaskRecord } from '../../../runtime/types';

const FIXTURE = join(__dirname, '../../fixtures/python-run');

async function run(text: string, file: string, concurrency?: number): Promise<{ result: RunResult; byId: Map<string, TaskRecord>; started: string[] }> {
  const preflight = await prepareRun({ text, file, env: process.env, allowPrivateUrls: false });
  if (!preflight.ok) throw new Error(`refused: ${preflight.diagnostics.map((d) => d.message).join('; ')}`);
  const taskRun = new TaskRun(preflight.plan, { concurrency });
  const started: string[] = [];
  taskRun.on('task-status', (e) => e.to === 'in_progress' && started.push(e.task.id));
  const result = await taskRun.start();
  return { result, byId: new Map(result.tasks.map((t) => [t.id, t])), started };
}

const hookErrors = (record: TaskRecord | undefined) => record?.hooks?.map((h) => [h.hook, h.error ?? null]);

describe('runtime: the hook repository (issue 12)', function () {
  this.timeout(30_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'apflow-repository-'));
    writeFileSync(
      join(dir, 'hooks.mjs'),
      [
        'export async function setParams(task, { repository }) { await repository.update_task(task.id, { params: { factor: 3 }, name: "Renamed" }); }',
        'export async function look(task, { repository }) {',
        '  const pending = (await repository.get_tasks_by_status("pending")).map((t) => t.id);',
        '  task.inputs.saw = { name: task.name, params: task.params, pending };',
        '}',
        'export async function status(task, { repository }) { await repository.update_task(task.id, { status: "completed" }); }',
        'export async function typo(task, { repository }) { await repository.update_task(task.id, { priorty: 1 }); }',
        'export async function finished(task, { repository }) { if (task.id === "b") await repository.update_task("a", { name: "late" }); }',
        'export async function feedParent(task, { repository }) {',
        '  if (task.id !== "leaf") return;',
        '  const root = await repository.get_task_by_id("root");',
        '  await repository.update_task("root", { inputs: { ...root.inputs, fed_by: task.id } });',
        '}',
        'export async function promote(root, { repository }) { await repository.update_task("c", { priority: 0 }); }',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'exec.mjs'), 'export default (inputs, { task }) => ({ inputs, params: task.params });\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const tree = (hooks: string, tasks: string) => `executors:\n  echo: { module: ./exec.mjs }\nhooks:\n${hooks}tasks:\n${tasks}`;
  const task = (id: string, extra = '') => `  - id: ${id}\n    name: ${id.toUpperCase()}\n    schemas: { method: echo }\n    inputs: { own: ${id} }\n${extra}`;

  it('JavaScript: a pre-hook changes params and name, the next hook sees them, and the executor gets them', async () => {
    const text = tree('  pre:\n    - { module: ./hooks.mjs, export: setParams }\n    - { module: ./hooks.mjs, export: look }\n', task('a') + task('b', '    parent_id: a\n    dependencies: [a]\n'));
    const { byId } = await run(text, join(dir, 't.apflow.yaml'));
    const a = byId.get('a');
    assert.equal(a?.name, 'Renamed');
    assert.deepEqual(a?.params, { factor: 3 });
    // While a's pre-hooks ran, b had not started.
    assert.deepEqual(a?.inputs.saw, { name: 'Renamed', params: { factor: 3 }, pending: ['b'] });
    assert.deepEqual((a?.result as { params: unknown }).params, { factor: 3 });
  });

  it('JavaScript: a task that has not started runs with the inputs a hook gave it, merged with its dependencies', async () => {
    const text = tree('  pre:\n    - { module: ./hooks.mjs, export: feedParent }\n', task('root', '    dependencies: [leaf]\n') + task('leaf', '    parent_id: root\n'));
    const { byId } = await run(text, join(dir, 't.apflow.yaml'));
    const root = byId.get('root');
    assert.equal(root?.inputs.fed_by, 'leaf');
    assert.equal(root?.inputs.own, 'root');
    assert.deepEqual(root?.inputs.inputs, { own: 'leaf' }, 'the dependency merge still happened');
  });

  it('JavaScript: a priority changed before a task starts reorders the ready tasks', async () => {
    const text = tree('  on_tree_started:\n    - { module: ./hooks.mjs, export: promote }\n', task('a') + task('b', '    parent_id: a\n') + task('c', '    parent_id: a\n'));
    const { started, byId } = await run(text, join(dir, 't.apflow.yaml'), 1);
    assert.deepEqual(started, ['c', 'a', 'b']);
    assert.equal(byId.get('c')?.priority, 0);
  });

  it('JavaScript: refuses runtime fields, unknown fields and finished tasks, naming them, and never fails the task', async () => {
    const hooks = '  pre:\n    - { module: ./hooks.mjs, export: status }\n    - { module: ./hooks.mjs, export: typo }\n    - { module: ./hooks.mjs, export: finished }\n';
    const { result, byId } = await run(tree(hooks, task('a') + task('b', '    parent_id: a\n    dependencies: [a]\n')), join(dir, 't.apflow.yaml'));
    assert.equal(result.run.status, 'completed');
    assert.deepEqual(hookErrors(byId.get('b')), [
      ['./hooks.mjs#status', 'update_task: the runtime sets `status`; hooks may change name, priority, inputs, params'],
      ['./hooks.mjs#typo', 'update_task: tasks have no field `priorty`; hooks may change name, priority, inputs, params'],
      ['./hooks.mjs#finished', "update_task: task 'a' has finished (completed) and can no longer change"],
    ]);
    assert.equal(byId.get('a')?.name, 'A');
  });

  it('Python: update_task and get_tasks_by_status through the host; the executor is built with the new params', async () => {
    const text = [
      'executors:',
      '  greet: { python: executors/basic.py:Greet }',
      'hooks:',
      '  pre:',
      '    - python: repository_hooks.py:set_greeting',
      '    - python: repository_hooks.py:look',
      '    - python: repository_hooks.py:change_status',
      '    - python: repository_hooks.py:rename_parent',
      '    - python: repository_hooks.py:sync_rename',
      'tasks:',
      '  - id: root',
      '    name: Root',
      '    schemas: { method: greet }',
      '    inputs: { who: Ada }',
      '    dependencies: [child]',
      '  - id: child',
      '    name: Child',
      '    parent_id: root',
      '    schemas: { method: greet }',
      '    inputs: { who: Grace }',
      '',
    ].join('\n');
    const { result, byId } = await run(text, join(FIXTURE, 'repository.apflow.yaml'));
    assert.equal(result.run.status, 'completed');
    const child = byId.get('child');
    assert.deepEqual(child?.result, { text: 'Howdy, Grace!' });
    assert.equal(child?.name, 'Synced', 'the synchronous hook, last, renamed it again');
    assert.deepEqual(child?.inputs.saw, { name: 'Renamed', params: { greeting: 'Howdy' }, pending: ['root'] });
    assert.deepEqual(hookErrors(child)?.[2], ['repository_hooks.py:change_status', 'update_task: the runtime sets `status`; hooks may change name, priority, inputs, params']);
    // child's hook gave root an input before root started.
    assert.equal(byId.get('root')?.inputs.renamed_by, 'child');
  });
});
