// `apflow-yaml worker`: a BullMQ worker that runs the attempts a coordinator queues (issue 15). It runs
// only what its own checkout declares (checkout.ts), enforces each task's timeout where the executor
// runs, reports start, logs, progress and end on the run's stream, and stops a job the coordinator
// cancels. A job whose coordinator is gone (its heartbeat expired) is dropped unrun, with the run's
// other queued jobs.
import { hostname } from 'node:os';
import { Queue, Worker, type Job } from 'bullmq';
import type IORedis from 'ioredis';
import { TaskExecution, type ExecutionHost } from '../execution';
import { isMapping, type TaskRecord, type TaskView } from '../types';
import { Checkout, Refusal, type CheckoutOptions } from './checkout';
import { connect, probe, redactedUrl, withPassword } from './connection';
import { lostConnection, OutageWatch, seconds } from './outage';
import { DEFAULT_QUEUE, keys, type JobOutcome, type StreamEvent, type TaskJob } from './protocol';

/** BullMQ's lock on a running job, renewed at half of it; a worker silent for longer is "stalled". */
const LOCK_MS = Number(process.env.APFLOW_QUEUE_LOCK_MS) || 30_000;
/** How long a verdict on a coordinator's heartbeat is trusted before it is asked again. */
const ALIVE_CHECK_MS = 1000;

export interface WorkerOptions extends CheckoutOptions {
  redis: string;
  /** The password, for a URL without one (APFLOW_REDIS_PASSWORD). */
  password?: string;
  queue?: string;
  concurrency?: number;
  /** What the worker reports (a job refused, a run dropped); the CLI prints it. */
  report?: (line: string) => void;
}

export class QueueWorker {
  readonly name = `${hostname()}:${process.pid}`;
  private readonly running = new Map<string, TaskExecution>();
  private readonly alive = new Map<string, { alive: boolean; at: number }>();
  private readonly report: (line: string) => void;
  private worker: Worker | null = null;
  private outage: OutageWatch | null = null;
  /** The queue's jobs as this worker looks after them (dropped runs, failed jobs of dead runs), on its command connection. */
  private readonly queue: Queue;
  private readonly sweeper: NodeJS.Timeout;

  private constructor(
    private readonly options: WorkerOptions & { queue: string },
    private readonly checkout: Checkout,
    private readonly client: IORedis,
    private readonly subscriber: IORedis,
    /** BullMQ's blocking connection: given to it, so closed here (BullMQ leaves a connection it was given open). */
    private readonly blocking: IORedis,
  ) {
    this.report = options.report ?? (() => undefined);
    this.queue = new Queue(options.queue, { connection: client });
    this.queue.on('error', () => undefined); // the outage watch says it
    this.sweeper = setInterval(() => void this.sweepFailed(), LOCK_MS);
    this.sweeper.unref();
  }

  static async start(options: WorkerOptions): Promise<QueueWorker> {
    const full = { ...options, redis: withPassword(options.redis, options.password), queue: options.queue ?? DEFAULT_QUEUE };
    await probe(full.redis);
    const client = connect(full.redis);
    const subscriber = connect(full.redis);
    const blocking = connect(full.redis);
    for (const c of [client, subscriber, blocking]) c.on('error', () => undefined);
    const worker = new QueueWorker(full, new Checkout(full), client, subscriber, blocking);
    worker.watchOutages();
    await worker.listenForAborts();
    worker.worker = new Worker(full.queue, (job: Job<TaskJob>) => worker.process(job), {
      connection: worker.blocking,
      concurrency: Math.max(1, options.concurrency ?? 10),
      name: worker.name,
      lockDuration: LOCK_MS,
      stalledInterval: LOCK_MS,
      // A job whose worker died is queued again once; dying twice more fails it (a task that kills workers).
      maxStalledCount: 2,
      drainDelay: 1,
    });
    // While Redis is away BullMQ reports each failed reconnection: the outage has been said once already.
    worker.worker.on('error', (error) => worker.outage?.down || worker.report(`Redis: ${error.message}`));
    return worker;
  }

  /** Stops taking jobs and waits for the running ones (`force`: stops them now; BullMQ re-queues them). */
  async close(force = false): Promise<void> {
    clearInterval(this.sweeper);
    const reachable = !this.outage?.down;
    this.outage?.dispose();
    // With Redis away, BullMQ's close would wait for it for ever: the running jobs are stopped instead.
    if (!reachable) {
      for (const execution of this.running.values()) execution.cancel('the worker stopped while Redis was unreachable');
      force = true;
    }
    await this.worker?.close(force);
    if (reachable) await this.queue.close();
    await this.checkout.close();
    for (const c of [this.subscriber, this.client, this.blocking]) c.disconnect();
  }

  /**
   * A worker outlives Redis going away: it says so once, keeps reconnecting (ioredis, every 2 s at
   * most) for as long as it runs, and says when Redis is back. Its running tasks go on meanwhile; their
   * reports wait for Redis and reach the coordinator when it is back.
   */
  private watchOutages(): void {
    const url = this.options.redis;
    this.outage = new OutageWatch(this.client, {
      lost: (reason) => this.report(`${lostConnection(url, reason)}: the worker keeps trying to reconnect (Ctrl+C stops it)`),
      back: (downMs) => this.report(`Redis at ${redactedUrl(url)} is back after ${seconds(downMs)}: the worker takes tasks again`),
    });
  }

  private async listenForAborts(): Promise<void> {
    await this.subscriber.subscribe(keys.abort(this.options.queue));
    this.subscriber.on('message', (_channel: string, message: string) => {
      try {
        const { job, reason } = JSON.parse(message) as { job: string; reason: string };
        this.running.get(job)?.cancel(reason);
      } catch {
        // Not a message of ours: ignored.
      }
    });
  }

  private async process(job: Job<TaskJob>): Promise<void> {
    const data = job.data;
    const id = job.id as string;
    if (!(await this.coordinatorAlive(data.run))) {
      await this.dropRun(data.run);
      return;
    }
    const stream = keys.stream(this.options.queue, data.run);
    const send = (event: StreamEvent) => this.client.xadd(stream, '*', 'e', JSON.stringify(event));
    // Not awaited: one connection keeps its commands in order, so the start still precedes the end.
    void send({ k: 'start', j: id, w: this.name, at: Date.now() });
    const outcome = await this.execute(id, data, send);
    await send({ k: 'end', j: id, w: this.name, o: outcome });
  }

  private async execute(id: string, data: TaskJob, send: (event: StreamEvent) => Promise<unknown>): Promise<JobOutcome> {
    let task;
    try {
      task = await this.checkout.task(data);
    } catch (error) {
      const message = error instanceof Refusal ? `worker ${this.name} refused the task: ${error.message}` : `worker ${this.name} could not prepare the task: ${String(error)}`;
      this.report(message);
      return { status: 'failed', result: null, error: message, thrown: true };
    }
    const host: ExecutionHost = {
      log: (_i, text) => void send({ k: 'log', j: id, t: text }),
      progress: (_i, p) => void send({ k: 'progress', j: id, p }),
      attemptFailed: () => undefined,
      random: Math.random,
      now: Date.now,
    };
    // One attempt, checked already on the coordinator: the runtime there decides on retries.
    const local = { ...task, maxAttempts: 1, validateInputs: null, timeoutSeconds: data.timeoutSeconds };
    const execution = new TaskExecution(local, recordOf(data.task), host, data.index);
    this.running.set(id, execution);
    try {
      const outcome = await execution.run(data.inputs);
      const returnedError = outcome.status === 'failed' && isMapping(outcome.result) && 'error' in outcome.result;
      return { ...outcome, thrown: outcome.status !== 'completed' && !returnedError };
    } finally {
      this.running.delete(id);
    }
  }

  private async coordinatorAlive(run: string): Promise<boolean> {
    const known = this.alive.get(run);
    if (known && (Date.now() - known.at < ALIVE_CHECK_MS || !known.alive)) return known.alive;
    const alive = (await this.client.exists(keys.alive(this.options.queue, run))) === 1;
    this.alive.set(run, { alive, at: Date.now() });
    return alive;
  }

  /** The run's coordinator is gone: its queued jobs are removed, once per run and worker. */
  private async dropRun(run: string): Promise<void> {
    if (this.alive.get(run)?.at === -1) return;
    this.alive.set(run, { alive: false, at: -1 });
    this.report(`the coordinator of run ${run} stopped (its heartbeat expired): its queued tasks are dropped`);
    const jobs = await this.queue.getJobs(['prioritized', 'waiting', 'delayed'], 0, -1);
    await Promise.allSettled(jobs.filter((j) => j.id?.startsWith(`${run}.`)).map((j) => j.remove()));
  }

  /**
   * Jobs BullMQ failed on its own (their workers kept dying) stay in its failed list until their
   * coordinator reads and removes them; a coordinator that is gone never will, so workers remove them
   * (at BullMQ's stalled-check interval: failing a job is what that check does).
   */
  private async sweepFailed(): Promise<void> {
    if (this.outage?.down) return;
    const failed = await this.queue.getJobs(['failed'], 0, -1).catch(() => []);
    for (const job of failed) {
      const run = job?.id?.split('.')[0];
      if (run && !(await this.coordinatorAlive(run).catch(() => true))) await job.remove().catch(() => undefined);
    }
  }
}

/** The record an executor's `context.task` shows: the coordinator's, with its times back in ms. */
function recordOf(view: TaskView): TaskRecord {
  const ms = (iso: string | null) => (iso === null ? null : Date.parse(iso));
  // The worker's execution keeps its own attempt list; the coordinator's stays there.
  const { attempts: _coordinators, ...rest } = view;
  return { ...rest, created_at: Date.parse(view.created_at), started_at: ms(view.started_at), updated_at: Date.parse(view.updated_at), completed_at: ms(view.completed_at) };
}
