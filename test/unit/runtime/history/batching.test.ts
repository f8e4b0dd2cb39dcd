import { strict as assert } from 'node:assert';
import { ExportScheduler } from '../../../../runtime/history/export-scheduler';
import type { History } from '../../../../runtime/history/history';
import { LOG_CAP_BYTES, LOG_CUT_MARKER, RunRecorder } from '../../../../runtime/history/recorder';
import type { WriteBatch } from '../../../../runtime/history/store';
import { EVENT_COLUMNS, TASK_COLUMNS } from '../../../../runtime/history/schema';
import { isLegalTransition } from '../../../../runtime/lifecycle';
import { TaskRun } from '../../../../runtime/run';
import type { TaskStatus } from '../../../../runtime/types';
import { planOf, sleep } from '../fixtures';

/** A History that only remembers the batches it was given, and when. */
function capturingHistory(): History & { batches: { at: number; batch: WriteBatch }[]; flushes: number } {
  const captured = {
    batches: [] as { at: number; batch: WriteBatch }[],
    flushes: 0,
    apply(batch: WriteBatch) {
      captured.batches.push({ at: Date.now(), batch });
    },
    async flush() {
      captured.flushes++;
    },
  };
  return captured as unknown as History & typeof captured;
}

const column = (name: (typeof TASK_COLUMNS)[number]) => TASK_COLUMNS.indexOf(name);
const eventColumn = (name: (typeof EVENT_COLUMNS)[number]) => EVENT_COLUMNS.indexOf(name);

describe('history: batching (performance guide rules 2-4)', () => {
  it('hands over one batch per macrotask, each task once with its latest state, every transition as an event', async () => {
    const history = capturingHistory();
    const wide = Array.from({ length: 50 }, (_, i) => ({ id: `t${i}`, run: () => i }));
    const run = new TaskRun(planOf([{ id: 'root', deps: wide.map((w) => w.id), run: () => 'done' }, ...wide]), { concurrency: 50 });
    const recorder = new RunRecorder(history, run);
    await run.start();
    await recorder.written();
    // Synchronous executors: the whole run happens within one macrotask, hence a single batch.
    assert.equal(history.batches.length, 1);
    const { batch } = history.batches[0];
    assert.equal(batch.tasks.length, 51, 'one row per task');
    assert.ok(batch.tasks.every((row) => row[column('status')] === 'completed'));
    const statusEvents = batch.events.filter((e) => e[eventColumn('kind')] === 'status');
    assert.equal(statusEvents.length, 102, 'two transitions per task');
    for (const e of statusEvents) assert.ok(isLegalTransition(e[eventColumn('from_status')] as TaskStatus, e[eventColumn('to_status')] as TaskStatus));
    const seqs = batch.events.map((e) => e[eventColumn('seq')] as number);
    assert.deepEqual(seqs, seqs.map((_, i) => i + 1), 'events numbered in order');
    assert.deepEqual(batch.finished, [run.record.id]);
    assert.equal(history.flushes, 1, 'the finished run is written at once');
  });

  it('batches per tick when tasks take time, and writes the run row at start and end', async () => {
    const history = capturingHistory();
    const run = new TaskRun(planOf([{ id: 'b', deps: ['a'], run: async () => sleep(20) }, { id: 'a', run: async () => sleep(20) }]));
    const recorder = new RunRecorder(history, run);
    await run.start();
    await recorder.written();
    assert.ok(history.batches.length >= 3);
    const runRows = history.batches.flatMap((b) => b.batch.runs);
    assert.deepEqual(runRows.map((r) => r[6]), ['running', 'completed']);
  });

  it('caps one task’s log at 1 MiB and marks the cut once', async () => {
    const history = capturingHistory();
    const chunk = 'x'.repeat(300 * 1024);
    const run = new TaskRun(
      planOf([
        {
          id: 'noisy',
          run: (_i, { log }) => {
            for (let i = 0; i < 6; i++) log(chunk);
          },
        },
      ]),
    );
    const recorder = new RunRecorder(history, run);
    await run.start();
    await recorder.written();
    const logs = history.batches.flatMap((b) => b.batch.events).filter((e) => e[eventColumn('kind')] === 'log').map((e) => String(e[eventColumn('message')]));
    const kept = logs.filter((m) => m !== LOG_CUT_MARKER).join('');
    assert.equal(Buffer.byteLength(kept), LOG_CAP_BYTES);
    assert.equal(logs.filter((m) => m === LOG_CUT_MARKER).length, 1);
    assert.equal(logs[logs.length - 1], LOG_CUT_MARKER);
  });

  it('keeps only the latest progress of a task per batch', async () => {
    const history = capturingHistory();
    const run = new TaskRun(
      planOf([
        {
          id: 'p',
          run: async (_i, { progress }) => {
            for (let i = 1; i <= 100; i++) progress(i / 100);
            await sleep(5);
          },
        },
      ]),
    );
    const recorder = new RunRecorder(history, run);
    await run.start();
    await recorder.written();
    const progress = history.batches.flatMap((b) => b.batch.events).filter((e) => e[eventColumn('kind')] === 'progress');
    assert.deepEqual(progress.map((e) => e[eventColumn('message')]), ['1']);
  });
});

describe('history: when the file is written (spec 3.7)', () => {
  const timing = { intervalMs: 100 };

  it('writes once, one interval after the first of a burst of changes', async () => {
    // A longer interval and burst than the other cases, so that a loaded machine's late timers cannot
    // blur "one interval after the first change" (≈ 300 ms) with "after the last" (≥ 540 ms).
    const writes: number[] = [];
    const scheduler = new ExportScheduler(async () => void writes.push(Date.now()), { intervalMs: 300 });
    const start = Date.now();
    for (let i = 0; i < 5; i++) {
      scheduler.markDirty();
      await sleep(60);
    }
    while (Date.now() - start < 700) await sleep(50);
    assert.equal(writes.length, 1);
    assert.ok(writes[0] - start >= 295 && writes[0] - start < 520, `${writes[0] - start} ms`);
  });

  it('is not postponed by changes that keep coming: first write one interval after the first change, then every interval', async () => {
    const writes: number[] = [];
    const scheduler = new ExportScheduler(async () => void writes.push(Date.now()), timing);
    const start = Date.now();
    while (Date.now() - start < 700) {
      scheduler.markDirty();
      await sleep(20);
    }
    assert.ok(writes[0] - start <= 160, `first write after ${writes[0] - start} ms`);
    assert.ok(writes.length >= 5, `${writes.length} writes in 700 ms of constant change`);
    const gaps = writes.slice(1).map((at, i) => at - writes[i]);
    assert.ok(Math.max(...gaps) <= 200, `gaps between writes: ${gaps.join(', ')} ms`);
    await scheduler.now();
  });

  it('writes immediately on demand, never twice at the same time, and retries after a failure', async () => {
    let active = 0;
    let overlapped = false;
    let fail = true;
    const scheduler = new ExportScheduler(async () => {
      active++;
      overlapped ||= active > 1;
      await sleep(30);
      active--;
      if (fail) {
        fail = false;
        throw new Error('disk full');
      }
    }, timing);
    scheduler.markDirty();
    await assert.rejects(scheduler.now(), /disk full/);
    assert.equal(scheduler.dirty, true, 'still dirty after a failed write');
    scheduler.markDirty();
    await Promise.all([scheduler.now(), scheduler.now()]);
    assert.equal(scheduler.dirty, false);
    assert.equal(overlapped, false);
  });
});
