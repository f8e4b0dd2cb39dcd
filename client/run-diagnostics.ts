// Run diagnostics (spec 4.2): after a run, an error on each failed task and an information on each
// blocked task naming its blocker, on the task item's first line (`- id: parse`: the task, not one of
// its keys; a whole item underlined would hide its text). A diagnostic goes away when its task's text is edited (the
// others follow their task as the text around them moves) and when the next run of the file starts.
// Tasks are located by the language server (task-locations.ts), so an update waits for its answer.
import * as vscode from 'vscode';
import type { TaskRecord } from '../runtime';
import { blockedMessage, failedMessage } from './format';
import type { TaskLocator } from './task-locations';

/** How long the diagnostics wait after an edit before they follow their tasks. */
const FOLLOW_DELAY_MS = 100;

interface RunFinding {
  taskId: string;
  taskName: string;
  severity: vscode.DiagnosticSeverity;
  message: string;
  /** The task's text when the run finished: an edit to it retires the finding. */
  text: string;
}

export class RunDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('apflow-run');
  private readonly findings = new Map<string, RunFinding[]>();
  /** Documents whose update is under way, and whether another edit came meanwhile. */
  private readonly updating = new Map<string, { again: boolean }>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly locator: TaskLocator,
    private readonly log: (line: string) => void,
  ) {
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0 && this.findings.has(e.document.uri.toString())) this.follow(e.document);
      }),
    ];
  }

  clear(uri: vscode.Uri): void {
    this.findings.delete(uri.toString());
    this.collection.delete(uri);
  }

  /** After a run of `document`'s file. */
  async publish(document: vscode.TextDocument, tasks: readonly TaskRecord[]): Promise<void> {
    const outline = await this.locator.outline(document);
    const findings: RunFinding[] = [];
    for (const t of tasks) {
      const failed = t.status === 'failed';
      const blocked = t.status === 'pending' && t.blocked_by !== null;
      if (!failed && !blocked) continue;
      const spot = outline.byRecord(t);
      if (!spot) continue;
      findings.push({
        taskId: t.id,
        taskName: t.name,
        severity: failed ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Information,
        message: failed ? failedMessage(t) : blockedMessage(t),
        text: document.getText(spot.range),
      });
    }
    if (findings.length === 0) this.clear(document.uri);
    else {
      this.findings.set(document.uri.toString(), findings);
      await this.update(document);
    }
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.collection.dispose();
  }

  /** One update at a time per document; edits during one lead to one more, for the newest text. */
  private follow(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    const running = this.updating.get(key);
    if (running) {
      running.again = true;
      return;
    }
    const state = { again: false };
    this.updating.set(key, state);
    const loop = async () => {
      do {
        state.again = false;
        // Typing comes in bursts: one request for the tasks' new places per pause, not per keystroke.
        await new Promise((resolve) => setTimeout(resolve, FOLLOW_DELAY_MS));
        await this.update(document);
      } while (state.again);
    };
    loop()
      .catch((error: unknown) => this.log(`run diagnostics of ${vscode.workspace.asRelativePath(document.uri)} not moved: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => this.updating.delete(key));
  }

  private async update(document: vscode.TextDocument): Promise<void> {
    const key = document.uri.toString();
    const outline = await this.locator.outline(document);
    // The text compared below must be the text the locations are for.
    if (outline.version !== document.version) return this.follow(document);
    const kept: RunFinding[] = [];
    const diagnostics: vscode.Diagnostic[] = [];
    for (const f of this.findings.get(key) ?? []) {
      const spot = outline.byRecord({ id: f.taskId, name: f.taskName });
      if (!spot || document.getText(spot.range) !== f.text) continue;
      kept.push(f);
      const d = new vscode.Diagnostic(itemHead(document, spot.range), f.message, f.severity);
      d.source = 'apflow-run';
      d.code = f.severity === vscode.DiagnosticSeverity.Error ? 'task-failed' : 'task-blocked';
      diagnostics.push(d);
    }
    if (kept.length === 0) this.clear(document.uri);
    else {
      this.findings.set(key, kept);
      this.collection.set(document.uri, diagnostics);
    }
  }
}

/** The first line of a task item, from its start to that line's end; the whole item when that line is just `{`. */
function itemHead(document: vscode.TextDocument, item: vscode.Range): vscode.Range {
  if (item.isSingleLine) return item;
  const head = new vscode.Range(item.start, document.lineAt(item.start.line).range.end);
  return document.getText(head).trim().length > 2 ? head : item;
}
