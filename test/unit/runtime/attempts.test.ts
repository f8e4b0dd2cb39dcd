// Every call of a task's executor is kept on its record (issue 13: the run page's timeline draws each
// one), through retries, timeouts and cancellation, and survives the history, old files included.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { LocalHistory } from '../../../runtime/history/local';
import { TaskRun } from '../../../runtime/run';
import type { TaskAttempt } from '../../../runtime/types';
import { editHistory, olderHistory, recordRun, tempDir } from './history/helpers';
import { byId, planOf, sleep } from './fixtures';

const shape = (attempts: TaskAttempt[] | undefined) => attempts?.map((a) => [a.status, a.error]);

function ordered(attempts: TaskAttempt[]): void {
  let last = 0;
  for (const a of attempts) {
    assert.ok(a.completed_at !== null, 'every attempt of a finished task has ended');
    assert.ok(a.started_at >= last && a.completed_at >= a.started_at, 'attempts follow each other in time');
    last = a.completed_at;
  }
}

describe('runtime: attempts on the task record (issue 13)', () => {
  it('keeps each failed attempt with its error, then the one that succeeded', async () => {
    let calls = 0;
    const run = new TaskRun(planOf([{ id: 'a', maxAttempts: 3, backoff: ['fixed', 0.01], run: () => (++calls < 3 ? Promise.reject(new Error(`try ${calls}`)) : 'ok') }]));
    const [a] = (await run.start()).tasks;
    assert.deepEqual(shape(a.attempts), [['failed', 'try 1'], ['failed', 'try 2'], ['completed', undefined]]);
    assert.equal(a.attempts?.length, a.attempt_count);
    ordered(a.attempts ?? []);
    // The task spans its attempts: it starts before its executor is first called and ends after the
    // last call returns (the clock may tick between the two, so no equality).
    assert.ok(a.started_at !== null && a.attempts![0].started_at >= a.started_at, 'the first attempt starts within the task');
    assert.ok(a.completed_at !== null && a.attempts![2].completed_at! <= a.completed_at, 'the last attempt ends within the task');
  });

  it('records a timed-out attempt and a returned error mapping as failed', async () => {
    const r = await new TaskRun(
      planOf([
        { id: 'root', deps: [{ id: 'slow', required: false }, { id: 'refuses', required: false }] },
        { id: 'slow', timeout: 0.02, maxAttempts: 2, backoff: ['fixed', 0.01], run: () => new Promise(() => undefined) },
        { id: 'refuses', maxAttempts: 3, run: () => ({ error: 'no such user' }) },
      ]),
    ).start();
    const t = byId(r.tasks);
    assert.deepEqual(shape(t.slow.attempts), [['failed', 'Timed out after 0.02 s'], ['failed', 'Timed out after 0.02 s']]);
    assert.deepEqual(shape(t.refuses.attempts), [['failed', 'no such user']]);
    assert.deepEqual(shape(t.root.attempts), [['completed', undefined]]);
  });

  it('ends a cancelled attempt with the cancellation reason, even when its executor never returns', async () => {
    const run = new TaskRun(planOf([{ id: 'stubborn', run: () => new Promise(() => undefined) }]), { cancelGraceMs: 20 });
    const done = run.start();
    await sleep(10);
    run.cancel('Cancelled: the editor closed');
    const [task] = (await done).tasks;
    assert.deepEqual(shape(task.attempts), [['cancelled', 'Cancelled: the editor closed']]);
    ordered(task.attempts ?? []);
  });

  it('keeps the failed attempt of a task cancelled while it waited to retry, and starts no other', async () => {
    const run = new TaskRun(planOf([{ id: 'a', maxAttempts: 5, backoff: ['fixed', 10], run: () => Promise.reject(new Error('again')) }]));
    const done = run.start();
    await sleep(20);
    run.cancel();
    const [task] = (await done).tasks;
    assert.equal(task.status, 'cancelled');
    assert.deepEqual(shape(task.attempts), [['failed', 'again']]);
  });

  it('gives a task that never ran no attempts', async () => {
    const r = await new TaskRun(planOf([{ id: 'root', deps: ['a'] }, { id: 'a', run: () => Promise.reject(new Error('down')) }])).start();
    const t = byId(r.tasks);
    assert.equal(t.root.status, 'pending');
    assert.equal(t.root.attempts, undefined);
  });

  it('shows executors the attempts with ISO times, like the record’s other times', async () => {
    let seen: unknown;
    await new TaskRun(planOf([{ id: 'a', run: (_i, { task }) => ((seen = task.attempts), 1) }])).start();
    assert.deepEqual(seen, [{ started_at: (seen as { started_at: string }[])[0].started_at, completed_at: null, status: 'in_progress' }]);
    assert.match((seen as { started_at: string }[])[0].started_at, /^\d{4}-\d\d-\d\dT/);
  });
});

describe('history: attempts (schema version 4)', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  it('returns every attempt of a task as recorded, with epoch-ms times', async () => {
    const path = join(t.dir, 'h.sqlite');
    const history = await LocalHistory.open({ path, mode: 'write' });
    let calls = 0;
    const { run, tasks } = await recordRun(history, [{ id: 'flaky', maxAttempts: 2, backoff: ['fixed', 0.01], run: () => (++calls < 2 ? Promise.reject(new Error('503 from upstream')) : { ok: true }) }]);
    await history.close();
    const reader = await LocalHistory.open({ path, mode: 'read' });
    const [stored] = await reader.tasksOf(run.id);
    assert.deepEqual(stored.attempts, tasks[0].attempts);
    assert.deepEqual(shape(stored.attempts), [['failed', '503 from upstream'], ['completed', undefined]]);
    await reader.close();
  });

  it('migrates a version-2 file: its tasks read without attempts, new runs keep theirs', async () => {
    const path = join(t.dir, 'v2.sqlite');
    await olderHistory(path, 2, `
      INSERT INTO runs (id, file, tree_hash, trigger, status, started_at, finished_at) VALUES ('old', 'f', 'h', 'run', 'completed', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:01.000Z');
      INSERT INTO tasks (run_id, id, name, status, priority, inputs, dependencies, progress, created_at, started_at, updated_at, completed_at,
      origin_type, has_references, task_tree_id, has_children, max_attempts, attempt_count, def_hash, position, hooks)
      VALUES ('old', 'a', 'A', 'completed', 2, '{}', '[]', 1, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:01.000Z',
      '2025-01-01T00:00:01.000Z', 'create', 0, 'a', 0, 1, 1, 'h', 0, NULL);`);

    const history = await LocalHistory.open({ path, mode: 'write' });
    const [old] = await history.tasksOf('old');
    assert.equal(old.status, 'completed');
    assert.equal(old.attempts, undefined);
    const { run } = await recordRun(history, [{ id: 'a' }]);
    const [fresh] = await history.tasksOf(run.id);
    assert.deepEqual(shape(fresh.attempts), [['completed', undefined]]);
    await history.close();
  });

  it('reads an attempt list damaged by hand as none, keeping the rest of the record', async () => {
    const path = join(t.dir, 'h.sqlite');
    const history = await LocalHistory.open({ path, mode: 'write' });
    const { run } = await recordRun(history, [{ id: 'a' }]);
    await history.close();
    await editHistory(path, `UPDATE tasks SET attempts = '[{"started_at": 5}, not json' WHERE id = 'a'`);
    const reader = await LocalHistory.open({ path, mode: 'read' });
    const [task] = await reader.tasksOf(run.id);
    assert.deepEqual(task.attempts, []);
    assert.equal(task.status, 'completed');
    await reader.close();
  });
});
