import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLegalTransition } from '../../../../runtime/lifecycle';
import { LocalHistory } from '../../../../runtime/history/local';
import { INTERRUPTED_PENDING, INTERRUPTED_RUN, INTERRUPTED_TASK } from '../../../../runtime/history/store';
import { tempDir } from './helpers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('history: recovery of a process killed mid-run (spec 3.7)', function () {
  this.timeout(30000);
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  it('marks the run failed, its running task failed and its pending task cancelled, taking over the stale lock', async () => {
    const path = join(t.dir, 'h.sqlite');
    const child = spawn(process.execPath, ['-r', 'esbuild-register', join(__dirname, 'crash-child.ts'), path], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    let runId = '';
    child.stdout.on('data', (d) => (runId += d));

    // Wait until the file shows the run under way, as another process would see it.
    let seen = false;
    for (let i = 0; i < 200 && !seen; i++) {
      await sleep(50);
      if (!existsSync(path)) continue;
      const reader = await LocalHistory.open({ path, mode: 'read' });
      const [run] = await reader.listRuns({ limit: 1 });
      const tasks = run ? await reader.tasksOf(run.id) : [];
      seen = run?.status === 'running' && tasks.some((x) => x.id === 'slow' && x.status === 'in_progress') && tasks.some((x) => x.id === 'quick' && x.status === 'completed');
      await reader.close();
    }
    assert.ok(seen, 'the child wrote its running run');
    assert.equal(JSON.parse(readFileSync(`${path}.lock`, 'utf8')).pid, child.pid, 'the child holds the lock');
    child.kill('SIGKILL');
    await exited;

    const history = await LocalHistory.open({ path, mode: 'write', lockWaitMs: 1000 });
    assert.ok(!history.warnings.some((w) => /damaged/.test(w)), 'the file written before the kill is whole');
    const [run] = await history.listRuns({ limit: 1 });
    assert.equal(run.id, runId.trim());
    assert.equal(run.status, 'failed');
    assert.equal(run.error, INTERRUPTED_RUN);
    assert.ok(run.finished_at !== null && run.finished_at >= run.started_at);
    const tasks = Object.fromEntries((await history.tasksOf(run.id)).map((x) => [x.id, x]));
    assert.equal(tasks.slow.status, 'failed');
    assert.equal(tasks.slow.error, INTERRUPTED_TASK);
    assert.equal(tasks.slow.error, 'interrupted: the process ended before the task finished');
    assert.ok((tasks.slow.started_at as number) <= (tasks.slow.completed_at as number));
    // The attempt it was making ends with it (issue 13: the timeline draws every attempt).
    assert.deepEqual(tasks.slow.attempts?.map((a) => [a.status, a.error, a.completed_at]), [['failed', INTERRUPTED_TASK, tasks.slow.completed_at]]);
    assert.equal(tasks.root.status, 'cancelled');
    assert.equal(tasks.root.error, INTERRUPTED_PENDING);
    assert.equal(tasks.quick.status, 'completed');
    const events = await history.eventsOf(run.id);
    for (const e of events.filter((x) => x.kind === 'status')) assert.ok(e.from_status && e.to_status && isLegalTransition(e.from_status, e.to_status));
    assert.ok(events.some((e) => e.task_id === 'slow' && e.from_status === 'in_progress' && e.to_status === 'failed'));
    assert.equal(JSON.parse(readFileSync(`${path}.lock`, 'utf8')).pid, process.pid, 'the stale lock was taken over');
    assert.match(history.warnings.join('\n'), new RegExp(`broke the stale lock .*: its process ${child.pid} is no longer running`));
    await history.close();
    assert.equal(existsSync(`${path}.lock`), false, 'closing releases the lock');
  });
});
