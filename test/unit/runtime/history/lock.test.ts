import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { HistoryError } from '../../../../runtime/history/history';
import { LocalHistory } from '../../../../runtime/history/local';
import { acquireLock, HistoryLockedError } from '../../../../runtime/history/lock';
import { recordRun, tempDir } from './helpers';

/** Who the lock file says holds it. */
const holderIn = (lockPath: string) => JSON.parse(readFileSync(lockPath, 'utf8')) as { pid: number; start: string | null; host: string };

/** A pid that is certainly not running: a child that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('history: the writer lock (spec 3.7)', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  it('names its holder in the lock file (pid, process start time, host), readable by the owner only, and removes it on release', async () => {
    const lockPath = join(t.dir, 'h.sqlite.lock');
    const lock = await acquireLock(lockPath, 0);
    const start = readFileSync(`/proc/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ')[19];
    assert.deepEqual(holderIn(lockPath), { pid: process.pid, start, host: hostname() });
    assert.equal(statSync(lockPath).mode & 0o777, 0o600);
    assert.equal(lock.broke, null, 'nothing was broken to take it');
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
    assert.equal(holderIn(lockPath).pid, process.pid);
    second.release();
  });

  it('takes over a lock whose process is gone', async () => {
    const lockPath = join(t.dir, 'h.sqlite.lock');
    const dead = deadPid();
    writeFileSync(lockPath, String(dead));
    const lock = await acquireLock(lockPath, 0);
    assert.equal(holderIn(lockPath).pid, process.pid);
    assert.match(lock.broke ?? '', new RegExp(`broke the stale lock .*h\\.sqlite\\.lock: its process ${dead} is no longer running`));
    lock.release();
  });

  it('breaks a lock whose pid is alive again in another process (pid 1 of a new container, pid reuse), and says so', async () => {
    const path = join(t.dir, 'h.sqlite');
    // Left by a killed writer that was pid 1 of an earlier container: pid 1 is running again, started later.
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: 1, start: '999999999999', host: hostname() }));
    const history = await LocalHistory.open({ path, mode: 'write', lockWaitMs: 300 });
    assert.equal(holderIn(`${path}.lock`).pid, process.pid);
    assert.equal(history.warnings.length, 1);
    assert.match(history.warnings[0], /broke the stale lock .*: its process 1 is no longer running \(that pid now belongs to another process\)/);
    await history.close();
  });

  for (const [what, content] of [
    ['empty', ''],
    ['not naming a process', 'garbage'],
  ] as const) {
    it(`treats a lock file that is ${what} as stale at once`, async () => {
      const lockPath = join(t.dir, 'h.sqlite.lock');
      writeFileSync(lockPath, content);
      const lock = await acquireLock(lockPath, 0);
      assert.equal(holderIn(lockPath).pid, process.pid);
      assert.ok(lock.broke);
      lock.release();
    });
  }

  it('respects a lock held by a process on another host, and names the host', async () => {
    const lockPath = join(t.dir, 'h.sqlite.lock');
    writeFileSync(lockPath, JSON.stringify({ pid: deadPid(), start: '1', host: 'elsewhere.example' }));
    await assert.rejects(acquireLock(lockPath, 0), /in use by process \d+ on elsewhere\.example/);
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
