// The run page's data model (issue 13): rows of the timeline, the table's filter and sort, and the
// inputs split into the task's own and its dependencies' results, on records of real runs.
import { strict as assert } from 'node:assert';
import { DEFAULT_QUERY, pageTasks, splitInputs, tableRows, timeline, type TableQuery } from '../../../client/run-page/model';
import { TaskRun } from '../../../runtime/run';
import type { TaskRecord } from '../../../runtime/types';
import { planOf, sleep } from '../runtime/fixtures';

async function failingRun(): Promise<TaskRecord[]> {
  let calls = 0;
  const run = new TaskRun(
    planOf([
      { id: 'publish', deps: ['build', 'lint'] },
      { id: 'build', run: async () => (await sleep(15), { artifact: 'app.tgz' }) },
      { id: 'lint', maxAttempts: 2, backoff: ['fixed', 0.01], run: async () => (++calls < 2 ? Promise.reject(new Error('eslint crashed\n  at lint.js:1')) : { warnings: 0 }) },
      { id: 'docs', run: () => Promise.reject(new Error('no docs folder')) },
    ]),
    { concurrency: 4 },
  );
  return [...(await run.start()).tasks];
}

describe('run page: data model', () => {
  it('gives the timeline a row per task that ran, each attempt a bar, in order of first start', async () => {
    const records = await failingRun();
    const tasks = pageTasks(records);
    const t = timeline(tasks, Date.now());
    const ids = t.rows.map((r) => tasks[r.task].id);
    assert.deepEqual(ids.slice(-1), ['publish'], 'publish waited for its dependencies');
    assert.deepEqual([...ids].sort(), ['build', 'docs', 'lint', 'publish']);
    const lint = t.rows.find((r) => tasks[r.task].id === 'lint');
    assert.deepEqual(lint?.attempts.map((a) => [a.status, a.error]), [['failed', 'eslint crashed\n  at lint.js:1'], ['completed', undefined]]);
    assert.ok(t.start <= Math.min(...t.rows.map((r) => r.attempts[0].start)));
    assert.equal(t.end, Math.max(...records.map((r) => r.completed_at ?? 0)));
    assert.equal(tasks[records.findIndex((r) => r.id === 'lint')].error, '');
    assert.equal(tasks[records.findIndex((r) => r.id === 'docs')].error, 'no docs folder');
  });

  it('draws a record from before attempts were kept as one bar over its time in progress', () => {
    const [task] = pageTasks([{ ...record('old'), status: 'failed', started_at: 1000, completed_at: 1500, error: 'boom\ntrace' }]);
    assert.deepEqual(task.attempts, [{ start: 1000, end: 1500, status: 'failed', error: 'boom\ntrace' }]);
    assert.equal(task.error, 'boom');
  });

  it('leaves carried-over tasks and tasks that never started off the timeline', () => {
    const tasks = pageTasks([
      { ...record('carried'), status: 'completed', origin_type: 'link', started_at: 10, completed_at: 20, attempts: [{ started_at: 10, completed_at: 20, status: 'completed' }] },
      { ...record('never'), blocked_by: 'carried' },
    ]);
    assert.equal(tasks[0].carried, true);
    assert.equal(tasks[1].status, 'blocked');
    assert.deepEqual(timeline(tasks, 99).rows, []);
  });

  it('filters the table by text and status, and sorts it with file order among ties', async () => {
    const tasks = pageTasks(await failingRun());
    const ids = (q: Partial<TableQuery>) => tableRows(tasks, { ...DEFAULT_QUERY, ...q }, Date.now()).map((i) => tasks[i].id);
    assert.deepEqual(ids({}), ['publish', 'build', 'lint', 'docs']);
    assert.deepEqual(ids({ text: 'DOCS FOLDER' }), ['docs'], 'the error matches, whatever the case');
    assert.deepEqual(ids({ status: 'problems' }), ['docs']);
    assert.deepEqual(ids({ status: 'completed', sort: 'attempts', descending: true }), ['lint', 'publish', 'build']);
    assert.deepEqual(ids({ sort: 'status' }), ['docs', 'publish', 'build', 'lint']);
    assert.deepEqual(ids({ sort: 'id' }), ['build', 'docs', 'lint', 'publish']);
    assert.equal(ids({ sort: 'duration', descending: true })[0], 'build', 'build slept longest');
  });

  it('shows a task’s own inputs apart from what each dependency’s result put in, as the runtime recorded the merge', async () => {
    const plan = planOf([
      { id: 'publish', inputs: { channel: 'stable', token: 'x' }, deps: [{ id: 'build', required: false }, { id: 'lint', required: false }, { id: 'flaky', required: false }] },
      { id: 'build', run: () => ({ artifact: 'app.tgz', channel: 'beta' }) },
      { id: 'lint', run: () => ({ result: 'clean' }) },
      { id: 'flaky', run: () => Promise.reject(new Error('no')) },
    ]);
    const { run, tasks } = await new TaskRun(plan).start();
    const publish = tasks[0];
    assert.deepEqual(publish.merged_from, [{ task: 'build', keys: ['artifact', 'channel'] }, { task: 'lint', keys: ['lint'] }]);
    assert.deepEqual(splitInputs(publish, run), {
      own: { token: 'x' },
      upstream: [
        { task: 'build', values: { artifact: 'app.tgz', channel: 'beta' } },
        { task: 'lint', values: { lint: 'clean' } },
      ],
      unsplit: null,
    });
  });

  it('keys every dependency’s part by its id for the aggregate executor, and splits nothing for a task without dependencies', async () => {
    const plan = planOf([
      { id: 'all', executor: 'aggregate_results_executor', inputs: { label: 'nightly' }, deps: ['build'], run: (inputs) => inputs },
      { id: 'build', inputs: { target: 'x64' }, run: () => ({ artifact: 'app.tgz' }) },
    ]);
    const { run, tasks } = await new TaskRun(plan).start();
    assert.deepEqual(splitInputs(tasks[0], run), { own: { label: 'nightly' }, upstream: [{ task: 'build', values: { build: { artifact: 'app.tgz' } } }], unsplit: null });
    assert.deepEqual(splitInputs(tasks[1], run), { own: { target: 'x64' }, upstream: [], unsplit: null });
  });

  it('shows the inputs as received, saying why, where the merge was not recorded (an older history, an apflow server)', async () => {
    const { run, tasks } = await new TaskRun(planOf([{ id: 'publish', deps: ['build'] }, { id: 'build' }])).start();
    const { merged_from: _recorded, ...older } = tasks[0];
    const local = splitInputs(older, run);
    assert.deepEqual([local.own, local.upstream], [{ out_build: 'build' }, []]);
    assert.match(local.unsplit ?? '', /recorded by an older version of the extension, which did not keep which came from which dependency/);
    assert.match(splitInputs(older, { server: 'http://127.0.0.1:8000' }).unsplit ?? '', /^The apflow server merged/);
    assert.equal(splitInputs({ ...older, started_at: null, status: 'pending' }, run).unsplit, null, 'nothing was merged into a task that never started');
  });
});

function record(id: string): TaskRecord {
  return {
    id, parent_id: null, user_id: null, name: id, status: 'pending', priority: 2, inputs: {}, schemas: null, params: null, result: null, error: null,
    dependencies: [], progress: 0, created_at: 0, started_at: null, updated_at: 0, completed_at: null, origin_type: 'create', original_task_id: null,
    has_references: false, task_tree_id: id, has_children: false, max_attempts: 1, attempt_count: 0, blocked_by: null, def_hash: 'h', position: 0,
  };
}
