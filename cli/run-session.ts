// What `run` and `retry` share (spec 6.1/6.2): the pre-flight and its refusal, the history, live
// progress, SIGINT handling, and the final summary or JSON document.
import { formatDiagnosticLine } from '../analysis';
import { HistoryError, prepareRun, RunRecorder, TaskRun, UnknownTaskError, type History, type RunPlan, type RunRequest, type RunResult } from '../runtime';
import { diagnosticJson, displayPath } from './commands/validate';
import { EXIT_USAGE, UsageError, type CliIo } from './io';
import { attachProgress, formatDuration, taskState } from './progress';
import { runDocument } from './run-json';

export interface SessionOptions {
  request: RunRequest;
  /** Opening (started early, so that it overlaps the pre-flight), or null for --no-history. */
  history: Promise<History> | null;
  concurrency: number | undefined;
  json: boolean;
}

/** Runs the request to the end and returns the exit status: 0 completed, 1 failed or cancelled, 2 refused. */
export async function runSession(io: CliIo, options: SessionOptions): Promise<number> {
  const interrupts = new Interrupts(io);
  // The history opens while the pre-flight runs; its failure is reported once the pre-flight passed.
  options.history?.catch(() => undefined);
  try {
    let preflight;
    try {
      preflight = await prepareRun(options.request);
    } catch (error) {
      await closeQuietly(options.history);
      if (error instanceof UnknownTaskError) throw new UsageError(error.message);
      throw error;
    }
    const shownFile = displayPath(io.cwd, options.request.file);
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
      io.stderr.write(`apflow-yaml: ${error.message}\n`);
      return EXIT_USAGE;
    }
    for (const warning of history?.warnings ?? []) io.stderr.write(`${warning}\n`);

    let result: RunResult;
    try {
      result = await execute(preflight.plan, history, options.concurrency, io, interrupts);
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
      io.stderr.write(`apflow-yaml: ${closeError.message}\n`);
      return EXIT_USAGE;
    }
    return result.run.status === 'completed' ? 0 : 1;
  } finally {
    interrupts.dispose();
  }
}

async function execute(plan: RunPlan, history: History | null, concurrency: number | undefined, io: CliIo, interrupts: Interrupts): Promise<RunResult> {
  const run = new TaskRun(plan, { concurrency });
  if (history) new RunRecorder(history, run);
  const detach = attachProgress(run, io);
  interrupts.onFirst(() => {
    io.stderr.write('cancelling the run (press Ctrl+C again to exit at once)\n');
    run.cancel();
  });
  const done = run.start();
  if (interrupts.interrupted) run.cancel();
  const result = await done;
  detach();
  return result;
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
    `run ${run.id} ${run.status} in ${formatDuration((run.finished_at ?? run.started_at) - run.started_at)} (${file})`,
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

/** First SIGINT cancels the run (its history is still written); a second one exits at once. */
class Interrupts {
  interrupted = false;
  private first: (() => void) | null = null;
  private readonly listener = () => {
    if (this.interrupted) {
      this.io.stderr.write('interrupted again: exiting now\n');
      process.exit(130);
    }
    this.interrupted = true;
    this.first?.();
  };

  constructor(private readonly io: CliIo) {
    process.on('SIGINT', this.listener);
  }

  onFirst(action: () => void): void {
    this.first = action;
  }

  dispose(): void {
    process.removeListener('SIGINT', this.listener);
  }
}
