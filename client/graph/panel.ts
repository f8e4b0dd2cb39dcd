// One graph view: a webview panel showing one tree file's graph (issue 13). It asks the language
// server for the graph (apflow/graph) when the page is ready and after each edit, forwards the
// newest run's statuses, reveals a clicked task in the editor and runs what the node menu asks for —
// the view itself runs nothing, and in an untrusted workspace its run items are neither shown nor obeyed.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { TaskGraphRequest, viewGraph, type FromGraphView, type GraphCommand, type TaskGraph, type ToGraphView } from '../../protocol';
import { baseName } from '../format';
import type { RunService } from '../runs';
import { runPermission } from '../trust';
import { escapeHtml, webviewHtml } from '../webview/shell';
import { GraphStatusFeed } from './status-feed';

export const GRAPH_VIEW_TYPE = 'apflow.graph';
/** How long after the last keystroke the graph is asked for again. */
const EDIT_DELAY_MS = 300;
/** How long a page may take to start before it is set again, and how many times it is set at most. */
const PAGE_START_MS = 5000;
const PAGE_START_ATTEMPTS = 3;

export interface GraphDeps {
  client: LanguageClient;
  runs: RunService;
  extensionUri: vscode.Uri;
}

/** What a panel measured when it last drew (the UI test and docs/graph.md read these). */
export interface PaintFigures {
  nodes: number;
  layoutMs: number;
  sinceRequestMs: number;
}

export function graphPanelOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
  };
}

export class GraphPanel implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly feed: GraphStatusFeed;
  private graph: TaskGraph | null = null;
  private timer: NodeJS.Timeout | undefined;
  private startTimer: NodeJS.Timeout | undefined;
  /** The page has started (its script said so). */
  private ready = false;
  private readonly disposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposed.event;
  lastPaint: PaintFigures | null = null;
  /** Status messages sent, the task entries they carried, and when the first and last went (the extension test's figures). */
  readonly sent = { status: 0, entries: 0, firstAt: 0, lastAt: 0 };

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly uri: vscode.Uri,
    private readonly deps: GraphDeps,
  ) {
    const webview = panel.webview;
    webview.options = graphPanelOptions(deps.extensionUri);
    panel.title = `Graph: ${baseName(uri.fsPath || uri.path)}`;
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'apflow.svg');
    this.load();
    this.feed = new GraphStatusFeed(deps.runs, uri.fsPath, (message) => this.post(message));
    this.subscriptions.push(
      this.feed,
      webview.onDidReceiveMessage((message: FromGraphView) => void this.onMessage(message)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() !== uri.toString() || e.contentChanges.length === 0) return;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.refresh(), EDIT_DELAY_MS);
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.refresh()),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /**
   * Sets the page, and sets it again if it has not said it is ready within PAGE_START_MS: after a window
   * reload, the first restored panel's scripts and styles sometimes never load in code-server (the page
   * stays at "Loading the graph…"), and a fresh page loads them.
   */
  private load(attempt = 1): void {
    const webview = this.panel.webview;
    const dist = vscode.Uri.joinPath(this.deps.extensionUri, 'dist', 'webview');
    const uri = this.uri;
    webview.html = webviewHtml(webview, {
      title: this.panel.title,
      scripts: [vscode.Uri.joinPath(dist, 'graph.js')],
      styles: [vscode.Uri.joinPath(dist, 'graph.css')],
      workers: true,
      body: `<header><span class="info" id="summary">Loading the graph of ${escapeHtml(baseName(uri.fsPath || uri.path))}…</span><span id="path"></span><button id="collapse" title="Close every nested group">Collapse Groups</button><button id="fit" title="Fit the drawing to the panel">Fit</button></header>
<svg id="graph" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Task graph"><g id="scene"></g></svg>
<div id="menu" role="menu" hidden></div>`,
      // The layout's worker script, and the file shown (kept in the page's state for the serializer).
      data: {
        uri: uri.toString(),
        'elk-worker': webview.asWebviewUri(vscode.Uri.joinPath(dist, 'elk-worker.min.js')).toString(),
      },
    });
    this.watchStart(attempt);
  }

  /** A hidden panel's page starts only when shown: it is given its time from then. */
  private watchStart(attempt: number): void {
    clearTimeout(this.startTimer);
    if (attempt >= PAGE_START_ATTEMPTS) return;
    this.startTimer = setTimeout(() => {
      if (this.ready) return;
      if (this.panel.visible) this.load(attempt + 1);
      else this.watchStart(attempt);
    }, PAGE_START_MS);
  }

  /** The editor's cursor moved to `position` in this file: highlight the task there. */
  cursorAt(position: vscode.Position): void {
    if (!this.graph) return;
    this.post({
      type: 'select',
      index: nodeAt(this.graph, position.line, position.character),
    });
  }

  reveal(column?: vscode.ViewColumn): void {
    this.panel.reveal(column, true);
  }

  dispose(): void {
    clearTimeout(this.timer);
    clearTimeout(this.startTimer);
    this.subscriptions.forEach((s) => s.dispose());
    this.subscriptions.length = 0;
    this.disposed.fire();
    this.disposed.dispose();
  }

  private canRun(): boolean {
    return runPermission({
      trusted: vscode.workspace.isTrusted,
      scheme: this.uri.scheme,
    }).allowed;
  }

  private post(message: ToGraphView): void {
    if (message.type === 'status') {
      const now = performance.now();
      this.sent.status++;
      this.sent.entries += message.tasks.length;
      this.sent.firstAt ||= now;
      this.sent.lastAt = now;
    }
    void this.panel.webview.postMessage(message);
  }

  /** Asks the server for the graph of the file as it is now and sends it to the page. */
  async refresh(): Promise<void> {
    try {
      // Opening the document makes the server analyse it (a restored panel may come before its editor).
      await vscode.workspace.openTextDocument(this.uri);
      const requestedAt = Date.now();
      const graph = await this.request();
      if (!graph) {
        this.post({ type: 'graph', file: baseName(this.uri.fsPath), graph: { version: 0, nodes: [], edges: [], dangling: [] }, canRun: false, requestedAt });
        return;
      }
      this.graph = graph;
      this.post({ type: 'graph', file: baseName(this.uri.fsPath || this.uri.path), graph: viewGraph(graph), canRun: this.canRun(), requestedAt });
      await this.feed.setTasks(graph.nodes);
    } catch (error) {
      void vscode.window.showErrorMessage(`apflow: the graph of ${baseName(this.uri.fsPath)} could not be shown: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * The graph, waiting (up to a minute) for the server to start and to open the document: after a
   * window reload, a restored panel asks while the server is still starting and analysing the restored
   * editors, which took over 10 s on a loaded machine.
   */
  private async request(): Promise<TaskGraph | null> {
    const until = Date.now() + 60_000;
    for (;;) {
      const graph = await this.deps.client.sendRequest(TaskGraphRequest, {
        textDocument: {
          uri: this.deps.client.code2ProtocolConverter.asUri(this.uri),
        },
      });
      if (graph || Date.now() > until) return graph;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private async onMessage(message: FromGraphView): Promise<void> {
    if (message.type === 'ready') {
      this.ready = true;
      return this.refresh();
    }
    if (message.type === 'painted') {
      this.lastPaint = {
        nodes: message.nodes,
        layoutMs: message.layoutMs,
        sinceRequestMs: message.sinceRequestMs,
      };
      return;
    }
    const node = this.graph?.nodes[message.index];
    if (!node) return;
    if (message.type === 'reveal') {
      const document = await vscode.workspace.openTextDocument(this.uri);
      const column = vscode.window.visibleTextEditors.find((e) => e.document === document)?.viewColumn ?? vscode.ViewColumn.One;
      const selection = this.deps.client.protocol2CodeConverter.asRange(node.selectionRange);
      const editor = await vscode.window.showTextDocument(document, {
        viewColumn: column,
        selection,
        preserveFocus: false,
      });
      editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
      return;
    }
    await this.command(message.command, node.index, node.key);
  }

  private async command(command: GraphCommand, index: number, key: string): Promise<void> {
    if (command === 'showTaskLog') {
      const found = this.feed.recordOf(index);
      if (!found) return void vscode.window.showInformationMessage(`apflow: task '${key}' has no record in the newest run of ${baseName(this.uri.fsPath)}.`);
      await vscode.commands.executeCommand('apflow.showTaskLog', {
        runId: found.entry.run.id,
        taskId: found.record.id,
      });
      return;
    }
    const permission = runPermission({
      trusted: vscode.workspace.isTrusted,
      scheme: this.uri.scheme,
    });
    if (!permission.allowed) return void vscode.window.showInformationMessage(permission.message);
    if (command === 'runTask') await vscode.commands.executeCommand('apflow.runTask', this.uri.toString(), key);
    else {
      const run = this.feed.run;
      if (!run) return void vscode.window.showInformationMessage(`apflow: ${baseName(this.uri.fsPath)} has no run to retry yet.`);
      await vscode.commands.executeCommand('apflow.retryRun', run.run.id);
    }
  }
}

/** The task whose item holds (line, character), by binary search over the items in file order; -1 if none. */
export function nodeAt(graph: TaskGraph, line: number, character: number): number {
  const before = (a: { line: number; character: number }) => a.line < line || (a.line === line && a.character <= character);
  let lo = 0;
  let hi = graph.nodes.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (before(graph.nodes[mid].range.start)) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0) return -1;
  const end = graph.nodes[found].range.end;
  return end.line > line || (end.line === line && end.character >= character) ? found : -1;
}
