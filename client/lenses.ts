// The lenses above the tree (spec 4.2): `▶ Run task tree` / `↻ Retry failed (N)` / the last run, or
// `■ Cancel` / `preparing…` / `running · 3/7` while a run is prepared and goes. They sit on line 0, so
// they need no parse of the file. A file with errors is offered no run: the lens names the errors and
// opens the Problems panel. The lenses above each task (`▶ Run task`, the task's status in the newest
// run) come from the language server, which the extension tells about runs (server-sync.ts). Updated
// from the run model's coalesced events, never by polling; during a big run only with the language
// server's own lens refresh, since VS Code then asks every lens provider of the file again.
import * as vscode from 'vscode';
import { BIG_RUN_TASKS, liveIntervalMs, plural, progressCounter, retryCount, runLensTitle } from './format';
import type { LensRounds } from './lens-rounds';
import { Pace } from './pace';
import type { RunEntry, RunService } from './runs';
import { runPermission } from './trust';

/** The source of the language server's diagnostics (server/convert.ts). */
const SERVER_SOURCE = 'apflow';

export class RunLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[];
  /** Files whose history we have asked for (the history loads after the lenses first show). */
  private historyRequested = false;
  private readonly live = new Pace(() => this.refresh());
  /** Error counts of apflow documents, as the language server last published them. */
  private readonly errors = new Map<string, number>();
  /** How often and how long lenses were computed (the tests report it). */
  readonly stats = { provided: 0, totalMs: 0, lastMs: 0, lastChangeAt: 0 };

  constructor(
    private readonly runs: RunService,
    /** Told of each answer, so that the status bar knows when the lens above the tree shows a run's outcome. */
    private readonly rounds?: LensRounds,
  ) {
    this.subscriptions = [
      runs.onDidChangeList(() => this.refresh()),
      runs.onDidChangePreparation(() => this.refresh()),
      runs.onDidFinishRun(() => this.refresh()),
      runs.onDidChangeRuns((entries) => this.refreshLive(entries)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.refresh()),
      vscode.languages.onDidChangeDiagnostics((e) => {
        if (e.uris.some((uri) => this.errorsChanged(uri))) this.refresh();
      }),
    ];
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const started = performance.now();
    const lenses = this.compute(document);
    const ms = performance.now() - started;
    this.stats.provided++;
    this.stats.totalMs += ms;
    this.stats.lastMs = ms;
    this.rounds?.answered(document, started, 'extension');
    return lenses;
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.live.cancel();
    this.emitter.dispose();
  }

  private refresh(): void {
    this.live.cancel();
    this.stats.lastChangeAt = performance.now();
    this.emitter.fire();
  }

  /**
   * Progress of live runs, paced. Not for a big run: the language server's lens refresh after each
   * status update (server-sync.ts) has VS Code ask for these lenses too, and a second ticker would
   * cancel its requests.
   */
  private refreshLive(entries: readonly RunEntry[]): void {
    const small = entries.filter((e) => e.counts.total <= BIG_RUN_TASKS);
    if (small.length > 0) this.live.request(liveIntervalMs(0));
  }

  private errorsChanged(uri: vscode.Uri): boolean {
    const key = uri.toString();
    const count = vscode.languages.getDiagnostics(uri).filter((d) => d.source === SERVER_SOURCE && d.severity === vscode.DiagnosticSeverity.Error).length;
    if ((this.errors.get(key) ?? 0) === count) return false;
    if (count === 0) this.errors.delete(key);
    else this.errors.set(key, count);
    return true;
  }

  private compute(document: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    const permission = runPermission({ trusted: vscode.workspace.isTrusted, scheme: document.uri.scheme });
    if (!permission.allowed) {
      return [new vscode.CodeLens(top, { title: permission.lensTitle, command: permission.lensCommand ?? '', tooltip: `apflow: ${permission.message}` })];
    }
    const file = document.uri.fsPath;
    this.requestHistory();
    const lens = (title: string, command: string, args: unknown[], tooltip: string) => new vscode.CodeLens(top, { title, command, arguments: args, tooltip });
    const preparing = this.runs.preparingFor(file);
    if (preparing) return [lens('■ Cancel', 'apflow.cancelRun', [document.uri], 'Cancel this run'), lens('preparing…', '', [], 'Loading the runtime and checking the tree')];
    const running = this.runs.activeFor(file);
    if (running) {
      return [
        lens('■ Cancel', 'apflow.cancelRun', [running.run.id], 'Cancel this run'),
        lens(runLensTitle(running.run, running.counts), 'apflow.openRun', [running.run.id], `Open the run page: timeline, tasks and logs (${progressCounter(running.counts)} tasks done)`),
      ];
    }
    const lenses: vscode.CodeLens[] = [];
    const errors = this.errors.get(document.uri.toString()) ?? 0;
    if (errors > 0) lenses.push(lens(`$(error) ${plural(errors, 'error')}: fix to run`, 'workbench.actions.view.problems', [], 'apflow refuses a tree with errors; the Problems panel lists them'));
    else lenses.push(lens('▶ Run task tree', 'apflow.runTree', [document.uri], 'Run every task of this tree (apflow: Run Task Tree)'));
    const newest = this.runs.isLoaded ? this.runs.newestTreeRunFor(file) : undefined;
    if (newest) {
      if (errors === 0 && (newest.run.status === 'failed' || newest.run.status === 'cancelled')) {
        lenses.push(lens(`↻ Retry failed (${retryCount(newest.counts)})`, 'apflow.retryRun', [newest.run.id], 'Run again what did not complete; completed, unchanged tasks keep their results'));
      }
      lenses.push(lens(runLensTitle(newest.run, newest.counts), 'apflow.openRun', [newest.run.id], 'Open the run page: timeline, tasks and logs'));
    }
    return lenses;
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
