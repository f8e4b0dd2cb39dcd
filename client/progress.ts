// From the click to the end of a run: a progress notification with Cancel and a status-bar item
// (`$(sync~spin) apflow: 3/7`, which shows the run in the Runs view; spec 4.2). Both appear the moment
// a run is asked for ("preparing"), count with the one counter of format.ts, and the status-bar item
// stays with the outcome until the lens above the tree has it too, so that the two change together:
// until VS Code has every provider's answer to a lens request made after the run finished (the language
// server's lenses of a big tree come seconds after the extension's own, and VS Code draws them together).
import * as vscode from 'vscode';
import { baseName, doneCount, progressCounter } from './format';
import type { LensAnswer } from './lens-rounds';
import type { Preparation, RunEntry, RunService } from './runs';

/** The longest the finished status-bar item waits for the lens above the tree to show the outcome. */
const OUTCOME_SHOWN_MAX_MS = 8000;
/**
 * How long the outcome stays once the lens answers are in: the window still lays the lenses out (a
 * few hundred milliseconds for a big tree's on a loaded machine), while the status bar changes at once.
 */
const OUTCOME_HOLD_MS = 250;

export class RunProgress implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('apflow.run', vscode.StatusBarAlignment.Left, 10);
  private readonly subscriptions: vscode.Disposable[];
  private readonly reporters = new Map<RunEntry, (entry: RunEntry) => void>();
  /** Finished runs whose outcome the lens above the tree does not show yet. */
  private readonly lingering = new Map<string, { entry: RunEntry; since: number; timer: NodeJS.Timeout }>();

  constructor(
    private readonly runs: RunService,
    /** Fires when a provider answered a request for a file's lenses. */
    lensAnswers: vscode.Event<LensAnswer>,
    /** Whether the language server's lenses are asked for too (it runs): then its answer is the last one. */
    serverLenses: () => boolean,
  ) {
    this.item.name = 'apflow run';
    this.subscriptions = [
      runs.onDidChangePreparation((p) => {
        if (p.outcome === undefined) this.notify(p);
        this.updateItem();
      }),
      runs.onDidStartRun(() => this.updateItem()),
      runs.onDidChangeRuns((entries) => {
        for (const e of entries) this.reporters.get(e)?.(e);
        this.updateItem();
      }),
      runs.onDidFinishRun((e) => this.linger(e)),
      lensAnswers((answer) => {
        const shown = this.lingering.get(answer.file);
        if (!shown || shown.entry.live || answer.requestedAt < shown.since) return;
        if (answer.from === 'extension' && serverLenses()) return;
        clearTimeout(shown.timer);
        shown.timer = setTimeout(() => this.endLinger(answer.file, shown.entry), OUTCOME_HOLD_MS);
      }),
    ];
  }

  /** The status bar's text (tests read it). */
  get statusText(): string | undefined {
    return this.item.text || undefined;
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.lingering.forEach((l) => clearTimeout(l.timer));
    this.item.dispose();
  }

  /** The notification, from "preparing" to the run's end. */
  private notify(preparation: Preparation): void {
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `apflow: ${baseName(preparation.file)}`, cancellable: true },
      async (progress, token) => {
        progress.report({ message: 'preparing…' });
        const cancelPreparation = token.onCancellationRequested(() => this.runs.cancel(preparation));
        const entry = await this.prepared(preparation);
        cancelPreparation.dispose();
        if (!entry) return;
        await new Promise<void>((resolve) => {
          let reported = 0;
          const report = (e: RunEntry) => {
            const done = doneCount(e.counts);
            const increment = ((done - reported) / Math.max(1, e.counts.total)) * 100;
            reported = done;
            progress.report({ message: `running · ${progressCounter(e.counts)} tasks done`, increment: increment > 0 ? increment : undefined });
          };
          report(entry);
          this.reporters.set(entry, report);
          token.onCancellationRequested(() => this.runs.cancel(entry));
          const finished = () => {
            sub.dispose();
            this.reporters.delete(entry);
            resolve();
          };
          const sub = this.runs.onDidFinishRun((e) => e === entry && finished());
          if (!entry.live) finished();
        });
      },
    );
  }

  private prepared(preparation: Preparation): Promise<RunEntry | null> {
    if (preparation.outcome !== undefined) return Promise.resolve(preparation.outcome);
    return new Promise((resolve) => {
      const sub = this.runs.onDidChangePreparation((p) => {
        if (p !== preparation || p.outcome === undefined) return;
        sub.dispose();
        resolve(p.outcome);
      });
    });
  }

  private linger(entry: RunEntry): void {
    const file = entry.run.file;
    clearTimeout(this.lingering.get(file)?.timer);
    const timer = setTimeout(() => this.endLinger(file, entry), OUTCOME_SHOWN_MAX_MS);
    this.lingering.set(file, { entry, since: performance.now(), timer });
    this.updateItem();
  }

  private endLinger(file: string, entry: RunEntry): void {
    if (this.lingering.get(file)?.entry !== entry) return;
    this.lingering.delete(file);
    this.updateItem();
  }

  private updateItem(): void {
    const active = this.runs.active();
    const preparing = this.runs.preparing();
    const busy = active.length + preparing.length;
    void vscode.commands.executeCommand('setContext', 'apflow.runActive', busy > 0);
    const more = busy > 1 ? ` (+${busy - 1})` : '';
    if (active.length > 0) {
      const entry = active[0];
      this.show(`$(sync~spin) apflow: ${progressCounter(entry.counts)}${more}`, `apflow: running ${baseName(entry.run.file)} — click to show it in the Runs view`, entry.run.id);
    } else if (preparing.length > 0) {
      this.show(`$(sync~spin) apflow: preparing ${baseName(preparing[0].file)}${more}`, 'apflow: loading the runtime and checking the tree before the run starts');
    } else {
      const [last] = [...this.lingering.values()].slice(-1);
      if (last) {
        const { run, counts } = last.entry;
        const icon = run.status === 'completed' ? '$(pass)' : run.status === 'failed' ? '$(error)' : '$(stop-circle)';
        this.show(`${icon} apflow: ${run.status} · ${progressCounter(counts)}`, `apflow: ${baseName(run.file)} ${run.status} — click to show it in the Runs view`, run.id);
      } else {
        this.item.hide();
        this.item.text = '';
      }
    }
  }

  private show(text: string, tooltip: string, runId?: string): void {
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.command = runId ? { command: 'apflow.showRun', title: 'Show Run', arguments: [runId] } : undefined;
    this.item.show();
  }
}
