// The lenses above the tree (spec 4.2): `▶ Run task tree` / `↻ Retry failed (N)` / the last run, or
// `■ Cancel` / `running · 3/7` while it runs. They sit on line 0, so they need no parse of the file.
// The lenses above each task (`▶ Run task`, the task's status in the newest run) come from the
// language server, which the extension tells about runs (server-sync.ts). Updated from the run
// model's coalesced events, never by polling.
import * as vscode from 'vscode';
import { retryCount, runLensTitle } from './format';
import type { RunService } from './runs';
import { runPermission } from './trust';

export class RunLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[];
  /** Files whose history we have asked for (the history loads after the lenses first show). */
  private historyRequested = false;
  /** How often and how long lenses were computed (the tests report it). */
  readonly stats = { provided: 0, totalMs: 0, lastMs: 0, lastChangeAt: 0 };

  constructor(private readonly runs: RunService) {
    const refresh = () => {
      this.stats.lastChangeAt = performance.now();
      this.emitter.fire();
    };
    this.subscriptions = [
      runs.onDidChangeList(refresh),
      runs.onDidChangeRuns(refresh),
      vscode.workspace.onDidGrantWorkspaceTrust(refresh),
    ];
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const started = performance.now();
    const lenses = this.compute(document);
    const ms = performance.now() - started;
    this.stats.provided++;
    this.stats.totalMs += ms;
    this.stats.lastMs = ms;
    return lenses;
  }

  private compute(document: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    const permission = runPermission({ trusted: vscode.workspace.isTrusted, scheme: document.uri.scheme });
    if (!permission.allowed) {
      return [new vscode.CodeLens(top, { title: permission.lensTitle, command: permission.lensCommand ?? '', tooltip: permission.message })];
    }
    const file = document.uri.fsPath;
    this.requestHistory();
    const newest = this.runs.isLoaded ? this.runs.newestFor(file) : undefined;
    const lenses: vscode.CodeLens[] = [];
    const uri = document.uri;
    const running = newest?.live ? newest : undefined;
    if (running) {
      lenses.push(new vscode.CodeLens(top, { title: '■ Cancel', command: 'apflow.cancelRun', arguments: [running.run.id], tooltip: 'Cancel this run' }));
      lenses.push(new vscode.CodeLens(top, { title: runLensTitle(running.run, running.counts), command: 'apflow.openRun', arguments: [running.run.id], tooltip: 'Open the run page: timeline, tasks and logs' }));
    } else {
      lenses.push(new vscode.CodeLens(top, { title: '▶ Run task tree', command: 'apflow.runTree', arguments: [uri], tooltip: 'Run every task of this tree (apflow: Run Task Tree)' }));
      if (newest) {
        if (newest.run.status === 'failed' || newest.run.status === 'cancelled') {
          lenses.push(
            new vscode.CodeLens(top, {
              title: `↻ Retry failed (${retryCount(newest.counts)})`,
              command: 'apflow.retryRun',
              arguments: [newest.run.id],
              tooltip: 'Run again what did not complete; completed, unchanged tasks keep their results',
            }),
          );
        }
        lenses.push(new vscode.CodeLens(top, { title: runLensTitle(newest.run, newest.counts), command: 'apflow.openRun', arguments: [newest.run.id], tooltip: 'Open the run page: timeline, tasks and logs' }));
      }
    }
    return lenses;
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.emitter.dispose();
  }

  /**
   * The last run of a file is part of its lenses, so the history loads once a tree is shown — after the
   * first lenses are on screen, never during activation, and only if a history exists at all.
   */
  private requestHistory(): void {
    if (this.historyRequested || this.runs.isLoaded) return;
    this.historyRequested = true;
    if (!this.runs.historyExists()) return;
    setTimeout(() => void this.runs.load(), 200);
  }
}
