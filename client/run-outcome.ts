// A run that failed or was cancelled says so, with what to do next: "Show failed task" (reveal the
// first failed task in the editor, wherever it is in the file), "Open run" (the run page, apflow.openRun)
// and "Retry failed". A completed run stays quiet: the lenses and the status bar already say it.
import * as vscode from 'vscode';
import type { TaskRecord } from '../runtime';
import { outcomeMessage } from './format';
import type { RunEntry, RunService } from './runs';

export const SHOW_FAILED = 'Show failed task';
export const OPEN_RUN = 'Open run';
export const RETRY_FAILED = 'Retry failed';

export interface ShownOutcome {
  runId: string;
  message: string;
  actions: string[];
  /** What the action with this label does (what clicking it in the notification does). */
  act(label: string): Promise<unknown>;
}

export class RunOutcomes implements vscode.Disposable {
  private readonly subscription: vscode.Disposable;
  /** The newest notification shown (the tests read it). */
  last: ShownOutcome | null = null;

  constructor(
    private readonly runs: RunService,
    private readonly log: (line: string) => void,
  ) {
    this.subscription = runs.onDidFinishRun((entry) => void this.finished(entry));
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private async finished(entry: RunEntry): Promise<void> {
    const { run } = entry;
    if (run.status !== 'failed' && run.status !== 'cancelled') return;
    const tasks = await this.runs.tasksOf(entry);
    const failed = tasks.find((t) => t.status === 'failed');
    const actions = [...(failed ? [SHOW_FAILED] : []), OPEN_RUN, RETRY_FAILED];
    const shown: ShownOutcome = { runId: run.id, message: outcomeMessage(run, tasks), actions, act: (label) => this.act(label, entry, failed) };
    this.last = shown;
    const show = run.status === 'failed' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
    const answer = await show(shown.message, ...actions);
    if (answer) await shown.act(answer).catch((error: unknown) => this.log(`${answer} failed: ${error instanceof Error ? error.message : String(error)}`));
  }

  private async act(label: string, entry: RunEntry, failed: TaskRecord | undefined): Promise<unknown> {
    const runId = entry.run.id;
    if (label === SHOW_FAILED && failed) return vscode.commands.executeCommand('apflow.revealTask', { runId, taskId: failed.id });
    if (label === RETRY_FAILED) return vscode.commands.executeCommand('apflow.retryRun', runId);
    // The run page, on the failed task: its error and log are what the user opened it for.
    if (label === OPEN_RUN) return vscode.commands.executeCommand('apflow.openRun', runId, failed?.id);
    return undefined;
  }
}
