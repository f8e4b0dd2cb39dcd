import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { definitionHash } from '../../../runtime/plan';
import { prepareRun, UnknownTaskError, type RunRequest } from '../../../runtime/preflight';
import { TaskRun } from '../../../runtime/run';
import type { RunPlan } from '../../../runtime/types';
import { byId } from './fixtures';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('runtime: before a run (spec 3.1)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'apflow-preflight-'));
    writeFileSync(join(dir, 'exec.mjs'), 'export const ok = (inputs) => ({ got: inputs });\nexport const notAFunction = 42;\nexport const same = (inputs) => inputs;\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const request = (yaml: string, extra: Partial<RunRequest> = {}): RunRequest => {
    const file = join(dir, 'tree.apflow.yaml');
    writeFileSync(file, yaml);
    return { text: yaml, file, env: process.env, allowPrivateUrls: false, ...extra };
  };
  const plan = async (yaml: string, extra: Partial<RunRequest> = {}): Promise<RunPlan> => {
    const result = await prepareRun(request(yaml, extra));
    if (!result.ok) throw new Error(`refused: ${result.diagnostics.map((d) => d.message).join('; ')}`);
    return result.plan;
  };

  it('refuses a file with error diagnostics, listing them', async () => {
    const result = await prepareRun(request('tasks:\n  - id: a\n    name: A\n    schemas: { method: aggregate_results_executor }\n    dependencies: [a]\n'));
    assert.equal(result.ok, false);
    if (!result.ok) assert.deepEqual(result.diagnostics.map((d) => [d.code, d.severity]), [['self-dependency', 'error']]);
  });

  it('checks against the host’s target: several roots are refused on 0.18 and planned on 0.20; a version naming no line is ignored', async () => {
    const forest = 'tasks:\n  - id: a\n    name: A\n    schemas: { method: aggregate_results_executor }\n  - id: b\n    name: B\n    schemas: { method: aggregate_results_executor }\n';
    const refused = await prepareRun(request(forest));
    assert.equal(refused.ok, false);
    if (!refused.ok) assert.deepEqual(refused.diagnostics.map((d) => d.code), ['multiple-roots']);
    assert.deepEqual((await plan(forest, { target: '0.20' })).tasks.map((t) => t.id), ['a', 'b']);
    assert.equal((await prepareRun(request(forest, { target: 'latest' }))).ok, false, 'not a version: the default 0.18 applies');
  });

  it('refuses an executor that needs an apflow server, naming the task and the executor', async () => {
    const result = await prepareRun(request('tasks:\n  - id: ask\n    name: Ask\n    schemas: { method: llm_executor }\n    inputs: { messages: [] }\n'));
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.equal(result.diagnostics[0].code, 'remote-executor');
      assert.equal(result.diagnostics[0].severity, 'error');
      assert.match(result.diagnostics[0].message, /task 'ask' uses `llm_executor`, which needs an apflow server/);
      assert.equal(result.diagnostics[0].range.start.line, 3);
    }
  });

  it('refuses a workspace executor whose module does not export it, naming the task and the executor', async () => {
    const yaml = 'executors:\n  bad: { module: ./exec.mjs, export: notAFunction }\ntasks:\n  - id: t\n    name: T\n    schemas: { method: bad }\n';
    const result = await prepareRun(request(yaml));
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.diagnostics[0].message, /task 't' cannot run: executor 'bad' its module \.\/exec\.mjs has no export 'notAFunction'/);
  });

  it('gives tasks without an id a UUID v4, resolves references by name, and applies apflow defaults', async () => {
    const p = await plan(
      [
        'executors:',
        '  ok: { module: ./exec.mjs, export: ok }',
        'tasks:',
        '  - name: Root',
        '    schemas: { method: ok }',
        '    dependencies: [Child]',
        '  - id: child',
        '    name: Child',
        '    parent_id: Root',
        '    schemas: { method: ok }',
        '    priority: 0',
        '    timeout: 2.5',
        '    max_attempts: 3',
        '    backoff_strategy: linear',
        '    backoff_base_seconds: 0.5',
        '',
      ].join('\n'),
    );
    const [root, child] = p.tasks;
    assert.match(root.id, UUID_V4);
    assert.equal(root.name, 'Root');
    assert.equal(root.priority, 2, 'default priority 2 (3.9)');
    assert.equal(root.maxAttempts, 1);
    assert.equal(root.backoffStrategy, 'exponential');
    assert.equal(root.backoffBaseSeconds, 1);
    assert.equal(root.timeoutSeconds, null);
    assert.equal(root.hasChildren, true);
    assert.deepEqual(root.dependencies, [{ index: 1, required: true }]);
    assert.equal(child.parentId, root.id, 'parent_id by name becomes the parent’s id');
    assert.equal(child.rootId, root.id);
    assert.deepEqual([child.priority, child.timeoutSeconds, child.maxAttempts, child.backoffStrategy, child.backoffBaseSeconds], [0, 2.5, 3, 'linear', 0.5]);
    const again = await plan('executors:\n  ok: { module: ./exec.mjs, export: ok }\ntasks:\n  - name: Root\n    schemas: { method: ok }\n');
    assert.notEqual(again.tasks[0].id, root.id, 'a new UUID each run');
  });

  it('hashes every authored field, ignoring key order', () => {
    const base = { id: 'a', name: 'A', inputs: { x: 1, y: [1, { z: 2 }] } };
    assert.equal(definitionHash(base), definitionHash({ inputs: { y: [1, { z: 2 }], x: 1 }, name: 'A', id: 'a' }));
    assert.notEqual(definitionHash(base), definitionHash({ ...base, inputs: { x: 2, y: [1, { z: 2 }] } }));
    assert.notEqual(definitionHash(base), definitionHash({ ...base, timeout: 5 }));
    assert.notEqual(definitionHash(base), definitionHash({ ...base, priority: 2 }), 'writing the default out is an edit too');
  });

  it('selects a task and its dependencies for `run --task`, by id or name, and rejects an unknown one', async () => {
    const yaml = 'tasks:\n  - id: root\n    name: Root\n    schemas: { method: aggregate_results_executor }\n    dependencies: [a]\n  - id: a\n    name: A\n    parent_id: root\n    schemas: { method: aggregate_results_executor }\n';
    const p = await plan(yaml, { task: 'A' });
    assert.deepEqual(p.tasks.map((t) => t.id), ['a']);
    assert.equal(p.trigger, 'run-task');
    assert.equal(p.targetTask, 'a');
    await assert.rejects(prepareRun(request(yaml, { task: 'nope' })), (e: Error) => e instanceof UnknownTaskError && /no task 'nope'/.test(e.message));
  });

  it('validates the merged inputs before the executor runs', async () => {
    const yaml = [
      'executors:',
      '  same: { module: ./exec.mjs, export: same }',
      'tasks:',
      '  - id: cmd',
      '    name: Cmd',
      '    schemas: { method: command_executor }',
      '    inputs: { command: "echo hi" }',
      '    dependencies: [src]',
      '  - id: src',
      '    name: Src',
      '    parent_id: cmd',
      '    schemas: { method: same }',
      '    inputs: { command: 42 }',
      '',
    ].join('\n');
    const { tasks } = await new TaskRun(await plan(yaml)).start();
    const cmd = byId(tasks).cmd;
    assert.equal(cmd.status, 'failed');
    assert.deepEqual(cmd.inputs, { command: 42 }, 'the dependency’s `command` overwrote the task’s own (apflow’s rule)');
    assert.match(cmd.error ?? '', /task 'cmd': the merged inputs do not satisfy the input schema of `command_executor`: inputs\.command must be string/);
  });

  it('retries by carrying over unchanged completed tasks, keeping generated ids, and re-running edited ones', async () => {
    const yaml = (second: string) =>
      [
        'executors:',
        '  ok: { module: ./exec.mjs, export: ok }',
        'tasks:',
        '  - name: Root',
        '    schemas: { method: ok }',
        '    dependencies: [First, Second]',
        '  - name: First',
        '    parent_id: Root',
        '    schemas: { method: ok }',
        '  - name: Second',
        '    parent_id: Root',
        '    schemas: { method: ok }',
        `    inputs: { v: ${second} }`,
        '',
      ].join('\n');
    const first = await new TaskRun(await plan(yaml('1'))).start();
    const earlier = { ...first.run, status: 'failed' as const };
    const p = await plan(yaml('2'), { retryOf: { run: earlier, tasks: first.tasks } });
    assert.equal(p.trigger, 'retry');
    assert.equal(p.parentRunId, first.run.id);
    assert.deepEqual(p.tasks.map((t) => t.id), first.tasks.map((t) => t.id), 'generated ids are kept by name');
    assert.deepEqual(p.tasks.map((t) => t.carried !== null), [false, true, false], 'Second was edited, Root depends on it');
  });
});
