// What runs and tasks say in the lenses, the Runs view, the status bar and the failure notification.
import assert from 'node:assert/strict';
import { countTasks, groupCounts, outcomeMessage, plural, progressCounter, runDescription, runLensTitle, taskDescription, taskLensTitle, taskTooltip, triggerText, type RunState, type TaskState } from '../../../client/format';

const NOW = 1_700_000_000_000;

function task(fields: Partial<TaskState>): TaskState {
  return { id: 't', name: 't', status: 'completed', error: null, blocked_by: null, started_at: NOW - 256, completed_at: NOW, attempt_count: 1, max_attempts: 1, origin_type: 'create', ...fields };
}

function run(fields: Partial<RunState>): RunState {
  return { id: 'r1', file: '/w/flow.apflow.yaml', status: 'completed', trigger: 'run', parent_run_id: null, started_at: NOW - 3200, finished_at: NOW, error: null, target_task: null, ...fields };
}

describe('client: what runs and tasks say', () => {
  it('writes plurals properly', () => {
    assert.equal(plural(1, 'error'), '1 error');
    assert.equal(plural(4, 'error'), '4 errors');
    assert.equal(plural(0, 'task'), '0 tasks');
  });

  it('counts with one counter on every surface', () => {
    const counts = countTasks([task({}), task({ status: 'failed' }), task({ status: 'pending', blocked_by: 'x' }), task({ status: 'in_progress' }), task({ status: 'pending' })]);
    assert.equal(progressCounter(counts), '3/5');
    assert.equal(runLensTitle(run({ status: 'running' }), counts), 'running · 3/5');
    assert.equal(runDescription(run({ status: 'running' }), counts, 12), '#12 · running · 3/5');
  });

  it('shows attempts when a task needed more than one', () => {
    const twice = task({ attempt_count: 2, max_attempts: 3 });
    assert.equal(taskLensTitle(twice, NOW), '$(pass) completed 256 ms · 2 attempts');
    assert.equal(taskDescription(twice, NOW), '256 ms · 2 attempts');
    assert.equal(taskDescription(task({ status: 'in_progress', completed_at: null, attempt_count: 2, max_attempts: 3 }), NOW), 'running · 2 attempts', 'no elapsed time that stands still on screen');
    assert.equal(taskLensTitle(task({}), NOW), '$(pass) completed 256 ms');
    assert.equal(taskLensTitle(task({ status: 'failed', error: 'boom\nstack', attempt_count: 3, max_attempts: 3 }), NOW), '$(error) failed: boom · 3 attempts');
    assert.equal(taskLensTitle(task({ status: 'pending', blocked_by: 'publish' }), NOW), '$(circle-slash) blocked by publish');
  });

  it('describes a run with its number, duration, age and trigger', () => {
    const counts = countTasks([task({})]);
    assert.equal(runDescription(run({}), counts, 3, null, NOW), '#3 · completed · 3.2 s · just now');
    assert.equal(runDescription(run({ trigger: 'retry', parent_run_id: 'r0' }), counts, 4, 3, NOW), '#4 · completed · 3.2 s · just now · ↻ retry of #3');
    assert.equal(runDescription(run({ trigger: 'run-task', target_task: 'fetch' }), counts, 5, null, NOW), '#5 · completed · 3.2 s · just now · ▶ task fetch');
    assert.equal(triggerText(run({ trigger: 'retry' }), null), '↻ retry', 'a retry of a run no longer kept');
  });

  it('starts a tooltip with the whole status, so that a cut description is readable', () => {
    const blocked = task({ id: 'report', name: 'Report', status: 'pending', blocked_by: 'publish_to_the_shared_drive', started_at: null, completed_at: null });
    assert.match(taskTooltip(blocked, NOW), /^report — Report\nblocked by publish_to_the_shared_drive\n/);
  });

  it('counts a group shortest first', () => {
    const counts = countTasks([task({}), task({}), task({ status: 'failed' }), task({ status: 'pending', blocked_by: 'x' })]);
    assert.equal(groupCounts(counts), '✓ 2 · ✗ 1 · ⊘ 1');
  });

  it('says what failed in the notification', () => {
    const tasks = [task({ id: 'fetch' }), task({ id: 'parse', status: 'failed', error: 'upstream returned 503\n  at x' }), task({ id: 'publish', status: 'pending', blocked_by: 'parse' })];
    assert.equal(outcomeMessage(run({ status: 'failed' }), tasks), 'apflow: flow.apflow.yaml failed — parse: upstream returned 503 (1 failed, 1 blocked of 3 tasks)');
    const cancelled = [task({ id: 'a', status: 'cancelled' }), task({ id: 'b', status: 'pending' })];
    assert.equal(outcomeMessage(run({ status: 'cancelled', error: 'cancelled by the user' }), cancelled), 'apflow: flow.apflow.yaml cancelled — cancelled by the user (1 cancelled, 1 not run of 2 tasks)');
  });
});
