// What the language server needs from the extension beyond LSP (server/protocol.ts): the newest run's
// outcome per task of each open tree (`apflow/runStatus`, shown in hovers on references), and the
// `apflow.showReferences` command its static code lenses use (LSP carries plain JSON; VS Code's
// `editor.action.showReferences` wants URI, Position and Location objects).
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { RunStatusParams, TaskRunStatus } from '../server/protocol';
import { shownStatus, taskDuration } from './format';
import type { RunService } from './runs';
import type { TaskIndex } from './tasks';

const RUN_STATUS = 'apflow/runStatus';

interface LspPosition {
  line: number;
  character: number;
}
interface LspLocation {
  uri: string;
  range: { start: LspPosition; end: LspPosition };
}

export function registerServerSync(client: LanguageClient, runs: RunService, index: TaskIndex): vscode.Disposable[] {
  const sent = new Map<string, string>();

  const send = async (document: vscode.TextDocument) => {
    if (document.languageId !== 'apflow' || document.uri.scheme !== 'file' || !runs.isLoaded) return;
    const newest = runs.newestFor(document.uri.fsPath);
    if (!newest || newest.live) return;
    const outline = index.outline(document);
    const tasks: TaskRunStatus[] = (await runs.tasksOf(newest)).map((t) => {
      const duration = taskDuration(t);
      return { key: outline.byRecord(t)?.key ?? t.id, status: shownStatus(t), ...(duration === null ? {} : { durationMs: duration }) };
    });
    const params: RunStatusParams = { uri: client.code2ProtocolConverter.asUri(document.uri), tasks };
    const key = `${newest.run.id}`;
    if (sent.get(params.uri) === key) return;
    sent.set(params.uri, key);
    if (client.isRunning()) await client.sendNotification(RUN_STATUS, params);
  };
  const sendAll = () => {
    for (const d of vscode.workspace.textDocuments) void send(d).catch(() => undefined);
  };

  return [
    runs.onDidFinishRun(sendAll),
    runs.onDidChangeList(sendAll),
    vscode.workspace.onDidOpenTextDocument((d) => void send(d).catch(() => undefined)),
    vscode.workspace.onDidCloseTextDocument((d) => sent.delete(client.code2ProtocolConverter.asUri(d.uri))),
    client.onDidChangeState(() => {
      sent.clear();
      sendAll();
    }),
    vscode.commands.registerCommand('apflow.showReferences', (uri: string, position: LspPosition, locations: LspLocation[]) =>
      vscode.commands.executeCommand(
        'editor.action.showReferences',
        vscode.Uri.parse(uri),
        new vscode.Position(position.line, position.character),
        locations.map((l) => new vscode.Location(vscode.Uri.parse(l.uri), new vscode.Range(l.range.start.line, l.range.start.character, l.range.end.line, l.range.end.character))),
      ),
    ),
  ];
}
