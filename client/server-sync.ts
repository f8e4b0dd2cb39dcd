// What the language server needs from the extension beyond LSP (protocol/): whether the workspace is
// trusted (it offers `▶ Run task` only where a run is allowed), the newest run of each open tree
// (`apflow/runStatus`: the task status lenses and hovers, live while the run goes), and the
// `apflow.showReferences` command its dependency lenses use (LSP carries plain JSON; VS Code's
// `editor.action.showReferences` wants URI, Position and Location objects).
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { RunStatusNotification, SETTING_DEFAULTS, SHOW_REFERENCES_COMMAND, WorkspaceTrustNotification, type RunStatusParams, type TaskRunRecord } from '../protocol';
import type { TaskRecord } from '../runtime';
import { liveIntervalMs, shownStatus, taskDuration, taskLensTitle } from './format';
import type { LensRounds } from './lens-rounds';
import { Pace } from './pace';
import type { RunEntry, RunService } from './runs';

/** The longest a big tree's final statuses wait for the lens above the tree to show the run's end. */
const LENS_ROUND_MAX_MS = 3000;

interface LspPosition {
  line: number;
  character: number;
}
interface LspLocation {
  uri: string;
  range: { start: LspPosition; end: LspPosition };
}

export function registerServerSync(client: LanguageClient, runs: RunService, lensRounds: LensRounds): vscode.Disposable[] {
  /** Per document URI (as the server knows it), what it was last told: a finished run's id, or `live:` for a run in progress. */
  const sent = new Map<string, string>();
  const notify = async (params: RunStatusParams) => {
    if (client.isRunning()) await client.sendNotification(RunStatusNotification, params);
  };

  const send = async (document: vscode.TextDocument) => {
    if (document.languageId !== 'apflow' || document.uri.scheme !== 'file' || !runs.isLoaded) return;
    const uri = client.code2ProtocolConverter.asUri(document.uri);
    const newest = runs.newestFor(document.uri.fsPath);
    if (!newest) {
      // The run was deleted or the history cleared: the server forgets it.
      if (sent.delete(uri)) await notify({ uri, runId: '', running: false, tasks: [] });
      return;
    }
    const key = newest.live ? `live:${newest.run.id}` : newest.run.id;
    if (!newest.live && sent.get(uri) === key) return;
    const tasks = await runs.tasksOf(newest);
    sent.set(uri, key);
    await notify({ uri, runId: newest.run.id, running: newest.live !== null, tasks: tasks.map(record) });
  };
  const sendAll = () => {
    for (const d of vscode.workspace.textDocuments) void send(d).catch(() => undefined);
  };
  /** Only the documents of these runs are told again. */
  const documentsOf = (entries: readonly RunEntry[]) => {
    const files = new Set(entries.map((e) => e.run.file));
    return vscode.workspace.textDocuments.filter((d) => files.has(d.uri.fsPath));
  };
  /** Per document URI, the pace of its live run's progress. */
  const live = new Map<string, Pace>();
  const sendNow = (entries: readonly RunEntry[]) => {
    for (const d of documentsOf(entries)) {
      live.get(d.uri.toString())?.cancel();
      void send(d).catch(() => undefined);
    }
  };
  /** Progress of live runs (the run model's coalesced task events), paced per document. */
  const sendProgress = (entries: readonly RunEntry[]) => {
    for (const d of documentsOf(entries.filter((e) => e.live))) {
      const key = d.uri.toString();
      let pace = live.get(key);
      if (!pace) live.set(key, (pace = new Pace(() => void send(d).catch(() => undefined))));
      pace.request(liveIntervalMs(entries.find((e) => e.run.file === d.uri.fsPath)?.tasks?.length ?? 0));
    }
  };
  /**
   * Above `apflow.codeLens.perTaskLimit` tasks the server shows the task status lenses only after the run
   * (server/lenses.ts): thousands at once, which the window takes seconds to lay out, and VS Code draws
   * none of a file's lenses before every provider's are in. So the server hears of the end once it has
   * answered a lens request made after it (with no task lenses, at once): "last run" then shows with the
   * status bar's outcome (progress.ts), and the task lenses follow.
   */
  const sendFinished = (entry: RunEntry) => {
    const limit = vscode.workspace.getConfiguration('apflow').get<number>('codeLens.perTaskLimit', SETTING_DEFAULTS.perTaskLimit);
    if ((entry.tasks?.length ?? 0) <= limit || !client.isRunning()) return sendNow([entry]);
    for (const d of documentsOf([entry])) live.get(d.uri.toString())?.cancel();
    const since = performance.now();
    const go = () => {
      answered.dispose();
      clearTimeout(timer);
      sendNow([entry]);
    };
    const answered = lensRounds.onDidAnswer((a) => a.file === entry.run.file && a.from === 'server' && a.requestedAt >= since && go());
    const timer = setTimeout(go, LENS_ROUND_MAX_MS);
  };
  const sendTrust = () => void client.sendNotification(WorkspaceTrustNotification, { trusted: vscode.workspace.isTrusted }).catch(() => undefined);

  return [
    runs.onDidStartRun((e) => sendNow([e])),
    runs.onDidChangeTasks((changes) => sendProgress(changes.map((c) => c.entry))),
    runs.onDidFinishRun(sendFinished),
    { dispose: () => live.forEach((pace) => pace.cancel()) },
    runs.onDidChangeList(sendAll),
    vscode.workspace.onDidOpenTextDocument((d) => void send(d).catch(() => undefined)),
    vscode.workspace.onDidCloseTextDocument((d) => {
      sent.delete(client.code2ProtocolConverter.asUri(d.uri));
      live.get(d.uri.toString())?.cancel();
      live.delete(d.uri.toString());
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(sendTrust),
    client.onDidChangeState(() => {
      sent.clear();
      sendAll();
    }),
    vscode.commands.registerCommand(SHOW_REFERENCES_COMMAND, (uri: string, position: LspPosition, locations: LspLocation[]) =>
      vscode.commands.executeCommand(
        'editor.action.showReferences',
        vscode.Uri.parse(uri),
        new vscode.Position(position.line, position.character),
        locations.map((l) => new vscode.Location(vscode.Uri.parse(l.uri), new vscode.Range(l.range.start.line, l.range.start.character, l.range.end.line, l.range.end.character))),
      ),
    ),
  ];
}

function record(t: TaskRecord): TaskRunRecord {
  const duration = taskDuration(t);
  return { id: t.id, name: t.name, status: shownStatus(t), ...(duration === null ? {} : { durationMs: duration }), title: taskLensTitle(t) };
}
