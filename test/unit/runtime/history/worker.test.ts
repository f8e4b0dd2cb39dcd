import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HistoryError } from '../../../../runtime/history/history';
import { LocalHistory } from '../../../../runtime/history/local';
import { WorkerHistory } from '../../../../runtime/history/worker-client';
import { recordRun, tempDir } from './helpers';

describe('history: in a worker thread', function () {
  this.timeout(20000);
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  it('records runs that another thread then reads back, task by task and event by event', async () => {
    const path = join(t.dir, 'h.sqlite');
    const history = await WorkerHistory.open({ path, mode: 'write' });
    const failed = await recordRun(history, [{ id: 'root', deps: ['a'] }, { id: 'a', run: () => Promise.reject(new Error('nope')) }]);
    const completed = await recordRun(history);
    assert.deepEqual((await history.listRuns({ limit: 5 })).map((r) => r.id), [completed.run.id, failed.run.id]);
    assert.equal((await history.latestRetryable())?.id, failed.run.id);
    assert.equal((await history.findRun(failed.run.id.slice(0, 8)))?.id, failed.run.id);
    await history.close();

    const reader = await LocalHistory.open({ path, mode: 'read' });
    const tasks = await reader.tasksOf(failed.run.id);
    assert.deepEqual(
      tasks.map((x) => [x.id, x.status, x.blocked_by, x.error]),
      [
        ['root', 'pending', 'a', null],
        ['a', 'failed', null, 'nope'],
      ],
    );
    assert.deepEqual(tasks[1], failed.tasks[1], 'the stored record equals the live one');
    const events = await reader.eventsOf(failed.run.id, 'a');
    assert.deepEqual(events.filter((e) => e.kind === 'status').map((e) => `${e.from_status}→${e.to_status}`), ['pending→in_progress', 'in_progress→failed']);
    await reader.close();
  });

  it('deletes one run or clears them all', async () => {
    const path = join(t.dir, 'h.sqlite');
    const history = await WorkerHistory.open({ path, mode: 'write' });
    const a = await recordRun(history);
    await recordRun(history);
    assert.equal(await history.deleteRun(a.run.id), true);
    assert.equal(await history.deleteRun(a.run.id), false);
    assert.equal((await history.listRuns({ limit: 5 })).length, 1);
    await history.clear();
    assert.deepEqual(await history.listRuns({ limit: 5 }), []);
    await history.close();
  });

  it('reports why the history cannot be opened', async () => {
    const path = join(t.dir, 'h.sqlite');
    writeFileSync(`${path}.lock`, String(process.pid));
    await assert.rejects(WorkerHistory.open({ path, mode: 'write', lockWaitMs: 100 }), (e: Error) => e instanceof HistoryError && e.message.includes(`in use by process ${process.pid}`));
  });
});
