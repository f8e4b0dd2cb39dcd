// Where a task's merged inputs came from (issue 13: the run page shows a task's own inputs apart from
// its dependencies' results) is recorded by the runtime where it merges, kept in the history (schema
// version 5), carried over by a retry, and absent, not guessed, for rows written before.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { splitInputs } from '../../../../client/run-page/model';
import { carryOver } from '../../../../runtime/carry-over';
import { LocalHistory } from '../../../../runtime/history/local';
import { TaskRun } from '../../../../runtime/run';
import { planOf, type FixtureTask } from '../fixtures';
import { editHistory, olderHistory, recordRun, tempDir } from './helpers';

const TREE: FixtureTask[] = [
  { id: 'report', inputs: { title: 'weekly' }, deps: ['fetch', 'count'] },
  { id: 'fetch', run: () => ({ result: { rows: [1, 2, 3] } }) },
  { id: 'count', run: () => 3 },
];

describe('history: where merged inputs came from (schema version 5)', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  it('reads back what the run recorded, so that the page splits the stored record as it split the live one', async () => {
    const path = join(t.dir, 'h.sqlite');
    const history = await LocalHistory.open({ path, mode: 'write' });
    const { run, tasks } = await recordRun(history, TREE);
    await history.close();
    const reader = await LocalHistory.open({ path, mode: 'read' });
    const stored = await reader.tasksOf(run.id);
    await reader.close();
    assert.deepEqual(stored[0].merged_from, [{ task: 'fetch', keys: ['rows'] }, { task: 'count', keys: ['count'] }]);
    assert.deepEqual(splitInputs(stored[0], run), splitInputs(tasks[0], run));
    assert.deepEqual(splitInputs(stored[0], run).own, { title: 'weekly' });
    assert.equal(stored[1].merged_from, undefined, 'fetch has no dependencies: nothing merged, nothing recorded');
  });

  it('migrates a version-4 file: its tasks read without the list (the page says so), new runs keep it', async () => {
    const path = join(t.dir, 'v4.sqlite');
    await olderHistory(path, 4, `
      INSERT INTO runs (id, file, tree_hash, trigger, status, started_at, finished_at) VALUES ('old', 'f', 'h', 'run', 'completed', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:01.000Z');
      INSERT INTO tasks (run_id, id, name, status, priority, inputs, dependencies, progress, created_at, started_at, updated_at, completed_at,
      origin_type, has_references, task_tree_id, has_children, max_attempts, attempt_count, def_hash, position)
      VALUES ('old', 'report', 'Report', 'completed', 2, '{"title":"weekly","rows":[1,2,3]}', '[{"id":"fetch","required":true}]', 1,
      '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:01.000Z', '2025-01-01T00:00:01.000Z', 'create', 0, 'report', 0, 1, 1, 'h', 0);`);

    const history = await LocalHistory.open({ path, mode: 'write' });
    const [old] = await history.tasksOf('old');
    assert.equal(old.merged_from, undefined);
    const shown = splitInputs(old, { server: undefined });
    assert.deepEqual(shown.own, { title: 'weekly', rows: [1, 2, 3] }, 'the inputs as received');
    assert.match(shown.unsplit ?? '', /older version/);
    const { run } = await recordRun(history, TREE);
    const [fresh] = await history.tasksOf(run.id);
    assert.deepEqual(fresh.merged_from?.map((f) => f.task), ['fetch', 'count']);
    await history.close();
    assert.deepEqual(await editHistory(path, 'SELECT schema_version FROM meta'), [[5]]);
  });

  it('reads a list damaged by hand as not recorded, keeping the rest of the record', async () => {
    const path = join(t.dir, 'h.sqlite');
    const history = await LocalHistory.open({ path, mode: 'write' });
    const { run } = await recordRun(history, TREE);
    await history.close();
    await editHistory(path, `UPDATE tasks SET merged_from = '[{"task": 7, "keys": "rows"}]' WHERE id = 'report'`);
    const reader = await LocalHistory.open({ path, mode: 'read' });
    const [report] = await reader.tasksOf(run.id);
    await reader.close();
    assert.equal(report.merged_from, undefined);
    assert.equal(report.status, 'completed');
    assert.deepEqual(report.inputs, { title: 'weekly', rows: [1, 2, 3], count: 3 });
  });

  it('goes with a task a retry carries over', async () => {
    const path = join(t.dir, 'h.sqlite');
    const history = await LocalHistory.open({ path, mode: 'write' });
    const { run } = await recordRun(history, TREE);
    const stored = await history.tasksOf(run.id);
    await history.close();
    const plan = planOf(TREE, { trigger: 'retry', parentRunId: run.id });
    plan.tasks = carryOver(plan.tasks, stored);
    assert.ok(plan.tasks.every((task) => task.carried !== null), 'the whole tree completed: all of it is carried');
    const retried = await new TaskRun(plan).start();
    assert.equal(retried.tasks[0].origin_type, 'link');
    assert.deepEqual(retried.tasks[0].merged_from, stored[0].merged_from);
  });
});
