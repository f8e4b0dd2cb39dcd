import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomically } from '../../../../runtime/history/file-store';
import { HistoryError } from '../../../../runtime/history/history';
import { LocalHistory } from '../../../../runtime/history/local';
import { recordRun, tempDir } from './helpers';

describe('history: files on disk (spec 3.7)', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  it('writes atomically: the new content replaces the old, no temporary file is left behind', async () => {
    const path = join(t.dir, 'h.sqlite');
    writeFileSync(path, 'old');
    const big = new Uint8Array(3 * 1024 * 1024).fill(7);
    const writing = writeAtomically(path, big);
    // While the write is under way the old file is still whole.
    assert.equal(readFileSync(path, 'utf8'), 'old');
    await writing;
    assert.deepEqual(new Uint8Array(readFileSync(path)), big);
    assert.deepEqual(readdirSync(t.dir), ['h.sqlite']);
  });

  it('cleans up temporary files left by a writer that was killed mid-write', async () => {
    const path = join(t.dir, 'h.sqlite');
    writeFileSync(join(t.dir, '.h.sqlite.12345.1700000000000.tmp'), 'half a file');
    writeFileSync(join(t.dir, 'unrelated.tmp'), 'keep me');
    const history = await LocalHistory.open({ path, mode: 'write' });
    await history.close();
    assert.deepEqual(readdirSync(t.dir).sort(), ['unrelated.tmp']);
  });

  it('removes its temporary file when the write fails', async () => {
    const path = join(t.dir, 'missing-dir', 'h.sqlite');
    await assert.rejects(writeAtomically(path, new Uint8Array(10)));
    assert.deepEqual(readdirSync(t.dir), []);
  });

  it('moves a damaged history of ours aside as <name>.corrupt-<timestamp>, says so, and starts anew', async () => {
    const path = join(t.dir, 'h.sqlite');
    const first = await LocalHistory.open({ path, mode: 'write' });
    await recordRun(first);
    await first.close();
    const whole = readFileSync(path);
    // Keep the first page (header and schema), destroy the pages after it.
    const bytes = Buffer.concat([whole.subarray(0, 4096), Buffer.alloc(whole.length - 4096, 0xab)]);
    writeFileSync(path, bytes);
    const history = await LocalHistory.open({ path, mode: 'write' });
    const moved = readdirSync(t.dir).filter((f) => f.startsWith('h.sqlite.corrupt-'));
    assert.equal(moved.length, 1);
    assert.deepEqual(readFileSync(join(t.dir, moved[0])), bytes, 'the damaged file is kept as it was');
    assert.equal(history.warnings.length, 1);
    assert.ok(history.warnings[0].includes(moved[0]), history.warnings[0]);
    assert.deepEqual(await history.listRuns({ limit: 5 }), []);
    await recordRun(history);
    await history.close();
    assert.ok(existsSync(path));
  });

  for (const [what, content, reason] of [
    ['a text file', Buffer.from('my notes: do not lose these\n'), /not an apflow run history \(it is not a SQLite database\)/],
    ['a damaged SQLite database that is not ours', Buffer.concat([Buffer.from('SQLite format 3\u0000'), Buffer.alloc(8000, 0xcd)]), /damaged SQLite database that is not an apflow run history/],
  ] as const) {
    for (const mode of ['write', 'read'] as const) {
      it(`never touches ${what} given as the history (${mode}): refuses it, naming it`, async () => {
        const path = join(t.dir, 'notes.txt');
        writeFileSync(path, content);
        await assert.rejects(LocalHistory.open({ path, mode }), (e: Error) => e instanceof HistoryError && e.message.includes(path) && reason.test(e.message));
        assert.deepEqual(readFileSync(path), content);
        assert.deepEqual(readdirSync(t.dir), ['notes.txt'], 'nothing moved, nothing created');
      });
    }
  }

  it('creates the history folder for its owner only (0700) and the file readable by its owner only (0600)', async () => {
    const path = join(t.dir, '.apflow', 'history.sqlite');
    const history = await LocalHistory.open({ path, mode: 'write' });
    await recordRun(history);
    await history.close();
    assert.equal(statSync(join(t.dir, '.apflow')).mode & 0o777, 0o700);
    assert.equal(statSync(path).mode & 0o777, 0o600);
  });

  it('does not move a damaged history when only reading', async () => {
    const path = join(t.dir, 'h.sqlite');
    const first = await LocalHistory.open({ path, mode: 'write' });
    await recordRun(first);
    await first.close();
    const damaged = Buffer.concat([readFileSync(path).subarray(0, 4096), Buffer.alloc(8192, 0xab)]);
    writeFileSync(path, damaged);
    await assert.rejects(LocalHistory.open({ path, mode: 'read' }), (e: Error) => e instanceof HistoryError && /next run will move it aside/.test(e.message));
    assert.deepEqual(readFileSync(path), damaged);
  });

  it('keeps the newest maxRuns runs and never prunes a running one', async () => {
    const path = join(t.dir, 'h.sqlite');
    const history = await LocalHistory.open({ path, mode: 'write', maxRuns: 3 });
    // A run still going on elsewhere in this process (the oldest of all): never pruned.
    history.apply({ runs: [['still-running', '/f', 'h', null, 'run', null, 'running', '2000-01-01T00:00:00.000Z', null, null, null]], tasks: [], events: [], finished: [] });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await recordRun(history)).run.id);
      await new Promise((r) => setTimeout(r, 2));
    }
    const kept = (await history.listRuns({ limit: 10 })).map((r) => r.id);
    assert.deepEqual(kept, [...ids.slice(2).reverse(), 'still-running']);
    assert.equal((await history.tasksOf(ids[0])).length, 0, 'pruning deletes whole runs');
    assert.equal((await history.eventsOf(ids[0])).length, 0);
    await history.close();
  });
});
