import { strict as assert } from 'node:assert';
import { Writable } from 'node:stream';
import type { CliIo } from '../../cli/io';
import { attachProgress, formatDuration } from '../../cli/progress';
import { TaskRun } from '../../runtime/run';
import { planOf, sleep } from '../unit/runtime/fixtures';

function fakeIo(isTTY: boolean): CliIo & { err: () => string } {
  let text = '';
  const stderr = Object.assign(
    new Writable({
      write(chunk, _enc, done) {
        text += String(chunk);
        done();
      },
    }),
    { isTTY, columns: 80, rows: 30 },
  );
  return { stdout: new Writable({ write: (_c, _e, done) => done() }), stderr, cwd: '/', env: {}, err: () => text };
}

const tree = () =>
  planOf([
    { id: 'root', deps: ['parse'] },
    { id: 'parse', run: () => Promise.reject(new Error('bad header\nmore detail')) },
    { id: 'side', run: async () => sleep(5) },
  ]);

describe('CLI: run progress on stderr (spec 6.2)', () => {
  it('prints one plain line per task state change when stderr is not a terminal', async () => {
    const io = fakeIo(false);
    const run = new TaskRun(tree());
    const detach = attachProgress(run, io);
    await run.start();
    detach();
    const all = io.err().trim().split('\n');
    // A task's log lines (here the failure's stack) carry its id; the state lines are the others.
    const logLines = all.filter((l) => /^\w+ \| /.test(l));
    assert.deepEqual(logLines.slice(0, 2), ['parse | Error: bad header', 'parse | more detail']);
    assert.ok(logLines.every((l) => l.startsWith('parse | ')));
    const lines = all.filter((l) => !logLines.includes(l));
    assert.deepEqual(lines.filter((l) => !/^side completed/.test(l)).map((l) => l.replace(/\(\d+ ms\)/, '(N ms)')), [
      'parse in_progress',
      'side in_progress',
      'parse failed (N ms): bad header',
      'root blocked by parse',
    ]);
    assert.ok(lines.some((l) => /^side completed \(\d+ ms\)$/.test(l)));
    assert.ok(!io.err().includes('\x1b'), 'no terminal control codes in logs');
  });

  it('redraws a table in place on a terminal, ending with every task’s final state', async () => {
    const io = fakeIo(true);
    const run = new TaskRun(tree());
    const detach = attachProgress(run, io);
    await run.start();
    await sleep(150);
    detach();
    const out = io.err();
    assert.match(out, /\x1b\[3F\x1b\[J/, 'moves up over the previous table and clears it');
    const last = out.slice(out.lastIndexOf('\x1b[J') + 3).trim().split('\n');
    assert.equal(last.length, 3);
    assert.match(last[0], /^root\s+blocked\s+blocked by parse$/);
    assert.match(last[1], /^parse\s+failed\s+\d+ ms\s+bad header$/);
    assert.match(last[2], /^side\s+completed\s+\d+ ms$/);
  });

  it('formats durations for people', () => {
    assert.deepEqual([formatDuration(12.4), formatDuration(1520), formatDuration(125000)], ['12 ms', '1.5 s', '2 min 5 s']);
  });
});
