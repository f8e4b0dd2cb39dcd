// Each task's status in the newest run of its file, in colour in the editor: a gutter icon on the task's
// first line and a mark in the overview ruler, in the theme's test colours (the lenses say it in words).
// Live during a run, at the pace the lenses keep (format.ts liveIntervalMs); positioned by the language
// server's task locations (task-locations.ts), like the run diagnostics.
import * as vscode from 'vscode';
import { liveIntervalMs, shownStatus, type ShownStatus } from './format';
import type { RunEntry, RunService } from './runs';
import type { TaskLocator } from './task-locations';

const RULER_COLOURS: Record<ShownStatus, string> = {
  completed: 'testing.iconPassed',
  failed: 'testing.iconFailed',
  blocked: 'testing.iconSkipped',
  cancelled: 'testing.iconErrored',
  in_progress: 'testing.iconQueued',
  pending: 'testing.iconUnset',
};

/** How long after an edit the icons follow their tasks. */
const FOLLOW_DELAY_MS = 300;

export class RunDecorations implements vscode.Disposable {
  private readonly types: Record<ShownStatus, vscode.TextEditorDecorationType>;
  private readonly subscriptions: vscode.Disposable[];
  private readonly pending = new Map<string, NodeJS.Timeout>();
  /** The newest decoration of each document, by status and count (the tests read it). */
  readonly shown = new Map<string, Partial<Record<ShownStatus, number>>>();

  constructor(
    private readonly runs: RunService,
    private readonly locator: TaskLocator,
    extensionUri: vscode.Uri,
  ) {
    const type = (status: ShownStatus) =>
      vscode.window.createTextEditorDecorationType({
        gutterIconPath: vscode.Uri.joinPath(extensionUri, 'media', 'status', `${status}.svg`),
        gutterIconSize: '80%',
        overviewRulerColor: new vscode.ThemeColor(RULER_COLOURS[status]),
        overviewRulerLane: vscode.OverviewRulerLane.Left,
      });
    this.types = { completed: type('completed'), failed: type('failed'), blocked: type('blocked'), cancelled: type('cancelled'), in_progress: type('in_progress'), pending: type('pending') };
    const files = (entries: readonly RunEntry[]) => new Set(entries.map((e) => e.run.file));
    this.subscriptions = [
      runs.onDidChangeList(() => this.schedule(null, 0)),
      runs.onDidStartRun((e) => this.schedule(files([e]), 0)),
      runs.onDidFinishRun((e) => this.schedule(files([e]), 0)),
      runs.onDidChangeTasks((changes) => this.schedule(files(changes.map((c) => c.entry)), liveIntervalMs(Math.max(0, ...changes.map((c) => c.entry.counts.total))))),
      vscode.window.onDidChangeVisibleTextEditors(() => this.schedule(null, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => e.contentChanges.length > 0 && this.schedule(new Set([e.document.uri.fsPath]), FOLLOW_DELAY_MS)),
    ];
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.pending.forEach((t) => clearTimeout(t));
    Object.values(this.types).forEach((t) => t.dispose());
  }

  /** Redraws the visible editors of these files (null: all) after `ms`, once per file however often asked. */
  private schedule(files: Set<string> | null, ms: number): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const { document } = editor;
      if (document.languageId !== 'apflow' || document.uri.scheme !== 'file') continue;
      const file = document.uri.fsPath;
      if (files && !files.has(file)) continue;
      if (this.pending.has(file) && ms > 0) continue;
      clearTimeout(this.pending.get(file));
      this.pending.set(
        file,
        setTimeout(() => {
          this.pending.delete(file);
          void this.draw(file).catch(() => undefined);
        }, ms),
      );
    }
  }

  private async draw(file: string): Promise<void> {
    const editors = vscode.window.visibleTextEditors.filter((e) => e.document.uri.fsPath === file);
    if (editors.length === 0 || !this.runs.isLoaded) return;
    const entry = this.runs.newestFor(file);
    const byStatus = new Map<ShownStatus, vscode.Range[]>();
    if (entry) {
      const tasks = await this.runs.tasksOf(entry);
      const outline = await this.locator.outline(editors[0].document);
      for (const t of tasks) {
        const spot = outline.byRecord(t);
        if (!spot) continue;
        const status = shownStatus(t);
        const at = new vscode.Range(spot.range.start, spot.range.start);
        const list = byStatus.get(status);
        if (list) list.push(at);
        else byStatus.set(status, [at]);
      }
    }
    const counts: Partial<Record<ShownStatus, number>> = {};
    for (const [status, type] of Object.entries(this.types) as [ShownStatus, vscode.TextEditorDecorationType][]) {
      const ranges = byStatus.get(status) ?? [];
      if (ranges.length > 0) counts[status] = ranges.length;
      for (const editor of editors) editor.setDecorations(type, ranges);
    }
    this.shown.set(file, counts);
  }
}
