// Runs over BullMQ workers (issue 15, docs/workers.md): a real redis-server on a loopback port, real
// `apflow-yaml worker` processes from dist/, a real coordinator (`apflow-yaml run --redis`), real kills.
import { strict as assert } from 'node:assert';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { splitInputs } from '../../client/run-page/model';
import { LocalHistory } from '../../runtime/history/local';
import { startRedis, type RedisServer } from '../fixtures/redis-server';
import { buildIfStale, cli, startCli, type CliRun } from './cli-helpers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Short BullMQ locks and heartbeats, so that a dead worker or coordinator is noticed within a second or two. */
const FAST = { APFLOW_QUEUE_LOCK_MS: '1000', APFLOW_QUEUE_ALIVE_MS: '1500' };

const EXECUTORS = `
import { existsSync, writeFileSync } from 'node:fs';
export async function slow(inputs, context) {
  // The first worker to take the task says who it is and hangs; the one that takes over completes.
  const marker = inputs.marker;
  if (marker && !existsSync(marker)) {
    writeFileSync(marker, String(process.pid));
    await new Promise((r) => setTimeout(r, 60000));
  }
  context.log('slow ran in ' + process.pid);
  return { pid: process.pid };
}
export function flaky(inputs) {
  // Fails its first call (a throw: retried by the coordinator's runtime), then succeeds.
  if (!existsSync(inputs.marker)) {
    writeFileSync(inputs.marker, '');
    throw new Error('flaky: first call fails');
  }
  return { ok: true };
}
export function deadly() {
  process.kill(process.pid, 'SIGKILL');
}
export async function nap(inputs) {
  const at = Date.now();
  await new Promise((r) => setTimeout(r, inputs.ms ?? 0));
  return { napped: inputs.ms ?? 0, pid: process.pid, at };
}
`;

interface Workspace {
  dir: string;
  write(name: string, text: string): string;
}

function workspace(): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'apflow-queue-'));
  mkdirSync(join(dir, 'executors'));
  writeFileSync(join(dir, 'executors', 'jobs.mjs'), EXECUTORS);
  return {
    dir,
    write: (name, text) => {
      writeFileSync(join(dir, name), text);
      return name;
    },
  };
}

const HEADER = `version: 1
executors:
  slow: { module: ./executors/jobs.mjs, export: slow }
  nap: { module: ./executors/jobs.mjs, export: nap }
  deadly: { module: ./executors/jobs.mjs, export: deadly }
  flaky: { module: ./executors/jobs.mjs, export: flaky }
tasks:
`;

/** A root and `n` children that each nap `ms`, all ready at once. */
function many(n: number, ms: number): string {
  const children = Array.from({ length: n }, (_, i) => `  - { id: t${i}, name: T${i}, parent_id: root, schemas: { method: nap }, inputs: { ms: ${ms} } }`);
  return `${HEADER}  - { id: root, name: Root, schemas: { method: nap }, inputs: { ms: 0 } }\n${children.join('\n')}\n`;
}

describe('CLI: runs over BullMQ workers on Redis (issue 15)', function () {
  this.timeout(60000);
  let redis: RedisServer;
  let ws: Workspace;
  let workers: CliRun[] = [];
  let queueNo = 0;
  let queue = '';

  before(async () => {
    buildIfStale();
    redis = await startRedis();
  });
  after(async () => redis?.stop());
  beforeEach(() => {
    ws = workspace();
    queue = `q${++queueNo}`;
  });
  afterEach(async () => {
    for (const w of workers) w.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.done));
    workers = [];
    rmSync(ws.dir, { recursive: true, force: true });
  });

  async function startWorkers(n: number, options: { cwd?: string; concurrency?: number; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun[]> {
    const started = Array.from({ length: n }, () =>
      startCli(['worker', '--redis', redis.url, '--queue', queue, '--concurrency', String(options.concurrency ?? 4)], options.cwd ?? ws.dir, { ...FAST, ...options.env }),
    );
    workers.push(...started);
    await Promise.all(started.map((w) => w.stderrIncludes('takes tasks from')));
    return started;
  }

  const run = (file: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}) => startCli(['run', file, '--redis', redis.url, '--queue', queue, '--json', ...extra], ws.dir, { ...FAST, ...env });
  const tasksOf = (stdout: string) => new Map((JSON.parse(stdout).tasks as { id: string }[]).map((t) => [t.id, t as Record<string, any>]));

  it('runs every task on the workers and brings results, logs and worker names back', async () => {
    await startWorkers(3);
    const file = ws.write(
      't.apflow.yaml',
      `${HEADER}  - { id: root, name: Root, schemas: { method: aggregate_results_executor }, dependencies: [a, b, c] }
  - { id: a, name: A, parent_id: root, schemas: { method: nap }, inputs: { ms: 300 } }
  - { id: b, name: B, parent_id: root, schemas: { method: nap }, inputs: { ms: 300 } }
  - { id: c, name: C, parent_id: root, schemas: { method: slow } }
`,
    );
    const r = await run(file).done;
    assert.equal(r.code, 0, r.stderr);
    const tasks = tasksOf(r.stdout);
    assert.deepEqual([...tasks.values()].map((t) => t.status), ['completed', 'completed', 'completed', 'completed']);
    assert.equal(tasks.get('a')?.result.napped, 300);
    assert.deepEqual(Object.keys(tasks.get('root')?.result.results).sort(), ['a', 'b', 'c'], 'dependency results merged on the coordinator');
    assert.match(r.stderr, /c \| slow ran in \d+/, 'the worker’s log line reached the coordinator');
    const names = [...tasks.values()].map((t) => t.attempts?.[0]?.worker as string);
    for (const name of names) assert.match(name, /^.+:\d+$/);
    assert.notEqual(tasks.get('a')?.result.pid, process.pid, 'the executor ran in a worker process, not here');
    // The coordinator merged the workers' results: the run page shows each dependency's part apart.
    const history = await LocalHistory.open({ path: join(ws.dir, '.apflow', 'history.sqlite'), mode: 'read' });
    const [root] = await history.tasksOf(JSON.parse(r.stdout).run.id);
    await history.close();
    const inputs = splitInputs(root, {});
    assert.deepEqual([inputs.own, inputs.unsplit], [{}, null]);
    assert.deepEqual(inputs.upstream.map((u) => [u.task, Object.keys(u.values)]), [['a', ['a']], ['b', ['b']], ['c', ['c']]]);
    assert.equal((inputs.upstream[0].values.a as { napped: number }).napped, 300);
  });

  it('starts queued tasks in apflow priority order (0 first)', async () => {
    const file = ws.write(
      't.apflow.yaml',
      `${HEADER}  - { id: root, name: Root, schemas: { method: nap }, inputs: { ms: 0 }, dependencies: [low, urgent, normal, high] }
  - { id: low, name: Low, parent_id: root, priority: 3, schemas: { method: nap }, inputs: { ms: 50 } }
  - { id: urgent, name: Urgent, parent_id: root, priority: 0, schemas: { method: nap }, inputs: { ms: 50 } }
  - { id: normal, name: Normal, parent_id: root, priority: 2, schemas: { method: nap }, inputs: { ms: 50 } }
  - { id: high, name: High, parent_id: root, priority: 1, schemas: { method: nap }, inputs: { ms: 50 } }
`,
    );
    // The four are queued before any worker exists; one worker taking one at a time shows the order.
    const coordinator = run(file);
    await coordinator.stderrIncludes('no worker is connected');
    await startWorkers(1, { concurrency: 1 });
    const r = await coordinator.done;
    assert.equal(r.code, 0, r.stderr);
    const tasks = tasksOf(r.stdout);
    // When each executor began, on the worker.
    const order = ['low', 'urgent', 'normal', 'high'].sort((x, y) => tasks.get(x)?.result.at - tasks.get(y)?.result.at);
    assert.deepEqual(order, ['urgent', 'high', 'normal', 'low']);
  });

  it('runs a task again on another worker when its worker is killed with -9 mid-task', async () => {
    const started = await startWorkers(3, { concurrency: 2 });
    const marker = join(ws.dir, 'first-worker.pid');
    const file = ws.write('t.apflow.yaml', `${HEADER}  - { id: victim, name: Victim, schemas: { method: slow }, inputs: { marker: ${JSON.stringify(marker)} } }\n`);
    const coordinator = run(file);
    for (let i = 0; i < 200 && !existsSync(marker); i++) await sleep(25);
    await sleep(50);
    const pid = Number(readFileSync(marker, 'utf8'));
    process.kill(pid, 'SIGKILL');
    const r = await coordinator.done;
    assert.equal(r.code, 0, r.stderr);
    const victim = tasksOf(r.stdout).get('victim');
    assert.equal(victim?.status, 'completed');
    assert.equal(victim?.attempt_count, 1, 'a dead worker does not use up one of the task’s attempts');
    const [lost, rerun] = victim?.attempts ?? [];
    assert.equal(victim?.attempts.length, 2, JSON.stringify(victim?.attempts));
    assert.equal(lost.worker.split(':').pop(), String(pid), 'the first call is the killed worker’s');
    assert.equal(lost.status, 'failed');
    assert.match(lost.error, /^worker .+ stopped responding; the task ran again on worker /);
    assert.equal(rerun.status, 'completed');
    assert.notEqual(rerun.worker, lost.worker);
    const shown = JSON.parse((await cli(['show', JSON.parse(r.stdout).run.id, '--json'], ws.dir)).stdout);
    assert.deepEqual(
      shown.tasks[0].attempts.map((a: { worker: string }) => a.worker),
      [lost.worker, rerun.worker],
      'the history keeps each call with its worker',
    );
    assert.notEqual(victim?.result.pid, pid);
    assert.match(r.stderr, /stopped responding; the task runs again on worker/);
    assert.ok(started.length === 3);
  });

  it('retries a task that throws as the runtime does locally: a new job per attempt, after the backoff', async () => {
    await startWorkers(2);
    const marker = join(ws.dir, 'flaky.marker');
    const file = ws.write(
      't.apflow.yaml',
      `${HEADER}  - { id: f, name: F, schemas: { method: flaky }, inputs: { marker: ${JSON.stringify(marker)} }, max_attempts: 3, backoff_strategy: fixed, backoff_base_seconds: 0.1 }\n`,
    );
    const r = await run(file).done;
    assert.equal(r.code, 0, r.stderr);
    const f = tasksOf(r.stdout).get('f');
    assert.equal(f?.attempt_count, 2);
    assert.deepEqual(f?.attempts.map((a: { status: string }) => a.status), ['failed', 'completed']);
    assert.equal(f?.attempts[0].error, 'flaky: first call fails');
    assert.match(r.stderr, /f \| Error: flaky: first call fails/, 'the worker’s stack of the throw reached the log');
  });

  it('fails a task that keeps killing its workers once BullMQ gives up on it (three calls), instead of waiting for ever', async () => {
    await startWorkers(4, { concurrency: 1 });
    const file = ws.write('t.apflow.yaml', `${HEADER}  - { id: bomb, name: Bomb, schemas: { method: deadly } }\n`);
    const r = await run(file).done;
    assert.equal(r.code, 1, r.stderr);
    const bomb = tasksOf(r.stdout).get('bomb');
    assert.equal(bomb?.status, 'failed');
    assert.match(bomb?.error, /^the queue gave up on the task: job stalled more than allowable limit/);
    assert.equal(new Set(bomb?.attempts.map((a: { worker: string }) => a.worker)).size, 3, 'three workers took it and died');
  });

  it('refuses a job whose task or executor differs in the worker’s checkout, naming what to do', async () => {
    const file = ws.write(
      't.apflow.yaml',
      `${HEADER}  - { id: a, name: A, schemas: { method: nap }, inputs: { ms: 1 } }
  - { id: b, name: B, parent_id: a, schemas: { method: slow } }
`,
    );
    // The worker's checkout: task a's inputs differ, and the executors' module was edited.
    const other = mkdtempSync(join(tmpdir(), 'apflow-queue-other-'));
    try {
      cpSync(ws.dir, other, { recursive: true });
      writeFileSync(join(other, file), readFileSync(join(ws.dir, file), 'utf8').replace('ms: 1', 'ms: 2'));
      writeFileSync(join(other, 'executors', 'jobs.mjs'), `${EXECUTORS}\n// edited\n`);
      await startWorkers(1, { cwd: other });
      const r = await run(file).done;
      assert.equal(r.code, 1);
      const tasks = tasksOf(r.stdout);
      assert.equal(tasks.get('a')?.status, 'failed');
      assert.match(tasks.get('a')?.error, /^worker .+:\d+ refused the task: task 'a' is defined differently in this worker's t\.apflow\.yaml: update the worker's checkout/);
      assert.match(tasks.get('b')?.error, /refused the task: executor 'slow' of task 'b' differs in this worker's checkout/);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('a coordinator stopped by SIGTERM cancels its run and leaves no job of it in the queue', async () => {
    const file = ws.write('t.apflow.yaml', many(20, 5000));
    await startWorkers(1, { concurrency: 2 });
    const coordinator = run(file);
    await coordinator.stderrIncludes('t0 in_progress');
    await sleep(300);
    coordinator.kill('SIGTERM');
    const r = await coordinator.done;
    assert.equal(r.code, 143, r.stderr);
    assert.equal(JSON.parse(r.stdout).run.status, 'cancelled');
    assert.equal(await queuedJobs(), 0);
  });

  it('a coordinator killed with -9: workers drop its queued jobs once its heartbeat expires, and the next start marks the run interrupted', async () => {
    const file = ws.write('t.apflow.yaml', many(10, 10));
    const coordinator = startCli(['run', file, '--redis', redis.url, '--queue', queue], ws.dir, FAST);
    await coordinator.stderrIncludes('no worker is connected');
    // Killed once its history shows the run under way, as another process would see it.
    let recorded: { status: string; error: string | null } | undefined;
    for (let i = 0; i < 100 && recorded?.status !== 'running'; i++) {
      await sleep(100);
      recorded = JSON.parse((await cli(['history', '--json'], ws.dir)).stdout).runs[0];
    }
    assert.equal(recorded?.status, 'running');
    assert.equal(await queuedJobs(), 11, 'the ready tasks are queued');
    coordinator.kill('SIGKILL');
    await coordinator.done;
    await sleep(2000); // Past APFLOW_QUEUE_ALIVE_MS: the heartbeat is gone.
    const [worker] = await startWorkers(1);
    await worker.stderrIncludes('stopped (its heartbeat expired): its queued tasks are dropped');
    for (let i = 0; i < 40 && (await queuedJobs()) > 0; i++) await sleep(50);
    assert.equal(await queuedJobs(), 0);
    const [last] = JSON.parse((await cli(['history', '--json'], ws.dir)).stdout).runs;
    assert.equal(last.status, 'failed');
    assert.match(last.error, /^interrupted/);
  });

  it('a Redis URL with a password works from APFLOW_REDIS_PASSWORD and never shows the password', async () => {
    const guarded = await startRedis(['--requirepass', 's3cret-pw']);
    try {
      const file = ws.write('t.apflow.yaml', `${HEADER}  - { id: a, name: A, schemas: { method: nap }, inputs: { ms: 1 } }\n`);
      const wrong = await cli(['run', file, '--redis', `redis://:wrong-pw@127.0.0.1:${guarded.port}`], ws.dir);
      assert.equal(wrong.code, 2);
      assert.match(wrong.stderr, /cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/?: WRONGPASS/);
      assert.doesNotMatch(wrong.stderr, /wrong-pw/);
      const env = { ...FAST, APFLOW_REDIS_PASSWORD: 's3cret-pw' };
      const worker = startCli(['worker', '--redis', guarded.url, '--queue', queue], ws.dir, env);
      workers.push(worker);
      await worker.stderrIncludes('takes tasks from');
      const r = await cli(['run', file, '--redis', guarded.url, '--queue', queue], ws.dir, env);
      assert.equal(r.code, 0, r.stderr);
      const history = readFileSync(join(ws.dir, '.apflow', 'history.sqlite'));
      assert.ok(!history.includes('s3cret-pw'), 'the password is not in the history');
      assert.doesNotMatch(r.stderr + r.stdout, /s3cret-pw/);
    } finally {
      await guarded.stop();
    }
  });

  /** A redis-server of the test's own (it is killed), with one worker of concurrency 2 on it. */
  async function ownRedis(env: NodeJS.ProcessEnv): Promise<{ server: RedisServer; worker: CliRun; output: () => string }> {
    const server = await startRedis();
    const worker = startCli(['worker', '--redis', server.url, '--queue', queue, '--concurrency', '2'], ws.dir, env);
    workers.push(worker);
    let output = '';
    void worker.done.then((r) => (output = r.stderr));
    await worker.stderrIncludes('takes tasks from');
    return { server, worker, output: () => output };
  }

  it('rides out Redis killed and started again, empty, mid-run: the queued tasks it lost are queued again and the run completes', async () => {
    const env = { ...FAST, APFLOW_QUEUE_ALIVE_MS: '6000' }; // the run waits up to 4 s for Redis
    const { server, worker } = await ownRedis(env);
    let again: RedisServer | null = null;
    try {
      const coordinator = startCli(['run', ws.write('t.apflow.yaml', many(4, 1500)), '--redis', server.url, '--queue', queue, '--json'], ws.dir, env);
      await coordinator.stderrIncludes('t0 in_progress');
      await sleep(500); // two tasks on the worker, three queued in Redis
      await server.kill();
      await sleep(300);
      again = await startRedis([], server.port);
      const r = await coordinator.done;
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual([...tasksOf(r.stdout).values()].map((t) => t.status), Array(5).fill('completed'));
      assert.match(r.stderr, /lost the connection to Redis at redis:\/\/127\.0\.0\.1:\d+\/? \(.+\): the run waits up to 4\.0 s for it to come back/);
      assert.match(r.stderr, /Redis at redis:\/\/127\.0\.0\.1:\d+\/? is back after \d+\.\d s: the run goes on/);
      assert.match(r.stderr, /Redis lost [1-5] queued task\(s\) of this run \(it restarted without its data\): they are queued again/);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      await worker.stderrIncludes('the worker takes tasks again');
    } finally {
      await again?.stop();
    }
  });

  it('gives up on Redis gone for good mid-run: the run ends interrupted, naming Redis and what to do; the worker keeps trying until stopped', async () => {
    const { server, worker, output } = await ownRedis(FAST); // the run waits up to 1 s for Redis
    const coordinator = startCli(['run', ws.write('t.apflow.yaml', many(3, 5000)), '--redis', server.url, '--queue', queue, '--json'], ws.dir, FAST);
    await coordinator.stderrIncludes('t0 in_progress');
    await sleep(300);
    const killedAt = Date.now();
    await server.kill();
    const r = await coordinator.done;
    assert.equal(r.code, 1, r.stderr);
    assert.ok(Date.now() - killedAt < 8000, `the run ended ${Date.now() - killedAt} ms after Redis died`);
    assert.equal(JSON.parse(r.stdout).run.status, 'failed');
    // The root naps 0 ms and may have completed before Redis died; the others were queued or running.
    const tasks = [...tasksOf(r.stdout).values()].filter((t) => t.id !== 'root');
    assert.deepEqual(tasks.map((t) => t.status), ['failed', 'failed', 'failed']);
    for (const t of tasks) assert.match(t.error, /^interrupted: Redis at redis:\/\/127\.0\.0\.1:\d+\/? has been unreachable for over 1\.0 s \(.+\); start it again and run the tree again$/);
    assert.match(r.stderr, /lost the connection to Redis at redis:\/\/127\.0\.0\.1:\d+/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    await worker.stderrIncludes('the worker keeps trying to reconnect (Ctrl+C stops it)');
    await sleep(1500);
    assert.equal(output(), '', 'the worker is still running');
    worker.kill('SIGTERM');
    const w = await worker.done;
    assert.equal(w.code, 0, w.stderr);
    assert.match(w.stderr, /stopped \(SIGTERM\)\n$/);
    assert.doesNotMatch(w.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(w.stderr.match(/lost the connection/g)?.length, 1, 'the outage is said once');
  });

  it('a worker removes the jobs BullMQ failed for runs whose coordinator is gone, and leaves those of live runs', async () => {
    const connection = { host: '127.0.0.1', port: redis.port };
    const jobs = new Queue(queue, { connection });
    const client = new IORedis(redis.url);
    try {
      await jobs.add('nap', {}, { jobId: 'deadrun.0.1' });
      await jobs.add('nap', {}, { jobId: 'liverun.0.1' });
      await client.set(`apflow:${queue}:run:liverun:alive`, '1', 'PX', 60_000);
      // Stands in for BullMQ's stalled check giving up on jobs whose workers kept dying.
      const failing = new Worker(queue, async () => Promise.reject(new Error('job stalled more than allowable limit')), { connection });
      for (let i = 0; i < 100 && (await jobs.getFailedCount()) < 2; i++) await sleep(50);
      await failing.close();
      assert.equal(await jobs.getFailedCount(), 2);
      await startWorkers(1);
      for (let i = 0; i < 60 && (await jobs.getJobState('deadrun.0.1')) !== 'unknown'; i++) await sleep(100);
      assert.equal(await jobs.getJobState('deadrun.0.1'), 'unknown', 'the dead run’s failed job is removed');
      assert.equal(await jobs.getJobState('liverun.0.1'), 'failed', 'a live coordinator reads its own failed jobs');
    } finally {
      client.disconnect();
      await jobs.close();
    }
  });

  async function queuedJobs(): Promise<number> {
    const client = new IORedis(redis.url);
    try {
      const [prioritized, waiting] = await Promise.all([client.zcard(`bull:${queue}:prioritized`), client.llen(`bull:${queue}:wait`)]);
      return prioritized + waiting;
    } finally {
      client.disconnect();
    }
  }
});
