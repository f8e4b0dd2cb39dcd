import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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

  for (const [what, content] of [
    ['a file that is not a database', Buffer.from('these are not the bytes you are looking for')],
    ['a damaged database', null],
  ] as const) {
    it(`moves ${what} aside as <name>.corrupt-<timestamp>, says so, and starts anew`, async () => {
      const path = join(t.dir, 'h.sqlite');
      let bytes: Buffer;
      if (content) bytes = content;
      else {
        const history = await LocalHistory.open({ path, mode: 'write' });
        await recordRun(history);
        await history.close();
        const whole = readFileSync(path);
        // Keep the header, destroy the pages after it.
        bytes = Buffer.concat([whole.subarray(0, 100), Buffer.alloc(whole.length - 100, 0xab)]);
      }
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
  }

  it('does not move a damaged file when only reading while another process writes', async () => {
    const path = join(t.dir, 'h.sqlite');
    writeFileSync(path, 'garbage garbage garbage garbage');
    writeFileSync(`${path}.lock`, String(process.pid));
    await assert.rejects(LocalHistory.open({ path, mode: 'read' }), (e: Error) => e instanceof HistoryError && /next run will move it aside/.test(e.message));
    assert.equal(readFileSync(path, 'utf8'), 'garbage garbage garbage garbage');
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
