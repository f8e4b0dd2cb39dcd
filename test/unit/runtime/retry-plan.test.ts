import { strict as assert } from 'node:assert';
import { carryOver, type EarlierTask } from '../../../runtime/carry-over';
import { TaskRun } from '../../../runtime/run';
import { selectTask } from '../../../runtime/select';
import { byId, planOf } from './fixtures';

const completed = (id: string, result: unknown = { [`out_${id}`]: id }): EarlierTask => ({
  id,
  status: 'completed',
  def_hash: `hash-${id}`,
  inputs: {},
  result,
  started_at: 1000,
  completed_at: 2000,
  attempt_count: 1,
});

describe('runtime: run task and retry (spec 3.6)', () => {
  const tree = () =>
    planOf([
      { id: 'root', deps: ['load', 'side'] },
      { id: 'fetch' },
      { id: 'load', deps: ['fetch'] },
      { id: 'side' },
      { id: 'unrelated' },
    ]);

  it('runs a task with its transitive dependencies only, in file order', async () => {
    const plan = tree();
    const selected = selectTask(plan, 2);
    assert.deepEqual(selected.tasks.map((t) => t.id), ['fetch', 'load']);
    assert.equal(selected.targetTask, 'load');
    assert.deepEqual(selected.tasks[1].dependencies, [{ index: 0, required: true }]);
    const { tasks } = await new TaskRun(selected).start();
    assert.deepEqual(tasks.map((t) => [t.id, t.status]), [['fetch', 'completed'], ['load', 'completed']]);
    assert.deepEqual(tasks[1].dependencies, [{ id: 'fetch', required: true }]);
  });

  it('carries over completed, unchanged tasks whose dependencies are carried over', () => {
    const plan = tree();
    const earlier = [completed('fetch'), { ...completed('load'), status: 'failed' as const }, completed('side'), completed('unrelated')];
    const carried = carryOver(plan.tasks, earlier).map((t) => [t.id, t.carried !== null]);
    assert.deepEqual(carried, [['root', false], ['fetch', true], ['load', false], ['side', true], ['unrelated', true]]);
  });

  it('re-runs an edited task and everything downstream of it', () => {
    const plan = tree();
    plan.tasks[1].defHash = 'edited';
    const earlier = ['root', 'fetch', 'load', 'side', 'unrelated'].map((id) => completed(id));
    const carried = carryOver(plan.tasks, earlier).filter((t) => t.carried).map((t) => t.id);
    assert.deepEqual(carried, ['side', 'unrelated']);
  });

  it('links carried tasks to their earlier row and feeds their results to re-run dependents', async () => {
    const plan = tree();
    plan.tasks = carryOver(plan.tasks, [completed('fetch', { got: 'earlier' }), completed('side'), completed('unrelated')]);
    let fetchRan = false;
    plan.tasks[1].execute = () => (fetchRan = true);
    plan.tasks[2].execute = (inputs) => inputs;
    const run = new TaskRun(plan);
    const transitions: string[] = [];
    run.on('task-status', (e) => transitions.push(e.task.id));
    const { run: record, tasks } = await run.start();
    const t = byId(tasks);
    assert.equal(fetchRan, false);
    assert.equal(record.status, 'completed');
    assert.equal(t.fetch.origin_type, 'link');
    assert.equal(t.fetch.original_task_id, 'fetch');
    assert.equal(t.fetch.started_at, 1000);
    assert.equal(t.load.origin_type, 'create');
    assert.deepEqual(t.load.result, { got: 'earlier' });
    assert.ok(!transitions.includes('fetch') && !transitions.includes('side'), 'carried tasks make no transitions');
  });

  it('never starts a carried task again, even one that depends on another carried task', async () => {
    const plan = planOf([{ id: 'release', deps: ['publish'] }, { id: 'build' }, { id: 'test', deps: ['build'] }, { id: 'publish', deps: ['test'] }]);
    plan.tasks = carryOver(plan.tasks, [completed('build'), completed('test')]);
    const started: string[] = [];
    for (const task of plan.tasks) task.execute = () => started.push(task.id);
    const { run: record, tasks } = await new TaskRun(plan).start();
    assert.equal(record.status, 'completed');
    assert.deepEqual(started, ['publish', 'release']);
    assert.deepEqual(tasks.map((t) => t.origin_type), ['create', 'link', 'link', 'create']);
  });
});
