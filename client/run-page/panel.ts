// The run page (issue 13): one webview panel per run, opened by apflow.openRun from the Runs view,
// the lenses and the failure notification. The host sends a slim row per task once, then only the
// rows RunService reports changed (it coalesces a run's events to a few batches a second); the full
// record, the split inputs and the log go only for the selected task.
import * as vscode from 'vscode';
import type { TaskRecord } from '../../runtime';
import { baseName } from '../format';
import { short, type RunEntry, type RunService, type TaskChange } from '../runs';
import { webviewHtml } from '../webview/shell';
import type { FromPage, TaskDetails, ToPage } from './messages';
import { pageRun, pageTask, pageTasks, splitInputs } from './model';
import { RUN_PAGE_BODY, RUN_PAGE_CSS } from './page-html';

export const RUN_PAGE_VIEW = 'apflow.runPage';

export class RunPages implements vscode.Disposable {
  private readonly pages = new Map<string, RunPage>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly runs: RunService,
    private readonly extensionUri: vscode.Uri,
  ) {
    this.subscriptions = [
      runs.onDidChangeTasks((changes) => {
        for (const change of changes) this.pages.get(change.entry.run.id)?.tasksChanged(change);
      }),
      runs.onDidChangeRuns((entries) => {
        for (const entry of entries) this.pages.get(entry.run.id)?.runChanged();
      }),
    ];
  }

  /** Opens (or brings forward) the run's page, with `taskId` selected; `focusLog` scrolls to its log. */
  async open(runId: string, taskId?: string, focusLog = false): Promise<void> {
    await this.runs.load();
    const entry = this.runs.get(runId);
    if (!entry) throw new Error(`run ${short(runId)} is no longer in the history (deleted, or pruned by apflow.history.maxRuns)`);
    const tasks = await this.runs.tasksOf(entry);
    const selected = taskId === undefined ? null : tasks.findIndex((t) => t.id === taskId);
    if (selected !== null && selected < 0) throw new Error(`run ${short(runId)} has no task '${taskId}'`);
    const existing = this.pages.get(runId);
    if (existing) {
      existing.reveal(selected, focusLog);
      return;
    }
    const page = new RunPage(this.runs, entry, tasks, this.extensionUri, selected, focusLog);
    this.pages.set(runId, page);
    page.onDispose(() => this.pages.delete(runId));
  }

  /** Open pages by run id (the extension-host tests read them). */
  get openRuns(): string[] {
    return [...this.pages.keys()];
  }

  dispose(): void {
    for (const page of this.pages.values()) page.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}

class RunPage {
  private readonly panel: vscode.WebviewPanel;
  private readonly indexOf: Map<string, number>;
  private ready = false;

  constructor(
    private readonly runs: RunService,
    private readonly entry: RunEntry,
    private readonly tasks: TaskRecord[],
    extensionUri: vscode.Uri,
    private selected: number | null,
    private focusLog: boolean,
  ) {
    this.indexOf = new Map(tasks.map((t, i) => [t.id, i]));
    const root = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    this.panel = vscode.window.createWebviewPanel(RUN_PAGE_VIEW, title(entry), vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [root] });
    const webview = this.panel.webview;
    webview.html = webviewHtml(webview, {
      title: title(entry),
      scripts: [vscode.Uri.joinPath(root, 'run-page.js')],
      styles: [],
      css: RUN_PAGE_CSS,
      body: RUN_PAGE_BODY,
    });
    webview.onDidReceiveMessage((message: FromPage) => void this.receive(message).catch((error: unknown) => this.report(error)));
  }

  onDispose(listener: () => void): void {
    this.panel.onDidDispose(listener);
  }

  reveal(selected: number | null, focusLog: boolean): void {
    this.panel.reveal();
    if (selected === null) return;
    this.selected = selected;
    void this.post({ type: 'select', index: selected, focusLog });
    void this.sendDetails();
  }

  tasksChanged(change: TaskChange): void {
    if (!this.ready) return;
    const rows = change.indices.map((i) => pageTask(this.tasks[i], i, this.indexOf));
    void this.post({ type: 'update', run: pageRun(this.entry.run), tasks: rows, now: Date.now() });
    if (this.selected !== null && change.indices.includes(this.selected)) void this.sendDetails();
  }

  runChanged(): void {
    this.panel.title = title(this.entry);
    if (this.ready) void this.post({ type: 'update', run: pageRun(this.entry.run), tasks: [], now: Date.now() });
  }

  dispose(): void {
    this.panel.dispose();
  }

  private async receive(message: FromPage): Promise<void> {
    switch (message.type) {
      case 'ready':
        // Also after the panel was hidden and shown again: a webview without retained context starts over.
        this.ready = true;
        await this.post({ type: 'init', run: pageRun(this.entry.run), tasks: pageTasks(this.tasks), selected: this.selected, focusLog: this.focusLog, now: Date.now() });
        this.focusLog = false;
        if (this.selected !== null) await this.sendDetails();
        return;
      case 'select':
        this.selected = message.index;
        return this.sendDetails();
      case 'reveal':
        await vscode.commands.executeCommand('apflow.revealTask', { runId: this.entry.run.id, taskId: this.tasks[message.index].id });
        return;
      case 'json':
        await vscode.commands.executeCommand('apflow.showTaskRecord', { runId: this.entry.run.id, taskId: this.tasks[message.index].id });
        return;
      case 'openRun':
        await vscode.commands.executeCommand('apflow.openRun', message.runId);
    }
  }

  private async sendDetails(): Promise<void> {
    const index = this.selected;
    if (index === null || !this.tasks[index]) return;
    const task = this.tasks[index];
    const events = await this.runs.eventsOf(this.entry.run.id, task.id);
    const details: TaskDetails = {
      index,
      inputs: splitInputs(task, this.entry.run),
      result: task.result ?? null,
      error: task.error,
      attempts: pageTask(task, index, this.indexOf).attempts,
      hooks: task.hooks ?? [],
      blockedBy: task.blocked_by,
      carriedFrom: task.origin_type === 'link' ? (this.entry.run.parent_run_id ?? null) : null,
      log: events ? events.filter((e) => e.kind === 'log').map((e) => e.message ?? '') : null,
    };
    await this.post({ type: 'details', details });
  }

  private post(message: ToPage): Thenable<boolean> {
    return this.panel.webview.postMessage(message);
  }

  private report(error: unknown): void {
    void vscode.window.showErrorMessage(`apflow: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function title(entry: RunEntry): string {
  const status = entry.run.status === 'running' ? 'running' : entry.run.status;
  return `${baseName(entry.run.file)} · run ${short(entry.run.id)} · ${status}`;
}
