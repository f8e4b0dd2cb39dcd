// The coordinator's side of a run over BullMQ workers (issue 15): the run stays a TaskRun — readiness,
// merge, blocking, retries with backoff, hooks, history — and only the executor call of each attempt
// changes: it becomes a BullMQ job that any worker on the queue may take, and its start, logs, progress
// and end come back on the run's Redis stream. Retries stay the runtime's (execution.ts), so apflow's
// rule (a returned `error` mapping is final, a throw or timeout is retried) and the jittered backoff are
// written once; each attempt is a job of its own with `attempts: 1`. BullMQ's own re-queueing of a job
// whose worker died (its stalled check) is a different thing and does not use up an attempt.
import { randomUUID } from 'node:crypto';
import { relative, sep } from 'node:path';
import { Queue, type JobsOptions } from 'bullmq';
import type IORedis from 'ioredis';
import type { ExecutorContext, ExecutorFn, JsonObject, PlanTask, RunPlan, TaskRecord } from '../types';
import { connect, probe, redactedUrl, QueueSetupError, withPassword } from './connection';
import { bullPriority, DEFAULT_QUEUE, jobId, keys, type JobOutcome, type StreamEvent, type TaskJob } from './protocol';
import { lostConnection, OutageWatch, seconds } from './outage';
import { StreamReader } from './stream-reader';

/**
 * Attempts queued or running at once when the run does not say (`--concurrency`): twice the slots of
 * four workers × concurrency 50, so that a worker finishing a task finds the next one queued. The run
 * starts this many tasks in one turn of the event loop, which was the coordinator's longest turn at
 * 1,000 (docs/benchmarks.md, issue 15); more workers than that want `--concurrency`.
 */
export const QUEUE_IN_FLIGHT = 400;
/** Jobs added to Redis in one turn of the event loop at most. */
const SEND_CHUNK = 50;
/** How often the coordinator looks for jobs BullMQ failed itself (QueueEvents would parse every event of the queue). */
const FAILURE_POLL_MS = 1000;
/** How long the coordinator's heartbeat lives without being refreshed: past it, workers drop the run's jobs. */
const ALIVE_MS = Number(process.env.APFLOW_QUEUE_ALIVE_MS) || 15_000;
/**
 * How long Redis may be unreachable before the run gives up on it: the least the heartbeat, refreshed
 * every third of ALIVE_MS, has left to live. Back within it, Redis still holds the heartbeat (unless it
 * lost its data, when the coordinator sets it again before anything else), so no worker takes the run
 * for dead; past it, workers may have dropped the run's jobs already.
 */
const OUTAGE_MS = (ALIVE_MS * 2) / 3;

export interface QueueTarget {
  redis: string;
  /** The password, for a URL without one (APFLOW_REDIS_PASSWORD). */
  password?: string;
  queue?: string;
  /** The folder tree files are named relative to: workers resolve the same path in their checkout. */
  workspaceDir: string;
  /** What the run should tell its user about Redis (lost, back, given up on); the CLI prints it. */
  report?: (line: string) => void;
}

interface Attempt {
  id: string;
  task: PlanTask;
  index: number;
  /** The tree file, as workers find it in their checkout. */
  file: string;
  inputs: JsonObject;
  context: ExecutorContext;
  resolve(value: unknown): void;
  reject(error: Error): void;
  workers: string[];
  /** Still in the batch not yet sent to Redis. */
  unsent: boolean;
  /** Its cancellation is listened for (from its first sending on). */
  watched: boolean;
}

export class QueueDispatch {
  /** Names the run's jobs, stream and heartbeat. */
  readonly id = randomUUID().replaceAll('-', '');
  private readonly attempts = new Map<string, Attempt>();
  /** Attempts waiting for their turn to be sent to Redis. */
  private batch: Attempt[] = [];
  private records: readonly TaskRecord[] = [];
  private readonly heartbeat: NodeJS.Timeout;
  private readonly failures: NodeJS.Timeout;
  private closed = false;
  private dispatched = 0;
  private readonly outage: OutageWatch;
  /** Set once Redis has been unreachable for longer than OUTAGE_MS: every attempt ends with it. */
  private interrupted: string | null = null;

  private constructor(
    private readonly target: QueueTarget & { queue: string },
    private readonly queue: Queue,
    private readonly client: IORedis,
    private readonly reader: StreamReader,
  ) {
    this.heartbeat = setInterval(() => void this.beat(), ALIVE_MS / 3);
    this.heartbeat.unref();
    this.failures = setInterval(() => void this.collectFailures(), FAILURE_POLL_MS);
    this.failures.unref();
    reader.onEvent((event) => this.receive(event));
    const report = target.report ?? (() => undefined);
    this.outage = new OutageWatch(
      client,
      {
        lost: (reason) => report(`${lostConnection(target.redis, reason)}: the run waits up to ${seconds(OUTAGE_MS)} for it to come back`),
        back: (downMs) => {
          if (this.interrupted) return; // given up on already: the run has ended or is ending
          report(`Redis at ${redactedUrl(target.redis)} is back after ${seconds(downMs)}: the run goes on`);
          void this.recover(report);
        },
        gaveUp: (reason) => this.interrupt(reason, report),
      },
      OUTAGE_MS,
    );
  }

  /** Connects (rejecting clearly when Redis cannot be reached) and starts the run's heartbeat. */
  static async open(target: QueueTarget): Promise<QueueDispatch> {
    const full = { ...target, redis: withPassword(target.redis, target.password), queue: target.queue ?? DEFAULT_QUEUE };
    await probe(full.redis);
    const client = connect(full.redis);
    client.on('error', () => undefined); // ioredis reconnects; commands wait for it.
    const queue = new Queue(full.queue, { connection: client });
    queue.on('error', () => undefined);
    const dispatch = new QueueDispatch(full, queue, client, new StreamReader(connect(full.redis)));
    dispatch.reader.start(keys.stream(full.queue, dispatch.id));
    await dispatch.beat();
    return dispatch;
  }

  /** Where the run goes, for messages: the queue and the server, without its password. */
  get description(): string {
    return `queue '${this.target.queue}' on ${redactedUrl(this.target.redis)}`;
  }

  /** Workers connected to the queue now (BullMQ names their connections). */
  async workerCount(): Promise<number> {
    return (await this.queue.getWorkers()).length;
  }

  /**
   * The plan with each task's executor call dispatched to the queue. The timeout travels with the job
   * (the worker enforces it, where the executor runs); everything else of the task stays as it was.
   */
  plan(plan: RunPlan): RunPlan {
    const file = relative(this.target.workspaceDir, plan.file).split(sep).join('/');
    if (file.startsWith('../') || file === '..' || /^[A-Za-z]:|^\//.test(file)) {
      throw new QueueSetupError(`${plan.file} is outside the workspace folder ${this.target.workspaceDir}: workers find tree files by their path in the workspace, so run from a folder that contains the file`);
    }
    return { ...plan, tasks: plan.tasks.map((task, index) => ({ ...task, timeoutSeconds: null, execute: this.remote(task, index, file) })) };
  }

  /** The run's live task records, on which each attempt's worker is written. */
  attach(records: readonly TaskRecord[]): void {
    this.records = records;
  }

  /** After the run: withdraws what is still queued, ends the heartbeat and the stream, disconnects. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    clearInterval(this.failures);
    // With Redis unreachable, what is left of the run there cannot be withdrawn: its commands would wait for ever.
    const reachable = !this.outage.down;
    this.outage.dispose();
    if (reachable) {
      const queued = [...this.attempts.keys()].filter((id) => this.attempts.get(id)?.workers.length === 0);
      await Promise.allSettled(queued.map((id) => this.queue.remove(id)));
      await this.client.del(keys.alive(this.target.queue, this.id), keys.stream(this.target.queue, this.id)).catch(() => undefined);
    }
    await this.reader.stop();
    if (reachable) await this.queue.close();
    this.client.disconnect();
  }

  private remote(task: PlanTask, index: number, file: string): ExecutorFn {
    return (inputs: JsonObject, context: ExecutorContext) =>
      new Promise<unknown>((resolve, reject) => {
        // A returned `error` mapping: final, as no attempt can reach the workers now.
        if (this.interrupted) return resolve({ error: this.interrupted });
        const id = jobId(this.id, index, ++this.dispatched);
        const attempt: Attempt = { id, task, index, file, inputs, context, resolve, reject, workers: [], unsent: true, watched: false };
        this.attempts.set(id, attempt);
        this.send(attempt);
      });
  }

  /**
   * Attempts are sent in batches, one round trip per turn of the event loop rather than one per task,
   * and at most SEND_CHUNK per turn. Each job is built only when its batch is sent, so that the turn in
   * which the run starts a thousand tasks does no more than note them: a run's first thousand jobs built
   * and serialised in one turn were the longest stall of the coordinator (docs/benchmarks.md, issue 15).
   */
  private send(attempt: Attempt): void {
    this.batch.push(attempt);
    if (this.batch.length === 1) setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    const batch = this.batch.splice(0, SEND_CHUNK).filter((attempt) => this.attempts.has(attempt.id) && this.watch(attempt));
    if (this.batch.length > 0) setImmediate(() => void this.flush());
    if (batch.length === 0) return;
    for (const attempt of batch) attempt.unsent = false;
    try {
      await this.queue.addBulk(batch.map((attempt) => this.job(attempt)));
    } catch (error) {
      const reason = `could not queue the task on ${this.description}: ${error instanceof Error ? error.message : String(error)}`;
      for (const attempt of batch) this.settle(attempt.id, (a) => a.reject(new Error(reason)));
    }
  }

  /**
   * Listens for the attempt's cancellation from its first sending on: its AbortSignal is built then,
   * like its job, and not in the turn that starts it. False when it was cancelled before (it is settled).
   */
  private watch(attempt: Attempt): boolean {
    const { signal } = attempt.context;
    if (signal.aborted) {
      this.settle(attempt.id, (a) => a.reject(stackless(reasonText(signal.reason))));
      return false;
    }
    if (!attempt.watched) {
      attempt.watched = true;
      signal.addEventListener('abort', () => void this.abort(attempt.id, signal.reason), { once: true });
    }
    return true;
  }

  /** The job of an attempt, as BullMQ adds it, with the task's record as the run holds it now. */
  private job({ id, task, index, file, inputs, context }: Attempt): { name: string; data: TaskJob; opts: JobsOptions } {
    const data: TaskJob = { run: this.id, index, file, taskId: task.id, defHash: task.defHash, executorHash: task.executorHash, inputs, task: context.task, timeoutSeconds: task.timeoutSeconds };
    return { name: task.executor, data, opts: { jobId: id, priority: bullPriority(task.priority), attempts: 1, removeOnComplete: true, removeOnFail: false } };
  }

  /** Cancellation or timeout of an attempt: a queued job is withdrawn, a running one is told to stop. */
  private async abort(id: string, reason: unknown): Promise<void> {
    const attempt = this.attempts.get(id);
    if (!attempt) return;
    const error = stackless(reasonText(reason));
    if (attempt.unsent) {
      this.settle(id, (a) => a.reject(error));
      return;
    }
    if (attempt.workers.length === 0 && (await this.queue.remove(id).catch(() => 0)) === 1) {
      this.settle(id, (a) => a.reject(error));
      return;
    }
    await this.client.publish(keys.abort(this.target.queue), JSON.stringify({ job: id, reason: error.message })).catch(() => undefined);
  }

  private receive(event: StreamEvent): void {
    const attempt = this.attempts.get(event.j);
    if (!attempt) return;
    if (event.k === 'start') this.started(attempt, event.w, event.at);
    else if (event.k === 'log') attempt.context.log(event.t);
    else if (event.k === 'progress') attempt.context.progress(event.p);
    else this.settle(event.j, (a) => settleWith(a, event.o));
  }

  /**
   * A worker took the job: the task's current attempt names it. A second start of the same job means
   * its first worker died (BullMQ's stalled check queued it again): that lost call becomes an attempt
   * of its own, failed, before the current one, which starts again on the new worker.
   */
  private started(attempt: Attempt, worker: string, at: number): void {
    const previous = attempt.workers[attempt.workers.length - 1];
    attempt.workers.push(worker);
    const calls = this.records[attempt.index]?.attempts;
    const current = calls?.[calls.length - 1];
    if (calls && current) {
      if (previous !== undefined) {
        const error = `worker ${previous} stopped responding; the task ran again on worker ${worker}`;
        calls.splice(calls.length - 1, 0, { started_at: current.started_at, completed_at: at, status: 'failed', error, worker: previous });
        current.started_at = at;
      }
      current.worker = worker;
    }
    if (previous !== undefined) attempt.context.log(`worker ${previous} stopped responding; the task runs again on worker ${worker} (at-least-once)`);
  }

  private settle(id: string, how: (attempt: Attempt) => void): void {
    const attempt = this.attempts.get(id);
    if (!attempt) return;
    this.attempts.delete(id);
    how(attempt);
  }

  /**
   * Workers report every outcome themselves (their processor never throws), so a failed job is one
   * BullMQ failed on its own: its workers kept dying (the stalled limit). Failed jobs are kept
   * (`removeOnFail: false`) until the coordinator has read and removed them here.
   */
  private async collectFailures(): Promise<void> {
    if (this.outage.down) return; // Not one more command waiting for Redis each second.
    const failed = await this.queue.getJobs(['failed'], 0, -1).catch(() => []);
    for (const job of failed) {
      if (!job?.id || !this.attempts.has(job.id)) continue;
      this.settle(job.id, (a) => a.reject(stackless(`the queue gave up on the task: ${job.failedReason}`)));
      await job.remove().catch(() => undefined);
    }
  }

  /**
   * Redis is back. Its heartbeat key is set again first (Redis may have restarted without its data):
   * a worker must not take this run for dead. Then the jobs that no worker had taken are looked for;
   * those Redis lost are queued again. (Taken ones are their workers', which report them on the stream.)
   */
  private async recover(report: (line: string) => void): Promise<void> {
    await this.beat();
    const waiting = [...this.attempts.values()].filter((a) => !a.unsent && a.workers.length === 0);
    if (waiting.length === 0) return;
    const exists = this.client.pipeline();
    for (const attempt of waiting) exists.exists(this.queue.toKey(attempt.id));
    const found = await exists.exec().catch(() => null);
    if (!found) return;
    const lost = waiting.filter((attempt, i) => found[i]?.[1] === 0 && this.attempts.has(attempt.id));
    if (lost.length === 0) return;
    report(`Redis lost ${lost.length} queued task(s) of this run (it restarted without its data): they are queued again`);
    for (const attempt of lost) {
      attempt.unsent = true;
      this.send(attempt);
    }
  }

  /** Redis stayed away past OUTAGE_MS: the run's attempts end (and later ones at once) with why and what to do. */
  private interrupt(reason: string, report: (line: string) => void): void {
    this.interrupted = `interrupted: Redis at ${redactedUrl(this.target.redis)} has been unreachable for over ${seconds(OUTAGE_MS)} (${reason}); start it again and run the tree again`;
    report(this.interrupted);
    for (const id of [...this.attempts.keys()]) this.settle(id, (a) => a.resolve({ error: this.interrupted }));
  }

  private async beat(): Promise<void> {
    await this.client.set(keys.alive(this.target.queue, this.id), '1', 'PX', ALIVE_MS).catch(() => undefined);
  }
}

/** A plan whose executor calls go to a queue, and what its run needs from the dispatch. */
export interface QueuedPlan {
  plan: RunPlan;
  /** The run's concurrency when the user set none. */
  inFlight: number;
  /** No worker was connected to the queue when the run started: the tasks wait for one. */
  noWorkers: boolean;
  description: string;
  attach(records: readonly TaskRecord[]): void;
  close(): Promise<void>;
}

/** Connects to the queue and dispatches the plan's executor calls to it (the CLI's `run --redis`, the editor's `apflow.run.redis`). */
export async function queuePlan(target: QueueTarget, plan: RunPlan): Promise<QueuedPlan> {
  const dispatch = await QueueDispatch.open(target);
  try {
    return {
      plan: dispatch.plan(plan),
      inFlight: QUEUE_IN_FLIGHT,
      noWorkers: (await dispatch.workerCount()) === 0,
      description: dispatch.description,
      attach: (records) => dispatch.attach(records),
      close: () => dispatch.close(),
    };
  } catch (error) {
    await dispatch.close();
    throw error;
  }
}

/** A worker's outcome as the runtime's execution expects it: returned values resolve, throws reject. */
function settleWith(attempt: Attempt, outcome: JobOutcome): void {
  if (outcome.status === 'completed' || (outcome.status === 'failed' && !outcome.thrown)) {
    attempt.resolve(outcome.result);
    return;
  }
  // The worker logged the stack already; the error here is its message alone.
  attempt.reject(stackless(outcome.error ?? 'the task failed on its worker'));
}

function reasonText(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}

/** An error for the task's record whose stack (this process's, not the task's) stays out of its log. */
function stackless(message: string): Error {
  const error = new Error(message);
  error.stack = undefined;
  return error;
}
