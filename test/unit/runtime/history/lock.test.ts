import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HistoryError } from '../../../../runtime/history/history';
import { LocalHistory } from '../../../../runtime/history/local';
import { acquireLock, HistoryLockedError } from '../../../../runtime/history/lock';
import { recordRun, tempDir } from './helpers';

/** A pid that is certainly not running: a child that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('history: the writer lock (spec 3.7)', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  it('writes the owner pid into the lock file and removes it on release', async () => {
    const lockPath = join(t.dir, 'h.sqlite.lock');
    const lock = await acquireLock(lockPath, 0);
    assert.equal(readFileSync(lockPath, 'utf8'), String(process.pid));
    lock.release();
    assert.equal(existsSync(lockPath), false);
  });

  it('makes a second writer wait, then names the process that holds the lock', async () => {
    const path = join(t.dir, 'h.sqlite');
    const first = await LocalHistory.open({ path, mode: 'write' });
    const started = Date.now();
    await assert.rejects(LocalHistory.open({ path, mode: 'write', lockWaitMs: 300 }), (e: Error) => {
      assert.ok(e instanceof HistoryError);
      assert.match(e.message, new RegExp(`in use by process ${process.pid} \\(lock file .*h\\.sqlite\\.lock\\)`));
      return true;
    });
    assert.ok(Date.now() - started >= 280, 'it waited');
    await first.close();
  });

  it('lets a waiting writer in as soon as the holder lets go', async () => {
    const lockPath = join(t.dir, 'h.sqlite.lock');
    const first = await acquireLock(lockPath, 0);
    setTimeout(() => first.release(), 150);
    const second = await acquireLock(lockPath, 2000);
    assert.equal(readFileSync(lockPath, 'utf8'), String(process.pid));
    second.release();
  });

  it('takes over a lock whose process is gone', async () => {
    const lockPath = join(t.dir, 'h.sqlite.lock');
    writeFileSync(lockPath, String(deadPid()));
    const lock = await acquireLock(lockPath, 0);
    assert.equal(readFileSync(lockPath, 'utf8'), String(process.pid));
    lock.release();
  });

  it('reports the holder as an error type that names pid and lock file', async () => {
    const lockPath = join(t.dir, 'x.lock');
    writeFileSync(lockPath, String(process.pid));
    await assert.rejects(acquireLock(lockPath, 0), (e: Error) => e instanceof HistoryLockedError && e.pid === process.pid && e.lockPath === lockPath);
  });

  it('lets a reader see a snapshot while a writer holds the file, without recovering its running runs', async () => {
    const path = join(t.dir, 'h.sqlite');
    const writer = await LocalHistory.open({ path, mode: 'write' });
    await recordRun(writer);
    writer.apply({
      runs: [['r-running', '/f', 'h', null, 'run', null, 'running', new Date().toISOString(), null, null, null]],
      tasks: [],
      events: [],
      finished: [],
    });
    await writer.flush();
    const reader = await LocalHistory.open({ path, mode: 'read' });
    const runs = await reader.listRuns({ limit: 5 });
    assert.deepEqual(runs.map((r) => r.status).sort(), ['completed', 'running']);
    await assert.rejects(reader.deleteRun(runs[0].id), /in use by another process/);
    await reader.close();
    await writer.close();
  });
});
