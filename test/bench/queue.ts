// `npm run bench -- queue` (issue 15): a run over BullMQ workers on a real redis-server, with four real
// `apflow-yaml worker` processes (dist/cli.js) and the coordinator in this process. Prints figures;
// asserts nothing. Targets: 10,000 no-op tasks ≥ 1,000 tasks/s from the first start to the last finish;
// 1,000 tasks of 100 ms over 4 workers × concurrency 50 ≤ 1.5 s; the coordinator's event loop never
// stalls over 50 ms. QUEUE_BENCH_TASKS=N changes the 10,000; QUEUE_BENCH_DEBUG=1 adds tasks per worker, start
// deciles and when each stall over 25 ms came. Other processes on the machine lengthen the wall-clock
// stalls, so each figure also says how much of its longest stall this process spent on a CPU, and the
// load average is printed with every scenario. Each scenario runs twice: with the workers and
// redis-server at the coordinator's priority, and at nice 10. The workers run on machines of
// their own; here they share 2 cores with the coordinator, and the system handing its CPU to them is
// not a stall of the coordinator's making (the second figure is the coordinator's own).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { availableParallelism, loadavg, setPriority, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { prepareRun } from '../../runtime/preflight';
import { QUEUE_IN_FLIGHT, QueueDispatch } from '../../runtime/queue';
import { TaskRun } from '../../runtime/run';
import { selectTask } from '../../runtime/select';
import { startRedis } from '../fixtures/redis-server';
import { startCli, type CliRun } from '../cli/cli-helpers';

const root = resolve(__dirname, '../..');
const WORKERS = 4;

function treeText(n: number, task: (i: number) => string): string {
  const lines = ['version: 1', 'tasks:', '  - { id: root, name: Root, schemas: { method: aggregate_results_executor } }'];
  for (let i = 0; i < n; i++) lines.push(`  - { id: t${i}, name: T${i}, parent_id: root, ${task(i)} }`);
  return `${lines.join('\n')}\n`;
}

/**
 * The coordinator's stalls, sampled by a timer every 5 ms (as monitorEventLoopDelay, which gives the
 * percentile): the longest gap between two ticks, the process's CPU time within it (a gap mostly off the
 * CPU is the machine's load, not the coordinator's work), and the most CPU time within any one gap.
 */
function stallProbe(debug: boolean) {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const start = Date.now();
  let wall = performance.now();
  let cpu = process.cpuUsage();
  const worst = { wall: 0, cpuOfWall: 0, cpu: 0 };
  const late: string[] = [];
  const timer = setInterval(() => {
    const now = performance.now();
    const used = process.cpuUsage(cpu);
    const gap = now - wall;
    const onCpu = (used.user + used.system) / 1000;
    if (gap > worst.wall) Object.assign(worst, { wall: gap, cpuOfWall: onCpu });
    worst.cpu = Math.max(worst.cpu, onCpu);
    if (debug && gap > 25) late.push(`${gap.toFixed(0)}@${Date.now() - start} (CPU ${onCpu.toFixed(0)})`);
    wall = now;
    cpu = process.cpuUsage();
  }, 5);
  return {
    stop(): string {
      clearInterval(timer);
      delay.disable();
      if (debug) console.log(`  stalls over 25 ms (ms@ms since the start, CPU ms in it): ${late.join(' ') || 'none'}`);
      return (
        `coordinator event loop max stall ${(delay.max / 1e6).toFixed(1)} ms (p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms; ` +
        `the longest gap ${worst.wall.toFixed(1)} ms, ${worst.cpuOfWall.toFixed(1)} ms of it on CPU; most CPU in one gap ${worst.cpu.toFixed(1)} ms)`
      );
    },
  };
}

/** A loopback HTTP server that answers every request after `ms`: the 100 ms task, without a process or thread per task. */
function slowServer(ms: number): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => setTimeout(() => res.end('{"ok":true}'), ms));
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` })));
}

/** How the workers and redis-server share the machine with the coordinator in one scenario. */
interface Sharing {
  label: string;
  /** Their niceness (0: the coordinator's own priority). */
  nice: number;
  redisPid: number | undefined;
}

async function scenario(label: string, redis: string, dir: string, text: string, concurrency: number, sharing: Sharing): Promise<void> {
  const file = join(dir, `${label.replace(/\W+/g, '-')}.apflow.yaml`);
  writeFileSync(file, text);
  const queue = `bench-${Date.now()}`;
  const env = { APFLOW_REST_ALLOW_PRIVATE_URLS: '1' };
  const workers: CliRun[] = Array.from({ length: WORKERS }, () => startCli(['worker', '--redis', redis, '--queue', queue, '--concurrency', String(concurrency)], dir, env));
  await Promise.all(workers.map((w) => w.stderrIncludes('takes tasks from')));
  for (const pid of [...workers.map((w) => w.pid), sharing.redisPid]) if (pid !== undefined) setPriority(pid, sharing.nice);
  const preflight = await prepareRun({ text, file, env: { ...process.env, ...env }, allowPrivateUrls: true });
  if (!preflight.ok) throw new Error(preflight.diagnostics.map((d) => d.message).join('\n'));
  const dispatch = await QueueDispatch.open({ redis, queue, workspaceDir: dir });
  // Each worker prepares the file on its first job (the analysis of its own checkout's copy): warmed up
  // first with a few one-task runs, as long-lived workers are.
  await Promise.all(Array.from({ length: WORKERS * 2 }, (_, i) => new TaskRun(dispatch.plan(selectTask(preflight.plan, i + 1))).start()));
  if (process.env.QUEUE_BENCH_DEBUG) console.log(`  (${label}: workers warmed up)`);
  const run = new TaskRun(dispatch.plan(preflight.plan), { concurrency: QUEUE_IN_FLIGHT });
  dispatch.attach(run.tasks);
  const debug = Boolean(process.env.QUEUE_BENCH_DEBUG);
  const load = loadavg()[0];
  const probe = stallProbe(debug);
  const wall = Date.now();
  const { tasks } = await run.start();
  const wallMs = Date.now() - wall;
  const stalls = probe.stop();
  await dispatch.close();
  for (const w of workers) w.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.done));
  // From the first dispatch (the coordinator's start of a task) to the last result back: queueing included.
  const starts = tasks.map((t) => t.started_at ?? Infinity);
  const firstStart = Math.min(...starts);
  const lastFinish = Math.max(...tasks.map((t) => t.completed_at ?? 0));
  const span = lastFinish - firstStart;
  if (debug) {
    const byWorker = new Map<string, number>();
    for (const t of tasks) for (const a of t.attempts ?? []) if (a.worker) byWorker.set(a.worker, (byWorker.get(a.worker) ?? 0) + 1);
    const sorted = [...starts].sort((a, b) => a - b);
    console.log('per worker', [...byWorker.values()], 'start deciles', [0.1, 0.5, 0.9, 1].map((q) => sorted[Math.floor(q * (sorted.length - 1))] - firstStart));
  }
  const done = tasks.filter((t) => t.status === 'completed').length;
  console.log(
    `  ${label}, ${sharing.label} (load ${load.toFixed(1)} on ${availableParallelism()} cores): ${done}/${tasks.length} completed; ` +
      `first start → last finish ${span} ms (${Math.round((tasks.length / span) * 1000)} tasks/s); run ${wallMs} ms; ${stalls}`,
  );
}

export async function queueBench(): Promise<void> {
  execFileSync(process.execPath, [join(root, 'esbuild.mjs'), '--if-stale'], { stdio: 'inherit' });
  const redis = await startRedis();
  const dir = mkdtempSync(join(tmpdir(), 'apflow-bench-queue-'));
  const slow = await slowServer(100);
  console.log(`queue (BullMQ on redis-server, ${WORKERS} worker processes)`);
  try {
    const noOps = treeText(Number(process.env.QUEUE_BENCH_TASKS ?? 10_000), () => 'schemas: { method: aggregate_results_executor }');
    const sleepers = treeText(1_000, () => `schemas: { method: rest_executor }, inputs: { url: "${slow.url}", method: GET }`);
    for (const sharing of [
      { label: 'workers at the same priority', nice: 0, redisPid: redis.pid },
      { label: 'workers and Redis at nice 10', nice: 10, redisPid: redis.pid },
    ]) {
      await scenario('10,000 no-op tasks, concurrency 50', redis.url, dir, noOps, 50, sharing);
      await scenario('1,000 tasks of 100 ms, concurrency 50', redis.url, dir, sleepers, 50, sharing);
    }
  } finally {
    slow.server.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

