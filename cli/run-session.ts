// What `run` and `retry` share (spec 6.1/6.2): the pre-flight and its refusal, the history, live
// progress, signals (Ctrl+C, SIGTERM, SIGHUP), and the final summary or JSON document.
import { constants } from 'node:os';
import { dirname } from 'node:path';
import { formatDiagnosticLine, type Diagnostic } from '../analysis';
import { projectRoot } from '../analysis/python/node';
import { endAllGroups, HistoryError, HistoryUnwritableError, prepareRun, RunRecorder, TaskRun, UnknownTaskError, type History, type LiveRun, type RunPlan, type RunRequest, type RunResult } from '../runtime';
import { diagnosticJson, displayPath } from './commands/validate';
import { EXIT_USAGE, UsageError, type CliIo } from './io';
import { attachProgress, formatDuration, taskState } from './progress';
import { runDocument } from './run-json';

/**
 * Python for the run's Python tasks: --python, else a venv in the current folder or the tree's, else
 * python3; executors registered in Python are looked for in the tree's project, as `validate` does.
 */
export function pythonOption(io: CliIo, python: string | undefined, file?: string): RunRequest['python'] {
  // Without a tree (a queue worker serves every tree of its checkout), the project is the current folder.
  return { interpreter: python, workspaceDir: io.cwd, discoverIn: file ? projectRoot(dirname(file), io.cwd) : io.cwd };
}

export interface SessionOptions {
  request: RunRequest;
  /** Opening (started early, so that it overlaps the pre-flight), or null for --no-history. */
  history: Promise<History> | null;
  concurrency: number | undefined;
  json: boolean;
  /** Where the run goes instead of the embedded runtime (`--server`, cli/server-option.ts). */
  launch?: () => Promise<Launch>;
  /** Run the tasks on queue workers (issue 15) instead of in this process. */
  queue?: { redis: string; queue: string };
}

/**
 * A pre-flight's verdict: a run to start, the diagnostics that refuse the file, or a refusal that is no
 * file's fault (a server that cannot be reached or refuses the token). `create` may connect what the
 * run needs (the queue on Redis), and the run's `release` lets go of it.
 */
export type Launch =
  | { ok: true; warnings: Diagnostic[]; create(): Promise<Started> }
  | { ok: false; diagnostics: Diagnostic[] }
  | { ok: false; message: string };

/** A run and what to let go of once it has ended. */
export interface Started {
  run: LiveRun;
  release(): Promise<void>;
}

/** The embedded runtime's pre-flight and run, its executor calls on queue workers with `--redis`. */
async function localLaunch(request: RunRequest, options: SessionOptions, io: CliIo): Promise<Launch> {
  const preflight = await prepareRun(request);
  if (!preflight.ok) return preflight;
  const { plan } = preflight;
  const { queue, concurrency } = options;
  if (!queue) return { ok: true, warnings: preflight.warnings, create: async () => ({ run: new TaskRun(plan, { concurrency }), release: async () => undefined }) };
  return {
    ok: true,
    warnings: preflight.warnings,
    create: async () => {
      const dispatch = await openQueue(queue, plan, io);
      const run = new TaskRun(dispatch.plan, { concurrency: concurrency ?? dispatch.inFlight });
      dispatch.attach(run.tasks);
      return { run, release: () => dispatch.close() };
    },
  };
}

/**
 * Runs the request to the end and returns the exit status: 0 completed, 1 failed or cancelled, 2 refused,
 * 128 + N when signal N ended it (see Interrupts.exitStatus).
 */
export async function runSession(io: CliIo, options: SessionOptions): Promise<number> {
  const interrupts = new Interrupts(io);
  // The history opens while the pre-flight runs; its failure is reported once the pre-flight passed.
  options.history?.catch(() => undefined);
  try {
    let preflight;
    try {
      preflight = await (options.launch ?? (() => localLaunch(options.request, options, io)))();
    } catch (error) {
      await closeQuietly(options.history);
      if (error instanceof UnknownTaskError) throw new UsageError(error.message);
      throw error;
    }
    const shownFile = displayPath(io.cwd, options.request.file);
    if (!preflight.ok && 'message' in preflight) {
      await closeQuietly(options.history);
      if (options.json) io.stdout.write(`${JSON.stringify({ refused: true, error: preflight.message }, null, 2)}\n`);
      io.stderr.write(`run refused: ${preflight.message}\n`);
      return EXIT_USAGE;
    }
    if (!preflight.ok) {
      await closeQuietly(options.history);
      if (options.json) io.stdout.write(`${JSON.stringify({ refused: true, diagnostics: preflight.diagnostics.map(diagnosticJson) }, null, 2)}\n`);
      for (const d of preflight.diagnostics) io.stderr.write(`${formatDiagnosticLine(shownFile, d)}\n`);
      io.stderr.write(`run refused: ${preflight.diagnostics.length} error(s) in ${shownFile}; fix them and run again\n`);
      return EXIT_USAGE;
    }
    if (!options.json) for (const d of preflight.warnings) io.stderr.write(`${formatDiagnosticLine(shownFile, d)}\n`);
    let history: History | null;
    try {
      history = await options.history;
    } catch (error) {
      if (!(error instanceof HistoryError)) throw error;
      if (!(error instanceof HistoryUnwritableError)) {
        io.stderr.write(`apflow-yaml: ${error.message}\n`);
        return EXIT_USAGE;
      }
      // Nothing stops the tree from running; it only cannot be recorded.
      io.stderr.write(`apflow-yaml: ${error.message}; the run goes ahead without being recorded\n`);
      history = null;
    }
    for (const warning of history?.warnings ?? []) io.stderr.write(`${warning}\n`);

    let result: RunResult;
    try {
      result = await execute(preflight, history, io, interrupts);
    } catch (error) {
      await history?.close().catch(() => undefined);
      throw error;
    }
    // Closing writes the file (the run's end was queued already) and lets go of the lock.
    const closeError = await history?.close().then(
      () => null,
      (error: unknown) => error,
    );
    io.stdout.write(options.json ? runDocument(result.run, result.tasks, io.cwd) : summary(result, shownFile));
    if (closeError) {
      if (!(closeError instanceof HistoryError)) throw closeError;
      // The run happened whatever became of its record: its outcome and exit status stand.
      io.stderr.write(`apflow-yaml: ${closeError.message}\n`);
    }
    return interrupts.exitStatus(result.run.status === 'completed' ? 0 : 1);
  } finally {
    interrupts.dispose();
  }
}

async function execute(launch: Extract<Launch, { ok: true }>, history: History | null, io: CliIo, interrupts: Interrupts): Promise<RunResult> {
  const { run, release } = await launch.create();
  let result: RunResult;
  try {
    if (history) new RunRecorder(history, run);
    const detach = attachProgress(run, io);
    const done = run.start();
    interrupts.onSignal((reason, graceMs) => run.cancel(reason, graceMs));
    result = await done;
    detach();
  } finally {
    await release();
  }
  // Commands run in process groups of their own, which no signal sent to this process reaches.
  if (interrupts.interrupted) await endAllGroups();
  return result;
}

/** The run's queue on Redis, connected, with the plan whose executor calls go to it; a usage error when it cannot be reached. */
async function openQueue(target: { redis: string; queue: string }, plan: RunPlan, io: CliIo) {
  const { queuePlan, QueueSetupError } = await import('../runtime/queue');
  try {
    const queued = await queuePlan({ ...target, workspaceDir: io.cwd, report: (line) => io.stderr.write(`${line}\n`) }, plan);
    if (queued.noWorkers) io.stderr.write(`no worker is connected to ${queued.description} yet: the tasks wait until one starts (apflow-yaml worker --redis URL)\n`);
    return queued;
  } catch (error) {
    if (error instanceof QueueSetupError) throw new UsageError(error.message);
    throw error;
  }
}

/** Spec 6.2: run id, status, counts per status, duration, and each failed or blocked task with its error or blocker. */
function summary({ run, tasks }: RunResult, file: string): string {
  const counts = new Map<string, number>();
  for (const t of tasks) {
    const status = taskState(t).status;
    counts.set(status, (counts.get(status) ?? 0) + 1);
  }
  const order = ['completed', 'failed', 'blocked', 'cancelled', 'pending', 'in_progress'];
  const countText = order.filter((s) => counts.has(s)).map((s) => `${counts.get(s)} ${s}`).join(', ');
  const lines = [
    `run ${run.id} ${run.status} in ${formatDuration((run.finished_at ?? run.started_at) - run.started_at)} (${file}${run.server ? ` on ${run.server}` : ''})`,
    `tasks: ${countText}`,
  ];
  for (const t of tasks) {
    const s = taskState(t);
    if (s.status === 'failed') lines.push(`  ${t.id} failed: ${s.detail}`);
    else if (s.status === 'blocked') lines.push(`  ${t.id} ${s.detail}`);
  }
  return `${lines.join('\n')}\n`;
}

async function closeQuietly(history: Promise<History> | null): Promise<void> {
  try {
    await (await history)?.close();
  } catch {
    // The run was refused before it could use the history; its problems do not matter now.
  }
}

/** The signals that end a run: Ctrl+C, what `timeout`, CI runners and `docker stop` send, and a closed terminal. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type StopSignal = (typeof STOP_SIGNALS)[number];

const REASONS: Record<StopSignal, string> = {
  SIGINT: 'Cancelled by SIGINT (Ctrl+C)',
  SIGTERM: 'Cancelled by SIGTERM',
  SIGHUP: 'Cancelled by SIGHUP (the terminal was closed)',
};

/**
 * The first signal cancels the run as spec 3.5 says (running executors get the grace period); a second
 * one stops the running tasks at once. Either way the run is recorded, every command's process group
 * is ended, and the exit status says what happened (`exitStatus`).
 */
class Interrupts {
  private received: StopSignal[] = [];
  private cancel: ((reason: string, graceMs?: number) => void) | null = null;
  private readonly listeners = STOP_SIGNALS.map((signal) => [signal, () => this.receive(signal)] as const);

  constructor(private readonly io: CliIo) {
    for (const [signal, listener] of this.listeners) process.on(signal, listener);
  }

  get interrupted(): boolean {
    return this.received.length > 0;
  }

  /** How the run is cancelled once it has started; a signal received before that is acted on at once. */
  onSignal(cancel: (reason: string, graceMs?: number) => void): void {
    this.cancel = cancel;
    if (this.interrupted) cancel(REASONS[this.received[0]], this.received.length > 1 ? 0 : undefined);
  }

  /**
   * A first SIGINT exits 1 like any cancelled run (spec 6.1); otherwise 128 + the number of the signal
   * that ended the process (130, 143, 129), as a shell reports a process killed by it.
   */
  exitStatus(fallback: number): number {
    const last = this.received[this.received.length - 1];
    if (last === undefined) return fallback;
    if (this.received.length === 1 && last === 'SIGINT') return fallback;
    return 128 + constants.signals[last];
  }

  dispose(): void {
    for (const [signal, listener] of this.listeners) process.removeListener(signal, listener);
  }

  private receive(signal: StopSignal): void {
    this.received.push(signal);
    const reason = REASONS[this.received[0]];
    if (this.received.length === 1) {
      this.io.stderr.write(`${signal}: cancelling the run (press Ctrl+C again to stop its tasks at once)\n`);
      this.cancel?.(reason);
    } else if (this.received.length === 2) {
      this.io.stderr.write(`${signal} again: stopping the running tasks now\n`);
      this.cancel?.(reason, 0);
    }
  }
}
