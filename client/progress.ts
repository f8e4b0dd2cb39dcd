// While a run is active: a progress notification with a Cancel button, and a status-bar item
// (`$(sync~spin) apflow: 3/7`) that shows the run in the Runs view (spec 4.2).
import * as vscode from 'vscode';
import { baseName, doneCount } from './format';
import type { RunEntry, RunService } from './runs';

export class RunProgress implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('apflow.run', vscode.StatusBarAlignment.Left, 10);
  private readonly subscriptions: vscode.Disposable[];
  private readonly reporters = new Map<RunEntry, (entry: RunEntry) => void>();

  constructor(private readonly runs: RunService) {
    this.item.name = 'apflow run';
    this.subscriptions = [
      runs.onDidStartRun((entry) => this.started(entry)),
      runs.onDidChangeRuns((entries) => {
        for (const e of entries) this.reporters.get(e)?.(e);
        this.updateItem();
      }),
      runs.onDidFinishRun(() => this.updateItem()),
    ];
  }

  /** The status bar's text (tests read it). */
  get statusText(): string | undefined {
    return this.item.text || undefined;
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.item.dispose();
  }

  private started(entry: RunEntry): void {
    this.updateItem();
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `apflow: running ${baseName(entry.run.file)}`, cancellable: true },
      (progress, token) =>
        new Promise<void>((resolve) => {
          let reported = 0;
          const report = (e: RunEntry) => {
            const done = doneCount(e.counts);
            const total = Math.max(1, e.counts.total);
            const increment = ((done - reported) / total) * 100;
            reported = done;
            progress.report({ message: `${done}/${e.counts.total} tasks done`, increment: increment > 0 ? increment : undefined });
          };
          report(entry);
          this.reporters.set(entry, report);
          token.onCancellationRequested(() => this.runs.cancel(entry));
          const sub = this.runs.onDidFinishRun((e) => {
            if (e !== entry) return;
            sub.dispose();
            this.reporters.delete(entry);
            resolve();
          });
          if (!entry.live) {
            sub.dispose();
            this.reporters.delete(entry);
            resolve();
          }
        }),
    );
  }

  private updateItem(): void {
    const active = this.runs.active();
    void vscode.commands.executeCommand('setContext', 'apflow.runActive', active.length > 0);
    if (active.length === 0) {
      this.item.hide();
      this.item.text = '';
      return;
    }
    const entry = active[0];
    const more = active.length > 1 ? ` (+${active.length - 1})` : '';
    this.item.text = `$(sync~spin) apflow: ${doneCount(entry.counts)}/${entry.counts.total}${more}`;
    this.item.tooltip = `apflow: running ${baseName(entry.run.file)} — click to show it in the Runs view`;
    this.item.command = { command: 'apflow.showRun', title: 'Show Run', arguments: [entry.run.id] };
    this.item.show();
  }
}
