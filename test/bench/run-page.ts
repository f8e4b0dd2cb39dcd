// Benchmark of the run page's data (issue 13) on a 5,000-task run with retried attempts: what the
// extension host builds and sends when the page opens, and what the page computes on each update.
// Prints figures; asserts nothing.   node --expose-gc -r esbuild-register test/bench/run-page.ts
import { criticalPath } from '../../analysis/features/critical-path';
import { DEFAULT_QUERY, pageTask, pageTasks, ranFor, splitInputs, tableRows, timeline } from '../../client/run-page/model';
import { TaskRun } from '../../runtime/run';
import type { FixtureTask } from '../unit/runtime/fixtures';
import { planOf } from '../unit/runtime/fixtures';
import { percentile, time } from './stats';

const N = 5000;

/** Layers of 50 tasks, each depending on two of the layer before; every 10th task fails once and is retried. */
function tasks(): FixtureTask[] {
  const list: FixtureTask[] = [];
  const failed = new Set<string>();
  for (let i = 0; i < N; i++) {
    const layer = Math.floor(i / 50);
    const deps = layer === 0 ? [] : [`t${(layer - 1) * 50 + (i % 50)}`, `t${(layer - 1) * 50 + ((i + 1) % 50)}`];
    const id = `t${i}`;
    list.push({
      id,
      deps,
      maxAttempts: 2,
      backoff: ['fixed', 0],
      run: async () => {
        if (i % 10 === 0 && !failed.has(id)) {
          failed.add(id);
          throw new Error(`transient failure of ${id}`);
        }
        return { [`out${i % 7}`]: i };
      },
    });
  }
  return list;
}

export async function runPageBench(): Promise<void> {
  console.log('\n== run page data (issue 13) ==');
  const { run, tasks: records } = await new TaskRun(planOf(tasks()), { concurrency: 16 }).start();
  const attempts = records.reduce((n, t) => n + (t.attempts?.length ?? 0), 0);
  console.log(`run: ${N} tasks, ${attempts} attempts`);
  const samples = (fn: () => unknown, n = 15) => Array.from({ length: n }, () => time(fn)[1]);
  const p50 = (xs: number[]) => `${percentile(xs, 50).toFixed(1)} ms`;
  const rows = pageTasks(records);
  const open = samples(() => JSON.stringify(pageTasks(records)));
  console.log(`host, page opens: rows for every task + JSON ${p50(open)}; message ${(JSON.stringify(rows).length / 1024 / 1024).toFixed(2)} MiB`);
  const indexOf = new Map(records.map((t, i) => [t.id, i]));
  const batch = samples(() => JSON.stringify(records.slice(0, 500).map((t, i) => pageTask(t, i, indexOf))));
  console.log(`host, one live update of 500 changed tasks: ${p50(batch)}`);
  const now = Date.now();
  const update = samples(() => {
    timeline(rows, now);
    criticalPath(rows.map((t) => ({ dependencies: t.dependencies, durationMs: ranFor(t, now) })));
    tableRows(rows, DEFAULT_QUERY, now);
  });
  console.log(`page, per update (timeline rows, critical path, table order): ${p50(update)}`);
  const sorted = samples(() => tableRows(rows, { ...DEFAULT_QUERY, text: 'transient', sort: 'duration', descending: true }, now));
  console.log(`page, filter by text + sort by duration: ${p50(sorted)}`);
  const split = samples(() => splitInputs(records[N - 1], run), 50);
  console.log(`host, a selected task's split inputs: ${p50(split)}`);
}

if (require.main === module) void runPageBench();
