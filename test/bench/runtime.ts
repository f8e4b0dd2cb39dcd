// Benchmark of the embedded runtime and its history (issue 4). Prints figures; asserts nothing.
//   node --expose-gc -r esbuild-register test/bench/runtime.ts
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as esbuild from 'esbuild';
import type { History } from '../../runtime/history/history';
import { LocalHistory } from '../../runtime/history/local';
import { RunRecorder } from '../../runtime/history/recorder';
import type { WriteBatch } from '../../runtime/history/store';
import { WorkerHistory } from '../../runtime/history/worker-client';
import { TaskRun } from '../../runtime/run';
import type { ExecutorFn, RunPlan } from '../../runtime/types';
import { planOf, type FixtureTask } from '../unit/runtime/fixtures';
import { mib, percentile, settledHeap } from './stats';

const N = 10000;
const noop: ExecutorFn = async () => null;

type Shape = 'wide' | 'deep chain' | 'layered diamonds';

function tree(shape: Shape, n: number, run: ExecutorFn): RunPlan {
  const tasks: FixtureTask[] = [];
  const width = 100;
  for (let i = 0; i < n; i++) {
    let deps: string[] = [];
    if (shape === 'deep chain' && i > 0) deps = [`t${i - 1}`];
    if (shape === 'layered diamonds' && i >= width) {
      const layer = Math.floor(i / width) - 1;
      const j = i % width;
      deps = [`t${layer * width + j}`, `t${layer * width + ((j + 1) % width)}`];
    }
    tasks.push({ id: `t${i}`, deps, run });
  }
  return planOf(tasks);
}

const median = (xs: number[]) => percentile(xs, 50);

async function timed(plan: RunPlan, history: History | null): Promise<{ runMs: number; writtenMs: number }> {
  const run = new TaskRun(plan);
  // A listener, as every host has one (the CLI's progress, the editor's views).
  let events = 0;
  run.on('task-status', () => events++);
  const recorder = history ? new RunRecorder(history, run) : null;
  const start = performance.now();
  await run.start();
  const runMs = performance.now() - start;
  await recorder?.written();
  const writtenMs = performance.now() - start;
  if (events !== 2 * run.tasks.length) throw new Error(`expected two transitions per task, saw ${events} events`);
  return { runMs, writtenMs };
}

/** Five measured runs after a warm-up run, on one history (as in a long-lived host); medians and bests. */
async function measured(plan: RunPlan, history: History | null): Promise<{ run: number[]; written: number[] }> {
  await timed(plan, history);
  const run: number[] = [];
  const written: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = await timed(plan, history);
    run.push(t.runMs);
    written.push(t.writtenMs);
  }
  await history?.close();
  return { run, written };
}

async function perTask(dir: string): Promise<void> {
  console.log(`\n-- ${N.toLocaleString('en')} no-op tasks in-process (async executor, a status listener), after a warm-up run; median of 5 (best) --`);
  // Keeping two runs: the file stays the size of a history holding this run and the previous one.
  const options = (name: string) => ({ path: join(dir, `${name}.sqlite`), mode: 'write' as const, maxRuns: 2 });
  for (const shape of ['wide', 'deep chain', 'layered diamonds'] as Shape[]) {
    const plan = tree(shape, N, noop);
    const bare = await measured(plan, null);
    const local = await measured(plan, await LocalHistory.open(options(`${shape}-local`)));
    const worker = await measured(plan, await WorkerHistory.open(options(`${shape}-worker`)));
    // On a shared machine the best of five is the runtime's own cost; the median includes the neighbours'.
    const us = (xs: number[]) => `${((median(xs) * 1000) / N).toFixed(2)} µs/task (${((Math.min(...xs) * 1000) / N).toFixed(2)})`;
    console.log(`${shape}:`);
    console.log(`   no history: ${us(bare.run)}`);
    console.log(`   every transition saved, database on the run's thread: ${us(local.run)} until every transition is in the database; ${us(local.written)} until the file is written`);
    console.log(`   every transition saved, database in the worker (the hosts' set-up): ${us(worker.run)} on the run's thread; ${us(worker.written)} until the file is written`);
  }
}

/** The rows of one real 1,000-task run, captured once and replayed under new run ids to fill a history fast. */
async function capturedRun(): Promise<WriteBatch[]> {
  const batches: WriteBatch[] = [];
  const capture = { apply: (b: WriteBatch) => batches.push(b), flush: async () => undefined } as unknown as History;
  const run = new TaskRun(tree('layered diamonds', 1000, async () => ({ value: 42, note: 'a result of realistic size' })));
  new RunRecorder(capture, run);
  await run.start();
  return batches;
}

function replayed(template: WriteBatch[], runId: string): WriteBatch {
  const swap = (rows: WriteBatch['runs']) => rows.map((r) => [runId, ...r.slice(1)]);
  return {
    runs: swap(template.flatMap((b) => b.runs).slice(-1)),
    tasks: swap(template.flatMap((b) => b.tasks)),
    events: swap(template.flatMap((b) => b.events)),
    // Not marked finished: filling must not write the file after every run.
    finished: [],
  };
}

/** A run of 1,000 tasks of 22 ms each: about 5 s at concurrency 4, long enough for a mid-run write. */
async function stallDuringRun(history: History): Promise<string> {
  const run = new TaskRun(tree('layered diamonds', 1000, () => new Promise((r) => setTimeout(() => r({ value: 42 }), 22))));
  const recorder = new RunRecorder(history, run);
  // Collect the benchmark's own garbage (the rows that filled the history) before measuring.
  settledHeap();
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  await run.start();
  await recorder.written();
  delay.disable();
  return `max ${(delay.max / 1e6).toFixed(1)} ms (p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms)`;
}

async function stalls(dir: string): Promise<void> {
  console.log('\n-- longest event-loop stall during a 1,000-task run (~5 s) with stored runs of 1,000 tasks --');
  const template = await capturedRun();
  const path = join(dir, 'stall.sqlite');
  const copies: [number, string][] = [];
  let stored = 0;
  // The configuration the hosts use: the history in a worker. This thread never loads sql.js here.
  for (const target of [10, 100, 200]) {
    const filler = await WorkerHistory.open({ path, mode: 'write' });
    for (; stored < target; stored++) filler.apply(replayed(template, `stored-${stored}`));
    await filler.close();
    const copy = join(dir, `stall-${target}.sqlite`);
    copyFileSync(path, copy);
    copies.push([target, copy]);
    const history = await WorkerHistory.open({ path, mode: 'write' });
    const stall = await stallDuringRun(history);
    const rss = process.memoryUsage().rss;
    await history.close();
    stored++;
    console.log(`${String(target).padStart(3)} stored runs (file ${mib(statSync(copy).size)}), history in a worker: ${stall}; process RSS with it open ${mib(rss)}`);
  }
  // For comparison, the same runs with the database on this thread: every file write stalls the loop.
  for (const [target, copy] of copies) {
    const history = await LocalHistory.open({ path: copy, mode: 'write' });
    console.log(`${String(target).padStart(3)} stored runs, history on this thread (not used by the hosts): ${await stallDuringRun(history)}`);
    await history.close();
  }
}

async function firstOpen(dir: string): Promise<void> {
  // A bundle like the shipped ones (CommonJS, sql-wasm.wasm beside it), run in fresh processes.
  const bundle = join(dir, 'open-history.js');
  await esbuild.build({ entryPoints: [resolve(__dirname, 'runtime-open.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: bundle, logLevel: 'error' });
  copyFileSync(require.resolve('sql.js/dist/sql-wasm.wasm'), join(dir, 'sql-wasm.wasm'));
  console.log('\n-- time to the first open database (new file, fresh process: sql.js loaded, compiled, schema created), median of 5 --');
  for (const mode of ['local', 'worker']) {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const path = join(dir, `open-${mode}-${i}.sqlite`);
      times.push(Number(execFileSync(process.execPath, [bundle, mode, path], { encoding: 'utf8' })));
    }
    console.log(`${mode === 'local' ? 'on the calling thread' : 'in a worker (incl. starting it)'}: ${median(times).toFixed(1)} ms (min ${Math.min(...times).toFixed(1)}, max ${Math.max(...times).toFixed(1)})`);
  }
}

async function memory(): Promise<void> {
  console.log(`\n-- memory of a ${N.toLocaleString('en')}-task run without history --`);
  const plan = tree('layered diamonds', N, noop);
  const baseHeap = settledHeap();
  const baseRss = process.memoryUsage().rss;
  const run = new TaskRun(plan);
  const result = await run.start();
  const atEnd = process.memoryUsage();
  const retained = settledHeap();
  console.log(
    `heap above baseline at the end of the run: ${mib(atEnd.heapUsed - baseHeap)} (${mib(retained - baseHeap)} retained by the ${result.tasks.length.toLocaleString('en')} records after GC); RSS +${mib(atEnd.rss - baseRss)}`,
  );
}

export async function runtimeBench(): Promise<void> {
  console.log('\n== embedded runtime and history (issue 4) ==');
  const dir = mkdtempSync(join(tmpdir(), 'apflow-bench-runtime-'));
  try {
    await memory();
    await stalls(dir);
    await perTask(dir);
    await firstOpen(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void runtimeBench();
