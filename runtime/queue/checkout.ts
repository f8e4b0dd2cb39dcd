// A worker's own checkout of the workspace: the tree files its jobs name, prepared as a local run would
// prepare them (the same analysis and executor resolution), so that a worker runs only what its checkout
// declares. A prepared file is kept until the file changes on disk.
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fsReason } from '../fs-errors';
import { prepareRun, type RunRequest } from '../preflight';
import type { PlanTask, RunPlan } from '../types';
import type { TaskJob } from './protocol';

export interface CheckoutOptions {
  workspaceDir: string;
  env: NodeJS.ProcessEnv;
  allowPrivateUrls: boolean;
  python?: RunRequest['python'];
}

type Prepared = { stamp: string; plan: RunPlan; byId: Map<string, PlanTask> } | { stamp: string; refusal: string };

/** Why a worker will not run a job: the message names the task, the file and what to do. */
export class Refusal extends Error {}

export class Checkout {
  private readonly files = new Map<string, Promise<Prepared>>();

  constructor(private readonly options: CheckoutOptions) {}

  /** The task the job names, as this checkout defines it; a Refusal when it differs or cannot run here. */
  async task(job: TaskJob): Promise<PlanTask> {
    const prepared = await this.prepared(job.file);
    if ('refusal' in prepared) throw new Refusal(prepared.refusal);
    const task = prepared.byId.get(job.taskId);
    if (!task) throw new Refusal(`task '${job.taskId}' is not in this worker's ${job.file}: update the worker's checkout to the coordinator's version`);
    if (task.defHash !== job.defHash) {
      throw new Refusal(`task '${job.taskId}' is defined differently in this worker's ${job.file}: update the worker's checkout to the coordinator's version`);
    }
    if (task.executorHash !== job.executorHash) {
      throw new Refusal(`executor '${task.executor}' of task '${job.taskId}' differs in this worker's checkout (its declaration or its source file): update the worker's checkout to the coordinator's version`);
    }
    return task;
  }

  async close(): Promise<void> {
    const all = await Promise.all(this.files.values());
    this.files.clear();
    await Promise.all(all.map((p) => ('plan' in p ? p.plan.release?.() : undefined)));
  }

  private async prepared(file: string): Promise<Prepared> {
    if (isAbsolute(file) || file.split('/').includes('..')) {
      return { stamp: '', refusal: `${file} is outside this worker's workspace folder: a worker runs only its own checkout's tree files` };
    }
    const path = resolve(this.options.workspaceDir, file);
    const stamp = stampOf(path);
    const cached = this.files.get(file);
    if (cached) {
      const known = await cached;
      if (known.stamp === stamp) return known;
      if ('plan' in known) await known.plan.release?.();
    }
    const next = this.prepare(file, path, stamp);
    this.files.set(file, next);
    return next;
  }

  private async prepare(file: string, path: string, stamp: string): Promise<Prepared> {
    const read = readTree(path);
    if ('problem' in read) return { stamp, refusal: `this worker cannot read ${file} in its workspace folder ${this.options.workspaceDir}: ${read.problem}` };
    const { env, allowPrivateUrls, python } = this.options;
    const preflight = await prepareRun({ text: read.text, file: path, env, allowPrivateUrls, python });
    if (!preflight.ok) {
      const first = preflight.diagnostics[0];
      return { stamp, refusal: `this worker's ${file} cannot run here: ${first.message}${preflight.diagnostics.length > 1 ? ` (and ${preflight.diagnostics.length - 1} more)` : ''}` };
    }
    return { stamp, plan: preflight.plan, byId: new Map(preflight.plan.tasks.map((t) => [t.id, t])) };
  }
}

function stampOf(path: string): string {
  try {
    const stat = statSync(path);
    return `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return 'missing';
  }
}

function readTree(path: string): { text: string } | { problem: string } {
  try {
    // Anything but a regular file (a FIFO would block the worker) is refused before it is opened.
    if (!statSync(path).isFile()) return { problem: 'it is not a regular file' };
    return { text: readFileSync(path, 'utf8') };
  } catch (error) {
    return { problem: fsReason(error) };
  }
}
