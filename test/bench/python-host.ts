// Benchmark of the Python executor host (issue 12). Prints figures; asserts nothing.
//   node -r esbuild-register test/bench/python-host.ts      (needs python3 on PATH)
// Targets: host start → first task ≤ 300 ms; overhead per Python task ≤ 1 ms (1,000 no-op Python
// tasks end to end ≤ 2 s).
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { prepareRun } from '../../runtime/preflight';
import { TaskRun } from '../../runtime/run';
import type { RunPlan } from '../../runtime/types';
import { percentile } from './stats';

const FIXTURE = resolve(__dirname, '../fixtures/python-run');

function treeText(n: number, executor: string): string {
  const lines = ['executors:', '  py: { python: executors/basic.py:noop }', 'tasks:'];
  for (let i = 0; i < n; i++) lines.push(`  - id: t${i}`, `    name: t${i}`, `    schemas: { method: ${i === 0 ? 'aggregate_results_executor' : executor} }`, ...(i > 0 ? ['    parent_id: t0', `    inputs: { i: ${i} }`] : []));
  return `${lines.join('\n')}\n`;
}

async function plan(text: string): Promise<RunPlan> {
  const preflight = await prepareRun({ text, file: join(FIXTURE, 'bench.apflow.yaml'), env: process.env, allowPrivateUrls: false });
  if (!preflight.ok) throw new Error(preflight.diagnostics.map((d) => d.message).join('; '));
  return preflight.plan;
}

async function runMs(p: RunPlan, concurrency?: number): Promise<number> {
  const run = new TaskRun(p, { concurrency });
  const start = performance.now();
  const result = await run.start();
  if (result.run.status !== 'completed') throw new Error(result.run.error ?? 'failed');
  return performance.now() - start;
}

export async function pythonHostBench(): Promise<void> {
  const bare: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    execFileSync('python3', ['-c', 'pass']);
    bare.push(performance.now() - start);
  }
  console.log(`python3 -c pass (the interpreter alone): p50 ${percentile(bare, 50).toFixed(0)} ms`);

  // Host start → first task: a tree of one Python task, each run with a new host.
  const first: number[] = [];
  for (let i = 0; i < 5; i++) {
    const p = await plan('executors:\n  py: { python: executors/basic.py:noop }\ntasks:\n  - id: only\n    name: only\n    schemas: { method: py }\n');
    first.push(await runMs(p));
  }
  console.log(`host start → first Python task completed: p50 ${percentile(first, 50).toFixed(0)} ms, best ${Math.min(...first).toFixed(0)} ms (target ≤ 300 ms)`);

  for (const concurrency of [4, 32]) {
    const py: number[] = [];
    for (let i = 0; i < 3; i++) py.push(await runMs(await plan(treeText(1001, 'py')), concurrency));
    console.log(`1,000 no-op Python tasks end to end (concurrency ${concurrency}, host start included): p50 ${percentile(py, 50).toFixed(0)} ms (target ≤ 2,000 ms)`);
    // Per task: a warm host, minus the same tree of no-op aggregate tasks that never leave the runtime.
    const warm: number[] = [];
    const base: number[] = [];
    for (let i = 0; i < 3; i++) {
      const p = await plan(treeText(1001, 'py'));
      const run = new TaskRun(p, { concurrency });
      // The host is warm once the first task has completed: the rest is what is timed.
      let firstDone = 0;
      run.on('task-status', (e) => {
        if (firstDone === 0 && e.to === 'completed') firstDone = performance.now();
      });
      await run.start();
      warm.push(performance.now() - firstDone);
      const b = await plan(treeText(1001, 'aggregate_results_executor').replace('  py: { python: executors/basic.py:noop }\n', ''));
      base.push(await runMs(b, concurrency));
    }
    const perTask = (percentile(warm, 50) - percentile(base, 50)) / 1000;
    console.log(`  overhead per Python task, warm host (concurrency ${concurrency}): ${perTask.toFixed(3)} ms (target ≤ 1 ms)`);
  }
}

if (require.main === module) {
  pythonHostBench().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
