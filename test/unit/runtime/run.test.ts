import { strict as assert } from 'node:assert';
import { TaskRun } from '../../../runtime/run';
import { isLegalTransition } from '../../../runtime/lifecycle';
import type { ExecutorFn, TaskStatus } from '../../../runtime/types';
import { byId, planOf, sleep, statuses, type FixtureTask } from './fixtures';

const fail = (message: string): ExecutorFn => async () => {
  throw new Error(message);
};
const after = (ms: number, value: unknown = { done: true }): ExecutorFn => async () => {
  await sleep(ms);
  return value;
};

/** Runs a fixture tree and keeps the order in which tasks started and the status events. */
async function runTree(tasks: FixtureTask[], options: ConstructorParameters<typeof TaskRun>[1] = {}) {
  const run = new TaskRun(planOf(tasks), options);
  const starts: string[] = [];
  const transitions: [string, TaskStatus, TaskStatus][] = [];
  let running = 0;
  let maxRunning = 0;
  run.on('task-status', (e) => {
    transitions.push([e.task.id, e.from, e.to]);
    if (e.to === 'in_progress') {
      starts.push(e.task.id);
      maxRunning = Math.max(maxRunning, ++running);
    } else if (e.from === 'in_progress') running--;
  });
  const result = await run.start();
  return { ...result, byId: byId(result.tasks), starts, transitions, maxRunning };
}

describe('runtime: scheduling (spec 3.3)', () => {
  it('runs a diamond A → (B, C) → D with B and C side by side', async () => {
    const r = await runTree([
      { id: 'd', deps: ['b', 'c'] },
      { id: 'a' },
      { id: 'b', deps: ['a'], run: after(80) },
      { id: 'c', deps: ['a'], run: after(80) },
    ]);
    const t = r.byId;
    assert.equal(r.run.status, 'completed');
    assert.ok((t.a.completed_at as number) <= (t.b.started_at as number));
    assert.ok((t.a.completed_at as number) <= (t.c.started_at as number));
    assert.ok((t.b.started_at as number) < (t.c.completed_at as number) && (t.c.started_at as number) < (t.b.completed_at as number), 'B and C overlap');
    assert.ok((t.b.completed_at as number) <= (t.d.started_at as number) && (t.c.completed_at as number) <= (t.d.started_at as number));
    assert.equal(r.maxRunning, 2);
  });

  it('starts ready tasks by priority (0 first), ties in file order, and never before their dependencies', async () => {
    const r = await runTree(
      [
        { id: 'root', deps: ['low', 'urgent', 'normal', 'high', 'normal2', 'late'] },
        { id: 'low', priority: 3 },
        { id: 'urgent', priority: 0, deps: ['gate'] },
        { id: 'normal' },
        { id: 'high', priority: 1 },
        { id: 'normal2' },
        { id: 'gate', priority: 3 },
        { id: 'late', priority: 0, deps: ['low'] },
      ],
      { concurrency: 1 },
    );
    // urgent is priority 0 but must wait for gate; late (priority 0) waits for low.
    assert.deepEqual(r.starts, ['high', 'normal', 'normal2', 'low', 'late', 'gate', 'urgent', 'root']);
  });

  it('never runs more than `concurrency` tasks at once, and runs that many when it can', async () => {
    const wide = Array.from({ length: 12 }, (_, i) => ({ id: `t${i}`, run: after(5) }));
    const r = await runTree([{ id: 'root', deps: wide.map((t) => t.id) }, ...wide], { concurrency: 3 });
    assert.equal(r.maxRunning, 3);
    const def = await runTree([{ id: 'root', deps: wide.map((t) => t.id) }, ...wide]);
    assert.equal(def.maxRunning, 4, 'default concurrency is 4');
  });

  it('leaves dependents of a failed required dependency pending, with blocked_by at the origin', async () => {
    const r = await runTree([
      { id: 'root', deps: ['load'] },
      { id: 'fetch' },
      { id: 'parse', deps: ['fetch'], run: fail('bad header') },
      { id: 'load', deps: ['parse'] },
      { id: 'audit' },
    ]);
    const t = r.byId;
    assert.equal(r.run.status, 'failed');
    assert.deepEqual(statuses(r.tasks), { root: 'pending', fetch: 'completed', parse: 'failed', load: 'pending', audit: 'completed' });
    assert.equal(t.load.blocked_by, 'parse');
    assert.equal(t.root.blocked_by, 'parse', 'the origin, not the direct dependency');
    assert.equal(t.load.started_at, null);
    for (const id of ['fetch', 'parse', 'audit']) assert.equal(t[id].blocked_by, null);
    assert.ok(!r.starts.includes('load') && !r.starts.includes('root'));
    assert.match(r.run.error ?? '', /parse/);
  });

  it('names the first blocking dependency in `dependencies` order when several failed', async () => {
    const r = await runTree([
      { id: 'root', deps: ['x', 'y'] },
      { id: 'y', run: fail('y broke') },
      { id: 'x', deps: ['z'] },
      { id: 'z', run: fail('z broke') },
    ]);
    assert.equal(r.byId.root.blocked_by, 'z', 'x is listed first; its block comes from z');
  });

  it('lets an optional dependent go ahead when its dependency failed or is blocked (fallback pattern)', async () => {
    const r = await runTree([
      { id: 'final', deps: [{ id: 'primary', required: false }, { id: 'fallback', required: false }] },
      { id: 'upstream', run: fail('down') },
      { id: 'primary', deps: ['upstream'] },
      { id: 'fallback', deps: [{ id: 'primary', required: false }] },
    ]);
    const t = r.byId;
    assert.equal(t.primary.status, 'pending');
    assert.equal(t.primary.blocked_by, 'upstream');
    assert.equal(t.fallback.status, 'completed');
    assert.equal(t.final.status, 'completed');
    assert.equal(r.run.status, 'failed', 'a failed or blocked task fails the run');
  });

  it('waits for an optional dependency to finish before starting (3.9: apflow would not wait)', async () => {
    const r = await runTree([{ id: 'b', deps: [{ id: 'a', required: false }] }, { id: 'a', run: after(60) }]);
    assert.ok((r.byId.a.completed_at as number) <= (r.byId.b.started_at as number));
  });

  it('treats a completed dependency with a null result as satisfied (3.9)', async () => {
    const r = await runTree([{ id: 'b', deps: ['a'] }, { id: 'a', run: async () => null }]);
    assert.equal(r.byId.a.result, null);
    assert.equal(r.byId.b.status, 'completed');
    assert.equal(r.run.status, 'completed');
  });

  it('ignores parent_id for ordering: a child without dependencies runs alongside its parent', async () => {
    // planOf makes the first task the parent of all the others.
    const r = await runTree([{ id: 'parent', run: after(60) }, { id: 'child', run: after(60) }]);
    assert.equal(r.byId.child.parent_id, 'parent');
    assert.ok((r.byId.child.started_at as number) < (r.byId.parent.completed_at as number));
    assert.equal(r.maxRunning, 2);
  });

  it('handles a 20,000-task chain whose head fails without deep recursion', async () => {
    const chain: FixtureTask[] = Array.from({ length: 20000 }, (_, i) => ({ id: `t${i}`, deps: i === 0 ? [] : [`t${i - 1}`] }));
    chain[0] = { id: 't0', run: fail('head') };
    const r = await runTree(chain);
    assert.equal(r.byId.t19999.blocked_by, 't0');
  });
});

describe('runtime: lifecycle (spec 3.2)', () => {
  it('writes only legal transitions with consistent fields', async () => {
    const r = await runTree([
      { id: 'root', deps: ['a', 'b', { id: 'c', required: false }] },
      { id: 'a' },
      { id: 'b', run: async () => ({ error: 'soft', detail: 1 }) },
      { id: 'c', run: fail('hard') },
    ]);
    for (const [id, from, to] of r.transitions) assert.ok(isLegalTransition(from, to), `${id}: ${from} → ${to}`);
    for (const t of r.tasks) {
      if (t.status === 'completed') assert.equal(t.progress, 1);
      assert.equal(t.error !== null && t.error !== '', t.status === 'failed' || t.status === 'cancelled', `${t.id} error iff failed/cancelled`);
      if (t.started_at !== null && t.completed_at !== null) assert.ok(t.started_at <= t.completed_at);
      if (t.status !== 'completed' && t.id !== 'b') assert.equal(t.result, null);
    }
    assert.deepEqual(r.byId.b.result, { error: 'soft', detail: 1 }, 'a returned error mapping is kept as result');
    assert.equal(r.byId.b.error, 'soft');
  });
});

describe('runtime: executor outcomes (spec 5.3)', () => {
  it('fails on a throw with the message as error and the stack in the log', async () => {
    const run = new TaskRun(planOf([{ id: 'a', run: fail('kaput') }]));
    const logs: string[] = [];
    run.on('task-log', (e) => logs.push(e.text));
    const { tasks } = await run.start();
    assert.equal(tasks[0].error, 'kaput');
    assert.ok(logs.some((l) => l.includes('kaput') && l.includes('at ')), 'stack trace logged');
  });

  it('completes with a synchronous return, and with undefined as null', async () => {
    const r = await runTree([{ id: 'a', deps: ['b'], run: () => 7 }, { id: 'b', run: () => undefined }]);
    assert.equal(r.byId.a.result, 7);
    assert.equal(r.byId.b.result, null);
  });

  it('fails a task whose merged inputs violate its schema before the executor runs', async () => {
    let called = false;
    const plan = planOf([{ id: 'a', run: () => (called = true) }]);
    plan.tasks[0].validateInputs = (inputs) => ('command' in inputs ? null : "inputs must have required property 'command'");
    const { tasks } = await new TaskRun(plan).start();
    assert.equal(tasks[0].status, 'failed');
    assert.match(tasks[0].error ?? '', /command/);
    assert.equal(called, false);
  });

  it('passes log and progress through as events while the task runs', async () => {
    const plan = planOf([
      {
        id: 'a',
        run: async (_i, { log, progress }) => {
          log('hello');
          progress(0.5);
          await sleep(1);
          return 1;
        },
      },
    ]);
    const run = new TaskRun(plan);
    const seen: string[] = [];
    run.on('task-log', (e) => seen.push(`log ${e.text}`));
    run.on('task-progress', (e) => seen.push(`progress ${e.progress}`));
    const { tasks } = await run.start();
    assert.deepEqual(seen, ['log hello', 'progress 0.5']);
    assert.equal(tasks[0].progress, 1);
  });
});

describe('runtime: attempts and timeouts (spec 3.5)', () => {
  it('retries a throwing task after the backoff, in_progress throughout, counting attempts', async () => {
    let calls = 0;
    const run = new TaskRun(
      planOf([{ id: 'a', maxAttempts: 3, backoff: ['fixed', 0.05], run: () => (++calls < 3 ? Promise.reject(new Error(`try ${calls}`)) : 'ok') }]),
      { random: () => 0.5 },
    );
    const attempts: [number, string, number][] = [];
    const transitions: string[] = [];
    run.on('task-attempt', (e) => attempts.push([e.attempt, e.error, e.retryInMs]));
    run.on('task-status', (e) => transitions.push(`${e.from}→${e.to}`));
    const started = Date.now();
    const { tasks } = await run.start();
    assert.equal(tasks[0].status, 'completed');
    assert.equal(tasks[0].attempt_count, 3);
    assert.deepEqual(attempts, [
      [1, 'try 1', 50],
      [2, 'try 2', 50],
    ]);
    assert.deepEqual(transitions, ['pending→in_progress', 'in_progress→completed']);
    assert.ok(Date.now() - started >= 95, 'waited for both backoff delays');
  });

  it('does not retry a returned error mapping', async () => {
    let calls = 0;
    const r = await runTree([{ id: 'a', maxAttempts: 3, backoff: ['fixed', 0.1], run: () => ({ error: `no ${++calls}` }) }]);
    assert.equal(r.byId.a.status, 'failed');
    assert.equal(r.byId.a.attempt_count, 1);
    assert.equal(calls, 1);
  });

  it('fails a task after its timeout, aborting the signal, and retries timeouts like throws', async () => {
    const signals: AbortSignal[] = [];
    const hang: ExecutorFn = (_i, { signal }) => {
      signals.push(signal);
      return new Promise(() => undefined);
    };
    const started = Date.now();
    const r = await runTree([{ id: 'a', timeout: 0.1, maxAttempts: 2, backoff: ['fixed', 0.1], run: hang }], { random: () => 0.5 });
    assert.equal(r.byId.a.status, 'failed');
    assert.equal(r.byId.a.error, 'Timed out after 0.1 s');
    assert.equal(r.byId.a.attempt_count, 2);
    assert.equal(signals.length, 2);
    assert.ok(signals.every((s) => s.aborted));
    assert.ok(Date.now() - started < 2000);
  });
});

describe('runtime: cancellation (spec 3.5)', () => {
  it('cancels pending tasks at once, aborts running ones and starts nothing afterwards', async () => {
    let aborted = false;
    const plan = planOf([
      { id: 'root', deps: ['long'] },
      {
        id: 'long',
        run: (_i, { signal }) =>
          new Promise((_resolve, reject) => signal.addEventListener('abort', () => ((aborted = true), reject(new Error('aborted'))))),
      },
      { id: 'other', deps: ['long'] },
    ]);
    const run = new TaskRun(plan);
    const transitions: string[] = [];
    run.on('task-status', (e) => transitions.push(`${e.task.id}:${e.from}→${e.to}`));
    const done = run.start();
    await sleep(20);
    run.cancel();
    const { run: record, tasks } = await done;
    assert.equal(record.status, 'cancelled');
    assert.ok(aborted);
    for (const t of tasks) {
      assert.equal(t.status, 'cancelled');
      assert.equal(t.error, 'Cancelled by user');
    }
    assert.ok(!transitions.some((t) => t.endsWith('→in_progress') && !t.startsWith('long')));
  });

  it('marks a task whose executor ignores the signal cancelled after the grace period, discarding its result', async () => {
    const plan = planOf([{ id: 'stubborn', run: after(400, 'late') }]);
    const run = new TaskRun(plan, { cancelGraceMs: 50 });
    const done = run.start();
    await sleep(10);
    const cancelledAt = Date.now();
    run.cancel();
    const { tasks } = await done;
    assert.ok(Date.now() - cancelledAt < 300, 'did not wait for the executor');
    assert.equal(tasks[0].status, 'cancelled');
    assert.equal(tasks[0].result, null);
  });

  it('cancels a task waiting between attempts without waiting for the backoff', async () => {
    const run = new TaskRun(planOf([{ id: 'a', maxAttempts: 5, backoff: ['fixed', 10], run: fail('again') }]));
    const done = run.start();
    await sleep(20);
    run.cancel();
    const started = Date.now();
    const { tasks } = await done;
    assert.ok(Date.now() - started < 500);
    assert.equal(tasks[0].status, 'cancelled');
    assert.equal(tasks[0].attempt_count, 1);
  });
});
