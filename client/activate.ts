// Activation: registers the language client, lenses, the Runs view, the record provider, commands and
// settings handling. Nothing here loads the runtime, the analysis core, the history or sql.js: RunService
// loads the runtime (dist/runtime-host.js) when a run starts, and the history (dist/history-host.js, its
// database in a worker) when the Runs view opens or a tree with a history is shown.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { PythonEnvironmentNotification, SETTING_DEFAULTS } from '../protocol';
import type { LanguageClient } from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { registerGraphViews, type GraphViews } from './graph/graphs';
import { lensHub } from './lens-hub';
import { LensRounds } from './lens-rounds';
import { APFLOW_DOCUMENTS } from './selectors';
import { ServerLensProvider } from './server-lenses';
import { RunLensProvider } from './lenses';
import { createLanguageClient } from './lsp';
import { RunProgress } from './progress';
import { RECORD_SCHEME, TaskRecordProvider } from './records';
import { RunDecorations } from './run-decorations';
import { RunPages } from './run-page/panel';
import { RunDiagnostics } from './run-diagnostics';
import { RunOutcomes } from './run-outcome';
import { registerPythonProbe } from './python';
import { loadBundle, RunService } from './runs';
import { ServerTokens } from './server-commands';
import { latestServer, reapServer } from './server-process';
import { registerServerSync } from './server-sync';
import { TaskLocator } from './task-locations';
import { registerTreeTests, type TreeTests } from './testing';
import type { RuntimeHost } from './runtime-host';
import { RunsTreeProvider, type RunsNode } from './view';

const moduleLoadedAt = performance.now();

/** What activate() returns: the extension's parts, for the extension-host tests. */
export interface TestApi {
  runs: RunService;
  view: RunsTreeProvider;
  treeView: vscode.TreeView<RunsNode>;
  tasks: TaskLocator;
  lenses: RunLensProvider;
  diagnostics: RunDiagnostics;
  progress: RunProgress;
  outcomes: RunOutcomes;
  decorations: RunDecorations;
  pages: RunPages;
  client: LanguageClient;
  graphs: GraphViews;
  /** Milliseconds spent in activate() (module evaluation included). */
  activationMs: number;
  historyPath: string;
  /** The newest lines the runs (and the server's health) wrote to the `apflow` output channel. */
  outputLines(): readonly string[];
  /** The Testing view's tree tests (issue 14). */
  treeTests: TreeTests;
  /** When the lens providers answered (the status bar waits for the server's at the end of a run). */
  lensRounds: LensRounds;
  /** The language server's process id, once it runs. */
  serverPid(): number | undefined;
}

let state: { runs: RunService; client: LanguageClient } | null = null;

export function activate(context: vscode.ExtensionContext): TestApi {
  const output = vscode.window.createOutputChannel('apflow', { log: true });
  const storage = context.storageUri ?? context.globalStorageUri;
  const historyPath = join(storage.fsPath, 'history.sqlite');
  const config = () => vscode.workspace.getConfiguration('apflow');
  // The last lines written by runs, kept for the tests (an output channel cannot be read back).
  const recentLines: string[] = [];
  const remember = (line: string) => {
    recentLines.push(line);
    if (recentLines.length > 500) recentLines.splice(0, 100);
  };
  const runs = new RunService({
    historyPath,
    maxRuns: () => Math.max(1, config().get<number>('history.maxRuns', SETTING_DEFAULTS.maxRuns)),
    log: (line, level = 'info') => {
      output[level](line);
      remember(line);
    },
  });
  const lensRounds = new LensRounds();
  const client = createLanguageClient(context, output, remember);
  const tasks = new TaskLocator(client);
  const view = new RunsTreeProvider(runs);
  const treeView = vscode.window.createTreeView('apflowRuns', { treeDataProvider: view, showCollapseAll: true });
  const lenses = new RunLensProvider(runs, lensRounds);
  const serverLenses = new ServerLensProvider(client, lensRounds);
  const diagnostics = new RunDiagnostics(tasks, (line) => output.appendLine(line));
  const progress = new RunProgress(runs, lensRounds.onDidAnswer, () => client.isRunning());
  const outcomes = new RunOutcomes(runs, (line) => output.appendLine(line));
  const decorations = new RunDecorations(runs, tasks, context.extensionUri);
  const records = new TaskRecordProvider(runs);
  const graphs = registerGraphViews({ client, runs, extensionUri: context.extensionUri });
  const pages = new RunPages(runs, context.extensionUri);

  const updateContext = () => {
    const all = runs.runs();
    void vscode.commands.executeCommand('setContext', 'apflow.hasRuns', all.length > 0);
    void vscode.commands.executeCommand('setContext', 'apflow.canRetry', all.some((e) => e.run.status === 'failed' || e.run.status === 'cancelled'));
  };

  context.subscriptions.push(
    output,
    lensRounds,
    tasks,
    view,
    treeView,
    lenses,
    diagnostics,
    progress,
    outcomes,
    decorations,
    records,
    pages,
    ...view.track(treeView),
    treeView.onDidChangeVisibility((e) => view.setVisible(e.visible)),
    lensHub().add({ language: 'apflow' }, lenses),
    serverLenses,
    lensHub().add(APFLOW_DOCUMENTS, serverLenses),
    vscode.workspace.registerTextDocumentContentProvider(RECORD_SCHEME, records),
    ...registerCommands({ runs, tasks, view, treeView, diagnostics, output, pages, extensionUri: context.extensionUri, tokens: new ServerTokens(context.secrets) }),
    ...registerServerSync(client, runs, lensRounds),
    ...graphs.disposables,
    ...registerPythonProbe(runs, (params) => void client.sendNotification(PythonEnvironmentNotification, params).catch(() => undefined)),
    runs.onDidChangeList(updateContext),
    runs.onDidFinishRun(updateContext),
    vscode.workspace.onDidChangeConfiguration((e) => {
      // Concurrency and private URLs are read when a run starts; the trace setting is followed by the
      // language client itself; retention needs the history re-opened (it prunes when it opens).
      if (e.affectsConfiguration('apflow.history.maxRuns')) void runs.reopen();
    }),
  );
  view.setVisible(treeView.visible);

  const started = client.start();
  started.catch((error: unknown) => output.appendLine(`the apflow language server did not start: ${error instanceof Error ? error.message : String(error)}`));
  // The runtime bundle is loaded when tree tests first run, as for a run.
  let runtime: RuntimeHost | undefined;
  const treeTests = registerTreeTests(client, started, () => (runtime ??= loadBundle<typeof import('./runtime-host')>('runtime-host').runtimeHost));
  context.subscriptions.push(...treeTests.disposables);
  state = { runs, client };
  const activationMs = performance.now() - moduleLoadedAt;
  return { runs, view, treeView, tasks, lenses, diagnostics, progress, outcomes, decorations, pages, client, graphs: graphs.views, activationMs, historyPath, outputLines: () => recentLines, treeTests: treeTests.tests, lensRounds, serverPid: () => (client.isRunning() ? latestServer()?.pid : undefined) };
}

export async function deactivate(): Promise<void> {
  if (!state) return;
  const { runs, client } = state;
  state = null;
  await Promise.all([runs.dispose(), client.stop(2000).catch(() => undefined)]);
  reapServer();
}
