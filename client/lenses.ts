// Run lenses (spec 4.2): above the tree `▶ Run task tree` / `↻ Retry failed (N)` / the last run, or
// `■ Cancel` / `running · 3/7` while it runs; above each task `▶ Run task` and its status in the newest
// run. Updated from the run model's coalesced events, never by polling.
import * as vscode from 'vscode';
import { retryCount, runLensTitle, taskLensTitle } from './format';
import type { RunEntry, RunService } from './runs';
import type { TaskIndex } from './tasks';
import { runPermission } from './trust';

export class RunLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[];
  /** Files whose history we have asked for (the history loads after the lenses first show). */
  private historyRequested = false;
  /** How often and how long lenses were computed (the tests report it). */
  readonly stats = { provided: 0, totalMs: 0, lastMs: 0, lastChangeAt: 0 };

  constructor(
    private readonly runs: RunService,
    private readonly index: TaskIndex,
  ) {
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
    const outline = this.index.outline(document);
    const newest = this.runs.isLoaded ? this.runs.newestFor(file) : undefined;
    const lenses: vscode.CodeLens[] = [];
    const uri = document.uri;
    const running = newest?.live ? newest : undefined;
    if (running) {
      lenses.push(new vscode.CodeLens(top, { title: '■ Cancel', command: 'apflow.cancelRun', arguments: [running.run.id], tooltip: 'Cancel this run' }));
      lenses.push(new vscode.CodeLens(top, { title: runLensTitle(running.run, running.counts), command: 'apflow.showRun', arguments: [running.run.id], tooltip: 'Show the run in the Runs view' }));
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
        lenses.push(new vscode.CodeLens(top, { title: runLensTitle(newest.run, newest.counts), command: 'apflow.showRun', arguments: [newest.run.id], tooltip: 'Show the run in the Runs view' }));
      }
    }
    const records = newest ? this.recordsOf(newest) : undefined;
    for (const task of outline.tasks) {
      const at = new vscode.Range(task.line, 0, task.line, 0);
      if (!running) {
        lenses.push(new vscode.CodeLens(at, { title: '▶ Run task', command: 'apflow.runTask', arguments: [uri, task.key], tooltip: `Run '${task.key}' and its dependencies` }));
      }
      const record = records?.get(task.id ?? `\0name:${task.name ?? ''}`);
      if (record && newest) {
        lenses.push(
          new vscode.CodeLens(at, {
            title: taskLensTitle(record),
            command: 'apflow.showTaskRecord',
            arguments: [{ runId: newest.run.id, taskId: record.id }],
            tooltip: 'Show the task record of the newest run',
          }),
        );
      }
    }
    return lenses;
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.emitter.dispose();
  }

  /** The newest run's tasks by id, and by name for tasks the file gives no id (the runtime generated one). */
  private recordsOf(entry: RunEntry) {
    if (!entry.tasks) {
      void this.runs.tasksOf(entry).then(() => this.emitter.fire());
      return undefined;
    }
    const map = new Map<string, (typeof entry.tasks)[number]>();
    for (const t of entry.tasks) {
      map.set(t.id, t);
      map.set(`\0name:${t.name}`, t);
    }
    return map;
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
