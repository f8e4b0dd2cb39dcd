// The worker's side of a run in a worker thread (thread-run.ts is the host's): the pre-flight, the run
// and its events happen here, so that parsing and checking a 5,000-task tree and scheduling its tasks
// never block the host's thread (the VS Code extension host). The host is sent plain data: the records,
// then every event in order, batched a few times per frame. Serves only inside a run worker.
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { RunEventName } from '../events';
import { prepareRun, UnknownTaskError } from '../preflight';
import { TaskRun } from '../run';
import type { ForwardedEvent, HostMessage, RunWorkerData, ThreadRunRequest, WorkerMessage } from './protocol';

/** How long events gather before they go to the host: often enough for live views, rarely enough to stay cheap. */
const FORWARD_MS = 16;

const TASK_EVENTS = ['task-status', 'task-blocked', 'task-progress', 'task-log', 'task-attempt'] as const satisfies readonly RunEventName[];

interface Prepared {
  run: TaskRun;
  /** Lets go of the queue, when the run uses one. */
  close: () => Promise<void>;
}

async function prepare(request: ThreadRunRequest, note: (line: string) => void): Promise<Prepared | Exclude<WorkerMessage, { kind: 'ready' }>> {
  let preflight;
  try {
    preflight = await prepareRun(request.run);
  } catch (error) {
    if (error instanceof UnknownTaskError) return { kind: 'error', message: error.message };
    throw error;
  }
  if (!preflight.ok) return { kind: 'refused', diagnostics: preflight.diagnostics };
  if (!request.queue) return { run: new TaskRun(preflight.plan, { concurrency: request.concurrency }), close: async () => undefined };
  let queued;
  try {
    queued = await (await import('../queue')).queuePlan({ ...request.queue, report: note }, preflight.plan);
  } catch (error) {
    await preflight.plan.release?.();
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
  if (queued.noWorkers) note(`no worker is connected to ${queued.description} yet: the tasks wait until one starts (apflow-yaml worker --redis URL)`);
  const run = new TaskRun(queued.plan, { concurrency: queued.inFlight });
  queued.attach(run.tasks);
  return { run, close: () => queued.close() };
}

/** Sends the run's events to the host in batches, each with the records it changed. */
function forward(port: MessagePort, run: TaskRun): void {
  let events: ForwardedEvent[] = [];
  const dirty = new Set<number>();
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (events.length === 0) return;
    const tasks = [...dirty].map((i): [number, (typeof run.tasks)[number]] => [i, run.tasks[i]]);
    port.postMessage({ kind: 'events', record: run.record, tasks, events } satisfies WorkerMessage);
    events = [];
    dirty.clear();
  };
  const push = (event: ForwardedEvent, index?: number) => {
    events.push(event);
    if (index !== undefined) dirty.add(index);
    timer ??= setTimeout(flush, FORWARD_MS);
  };
  run.on('run-started', () => push({ name: 'run-started' }));
  for (const name of TASK_EVENTS) {
    run.on(name, (e) => {
      const { run: _run, task: _task, ...rest } = e;
      push({ name, ...rest } as ForwardedEvent, e.index);
    });
  }
  run.on('run-finished', () => {
    flush();
    // Without hooks every change came with an event, so the host has it already: a 5,000-task run's
    // records are not cloned once more.
    port.postMessage({ kind: 'finished', record: run.record, tasks: run.plan.hooks ? run.tasks : null } satisfies WorkerMessage);
  });
}

async function serve(port: MessagePort, request: ThreadRunRequest): Promise<void> {
  let prepared: Awaited<ReturnType<typeof prepare>>;
  try {
    prepared = await prepare(request, (line) => port.postMessage({ kind: 'note', line } satisfies WorkerMessage));
  } catch (error) {
    port.postMessage({ kind: 'crash', message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined } satisfies WorkerMessage);
    port.close();
    return;
  }
  if ('kind' in prepared) {
    port.postMessage(prepared);
    port.close();
    return;
  }
  const { run, close } = prepared;
  forward(port, run);
  port.on('message', (message: HostMessage) => {
    if (message.kind === 'start') {
      void run.start().then(async () => {
        await close();
        port.close();
      });
    } else if (message.kind === 'cancel') run.cancel(message.reason, message.graceMs);
    else {
      // Never started: the plan still holds its Python host.
      void Promise.all([run.plan.release?.(), close()]).finally(() => port.close());
    }
  });
  port.postMessage({ kind: 'ready', record: run.record, tasks: run.tasks } satisfies WorkerMessage);
}

const data = workerData as Partial<RunWorkerData> | null;
if (!isMainThread && parentPort && data?.apflowRunWorker === true && data.request) void serve(parentPort, data.request);
