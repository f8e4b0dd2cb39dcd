// The commands of spec 4.2. Each that needs a file takes it from its argument (a URI from a lens or the
// explorer, a Runs view item, a run id) or else from the active editor.
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { REDIS_PASSWORD_ENV, SETTING_DEFAULTS } from '../protocol';
import type { TaskRecord } from '../runtime';
import { baseName, plural, relativeTime } from './format';
import { recordUri } from './records';
import type { RunPages } from './run-page/panel';
import type { RunDiagnostics } from './run-diagnostics';
import { short, type RunEntry, type RunService, type StartRequest } from './runs';
import type { TaskLocator, TreeOutline } from './task-locations';
import { pythonChoice } from './python';
import { pickServer, type ServerTokens } from './server-commands';
import { runPermission } from './trust';
import type { PreparingNode, RunNode, RunsNode, RunsTreeProvider, TaskNode } from './view';

export interface CommandContext {
  runs: RunService;
  tasks: TaskLocator;
  view: RunsTreeProvider;
  treeView: vscode.TreeView<RunsNode>;
  diagnostics: RunDiagnostics;
  output: vscode.OutputChannel;
  pages: RunPages;
  /** Where the extension is installed: its docs/ ship with it. */
  extensionUri: vscode.Uri;
  /** apflow servers' tokens, in VS Code's SecretStorage (issue 15). */
  tokens: ServerTokens;
}

/** What a record command may be given: a Runs view item, or `{ runId, taskId }` (lenses). */
type TaskArg = TaskNode | { runId: string; taskId: string };
type RunArg = RunNode | TaskNode | PreparingNode | string;

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  const { runs } = ctx;
  const register = (id: string, handler: (...args: never[]) => unknown) =>
    vscode.commands.registerCommand(id, async (...args: never[]) => {
      try {
        return await handler(...args);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        ctx.output.appendLine(`${id} failed: ${error instanceof Error && error.stack ? error.stack : message}`);
        void vscode.window.showErrorMessage(`apflow: ${message}`);
        return undefined;
      }
    });

  const runTree = async (arg?: vscode.Uri | RunArg) => {
    const document = await treeDocument(ctx, arg);
    return document && startRun(ctx, document, {});
  };

  // `uri` is a string when the command comes from the language server's `▶ Run task` lens.
  const runTask = async (arg?: vscode.Uri | string | TaskNode, key?: string) => {
    if (isTaskNode(arg)) {
      const document = await openFile(arg.entry.run.file);
      const record = recordOf(arg);
      const spot = (await ctx.tasks.outline(document)).byRecord(record);
      return startRun(ctx, document, { task: spot?.key ?? record.id });
    }
    const document = await treeDocument(ctx, typeof arg === 'string' ? vscode.Uri.parse(arg) : arg);
    if (!document) return undefined;
    let task = key;
    if (task === undefined) {
      task = await pickTask(ctx, document, 'Run which task (with its dependencies)?');
      if (task === undefined) return undefined;
    }
    return startRun(ctx, document, { task });
  };

  const retryRun = async (arg?: RunArg) => {
    await runs.load();
    const entry = runOf(ctx, arg) ?? retryableFor(ctx);
    if (!entry) {
      void vscode.window.showInformationMessage('apflow: there is no failed or cancelled run to retry.');
      return undefined;
    }
    if (entry.run.status !== 'failed' && entry.run.status !== 'cancelled') {
      void vscode.window.showInformationMessage(`apflow: run ${short(entry.run.id)} ${entry.run.status === 'running' ? 'is still running' : 'completed'}; only failed or cancelled runs can be retried.`);
      return undefined;
    }
    const document = await openFile(entry.run.file);
    return startRun(ctx, document, { retryOf: entry });
  };

  const cancelRun = async (arg?: RunArg | vscode.Uri) => {
    // A run still being prepared is cancelled from its lens or notification, by file.
    const file = arg instanceof vscode.Uri ? arg.fsPath : arg === undefined ? vscode.window.activeTextEditor?.document.uri.fsPath : undefined;
    const preparing = isPreparingNode(arg) ? arg.preparation : file ? runs.preparingFor(file) : undefined;
    if (preparing) return runs.cancel(preparing);
    let entry = arg instanceof vscode.Uri ? runs.activeFor(arg.fsPath) : runOf(ctx, arg);
    if (!entry) {
      const active = runs.active();
      const file = vscode.window.activeTextEditor?.document.uri.fsPath;
      entry = active.find((e) => e.run.file === file) ?? (active.length === 1 ? active[0] : await pickRun(active, 'Cancel which run?'));
    }
    if (!entry?.live) {
      if (arg !== undefined) void vscode.window.showInformationMessage('apflow: that run is not running.');
      return false;
    }
    return runs.cancel(entry);
  };

  const showTaskRecord = async (arg?: TaskArg) => {
    let key = taskKeyOf(arg);
    if (!key) {
      await runs.load();
      const file = vscode.window.activeTextEditor?.document.uri.fsPath;
      const entry = (file && runs.newestFor(file)) || runs.runs()[0];
      if (!entry) return void vscode.window.showInformationMessage('apflow: no runs yet.');
      const tasks = await runs.tasksOf(entry);
      const picked = await vscode.window.showQuickPick(
        tasks.map((t) => ({ label: t.id, description: t.status, detail: t.error ?? undefined })),
        { placeHolder: `Show the record of which task of run ${short(entry.run.id)} (${baseName(entry.run.file)})?` },
      );
      if (!picked) return undefined;
      key = { runId: entry.run.id, taskId: picked.label };
    }
    // The name has no .json extension (it names the task and the run): the language is set instead.
    const document = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(recordUri(key.runId, key.taskId)), 'json');
    await vscode.window.showTextDocument(document, { preview: true });
    return document.uri;
  };

  const revealTask = async (arg?: TaskArg | vscode.Uri, taskKey?: string) => {
    let document: vscode.TextDocument | undefined;
    let find: (outline: TreeOutline) => ReturnType<TreeOutline['byKey']>;
    const key = arg instanceof vscode.Uri ? undefined : taskKeyOf(arg);
    if (key) {
      await runs.load();
      const entry = runs.get(key.runId);
      if (!entry) throw new Error(`run ${key.runId} is no longer in the history`);
      const record = (await runs.tasksOf(entry)).find((t) => t.id === key.taskId);
      if (!record) throw new Error(`run ${short(key.runId)} has no task '${key.taskId}'`);
      document = await openFile(entry.run.file);
      find = (outline) => outline.byRecord(record);
    } else {
      document = await treeDocument(ctx, arg instanceof vscode.Uri ? arg : undefined);
      if (!document) return undefined;
      let wanted = taskKey;
      if (wanted === undefined) {
        wanted = await pickTask(ctx, document, 'Reveal which task?');
        if (wanted === undefined) return undefined;
      }
      const w = wanted;
      find = (outline) => outline.byKey(w);
    }
    const spot = find(await ctx.tasks.outline(document));
    if (!spot) throw new Error(`the task is no longer in ${baseName(document.uri.fsPath)}`);
    const editor = await vscode.window.showTextDocument(document, { selection: spot.nameKeyRange, preview: false });
    editor.revealRange(spot.range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return spot.key;
  };

  const deleteRun = async (arg?: RunArg) => {
    await runs.load();
    const entry = runOf(ctx, arg) ?? (await pickRun(runs.runs().filter((e) => !e.live), 'Delete which run?'));
    if (!entry) return false;
    await runs.delete(entry);
    return true;
  };

  const clearHistory = async (options?: { confirm?: boolean }) => {
    await runs.load();
    if (runs.runs().length === 0) return 0;
    if (options?.confirm !== false) {
      const answer = await vscode.window.showWarningMessage(`Delete all ${runs.runs().filter((e) => !e.live).length} runs from the apflow run history?`, { modal: true }, 'Clear History');
      if (answer !== 'Clear History') return 0;
    }
    return runs.clear();
  };

  const exportTree = async (arg?: vscode.Uri | RunArg) => {
    const document = await treeDocument(ctx, arg);
    if (!document) return undefined;
    const shown = baseName(document.uri.fsPath || document.uri.path);
    const target = vscode.workspace.getConfiguration('apflow', document.uri).get<string | null>('target', null);
    const result = runs.runtime().exportTree(document.getText(), document.uri.scheme === 'file' ? document.uri.fsPath : document.uri.path, target);
    if (!result.ok) {
      for (const d of result.errors) ctx.output.appendLine(`${shown}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.code}: ${d.message}`);
      void vscode.window.showErrorMessage(`apflow: not exported: apflow would refuse ${shown} (${plural(result.errors.length, 'error')}). See the Problems panel.`);
      return undefined;
    }
    const exported = await vscode.workspace.openTextDocument({ language: 'json', content: `${JSON.stringify(result.tasks, null, 2)}\n` });
    await vscode.window.showTextDocument(exported, { preview: false });
    return exported.uri;
  };

  // Issue 15: `uri` and `url` let lenses, tests and keybindings skip the pickers.
  const runOnServer = async (arg?: vscode.Uri | RunArg, url?: string) => {
    const document = await treeDocument(ctx, arg);
    if (!document) return undefined;
    const server = url ?? (await pickServer(document.uri));
    return server && startRun(ctx, document, { server });
  };

  const setServerToken = async (url?: string, token?: string) => {
    const server = url ?? (await pickServer());
    if (!server) return false;
    const value = token ?? (await ctx.tokens.ask(server));
    if (value === undefined) return false;
    await ctx.tokens.set(server, value);
    return true;
  };

  // A run id (lenses, notifications) or a Runs view item; a task item, or a second argument, selects the task.
  const openRun = async (arg?: RunArg, taskId?: string) => {
    await runs.load();
    if (typeof arg === 'string' && !runs.get(arg)) throw new Error(`run ${short(arg)} is no longer in the history (deleted, or pruned by apflow.history.maxRuns)`);
    const file = vscode.window.activeTextEditor?.document.uri.fsPath;
    const entry = runOf(ctx, arg) ?? (file && runs.newestFor(file)) ?? (await pickRun([...runs.runs()], 'Open the page of which run?'));
    if (!entry) return undefined;
    const task = isTaskNode(arg) ? recordOf(arg).id : taskId;
    await ctx.pages.open(entry.run.id, task);
    return entry.run.id;
  };

  const showTaskLog = async (arg?: TaskArg) => {
    const key = taskKeyOf(arg);
    if (!key) throw new Error('Show Task Log needs a task: use it on a task in the Runs view or the run page');
    await ctx.pages.open(key.runId, key.taskId, true);
  };

  const showRun = async (runId?: string) => {
    await runs.load();
    const entry = runId ? runs.get(runId) : runs.runs()[0];
    if (!entry) return;
    await ctx.treeView.reveal(ctx.view.runNode(entry), { select: true, focus: true, expand: true });
  };

  return [
    register('apflow.runTree', runTree),
    register('apflow.runTask', runTask),
    register('apflow.retryRun', retryRun),
    register('apflow.cancelRun', cancelRun),
    register('apflow.showTaskRecord', showTaskRecord),
    register('apflow.revealTask', revealTask),
    register('apflow.deleteRun', deleteRun),
    register('apflow.clearHistory', clearHistory),
    register('apflow.exportTree', exportTree),
    register('apflow.showRun', showRun),
    register('apflow.runOnServer', runOnServer),
    register('apflow.setServerToken', setServerToken),
    register('apflow.openRun', openRun),
    register('apflow.showTaskLog', showTaskLog),
  ];
}

/**
/**
 * `apflow.run.redis` (issue 15): the queue the document's runs go to, or none. The password may come from
 * APFLOW_REDIS_PASSWORD in VS Code's environment rather than the settings file (as for the CLI).
 */
function queueSetting(config: vscode.WorkspaceConfiguration, document: vscode.TextDocument): StartRequest['queue'] {
  const redis = config.get<string>('run.redis', '').trim();
  if (!redis) return undefined;
  const workspaceDir = vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath ?? dirname(document.uri.fsPath);
  return { redis, password: process.env[REDIS_PASSWORD_ENV], queue: config.get<string>('run.queue', '') || undefined, workspaceDir };
}

/**
 * Starts a run of the document's current text (unsaved edits included), here, on an apflow server (a
 * retry goes where the retried run ran) or on queue workers (`apflow.run.redis`); returns the run id.
 */
async function startRun(ctx: CommandContext, document: vscode.TextDocument, what: { task?: string; retryOf?: RunEntry; server?: string }): Promise<string | undefined> {
  const permission = runPermission({ trusted: vscode.workspace.isTrusted, scheme: document.uri.scheme });
  if (!permission.allowed) {
    const action = permission.lensCommand ? 'Manage Workspace Trust' : undefined;
    void vscode.window.showWarningMessage(`apflow: ${permission.message}`, ...(action ? [action] : [])).then((answer) => {
      if (answer && permission.lensCommand) void vscode.commands.executeCommand(permission.lensCommand);
    });
    return undefined;
  }
  const config = vscode.workspace.getConfiguration('apflow', document.uri);
  const file = document.uri.fsPath;
  const serverUrl = what.server ?? what.retryOf?.run.server;
  const server = serverUrl === undefined ? undefined : await ctx.tokens.endpoint(serverUrl);
  if (serverUrl !== undefined && !server) return undefined;
  ctx.diagnostics.clear(document.uri);
  const result = await ctx.runs.start({
    text: document.getText(),
    file,
    concurrency: Math.max(1, config.get<number>('run.concurrency', SETTING_DEFAULTS.concurrency)),
    // The setting, or apflow's own switch in the environment (as the CLI honours it).
    allowPrivateUrls: config.get<boolean>('rest.allowPrivateUrls', false) || process.env.APFLOW_REST_ALLOW_PRIVATE_URLS === '1',
    task: what.task,
    retryOf: what.retryOf,
    target: config.get<string | null>('target', null),
    python: pythonChoice(document),
    server,
    queue: server ? undefined : queueSetting(config, document),
  });
  if (result.kind === 'cancelled') return undefined;
  if (result.kind === 'error' && result.auth && serverUrl !== undefined) {
    // The stored token is wrong or expired: forget it, so that the next run asks again.
    await ctx.tokens.set(serverUrl, undefined);
    void vscode.window.showErrorMessage(`apflow: ${result.message}`, 'Enter Token…').then((answer) => {
      if (answer) void vscode.commands.executeCommand('apflow.setServerToken', serverUrl);
    });
    return undefined;
  }
  if (result.kind === 'error') {
    void vscode.window.showErrorMessage(`apflow: ${result.message}`);
    return undefined;
  }
  if (result.kind === 'refused') {
    const shown = vscode.workspace.asRelativePath(document.uri);
    ctx.output.appendLine(`run refused: ${plural(result.diagnostics.length, 'error')} in ${shown}`);
    for (const d of result.diagnostics) ctx.output.appendLine(`${shown}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}`);
    const first = result.diagnostics[0];
    // Not awaited: the command returns at once; the notification stays until the user acts on it.
    void vscode.window
      .showErrorMessage(
        `apflow: run refused — ${plural(result.diagnostics.length, 'error')} in ${baseName(file)}${first ? `, first: line ${first.range.start.line + 1}: ${first.message}` : ''}`,
        ...(first?.code === 'missing-env' ? ['Open Docs'] : ['Show Problems']),
        'Show Output',
      )
      .then((answer) => {
        if (answer === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
        if (answer === 'Show Output') ctx.output.show(true);
        // The missing variables are set outside the editor: the docs say where.
        if (answer === 'Open Docs') void vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.joinPath(ctx.extensionUri, 'docs', 'diagnostics.md'));
      });
    return undefined;
  }
  void result.done.then(async (entry) => {
    // The diagnostics are positioned in the document as it is now (the user may have typed meanwhile).
    const current = vscode.workspace.textDocuments.find((d) => d.uri.toString() === document.uri.toString()) ?? (await openFile(file));
    await ctx.diagnostics.publish(current, entry.tasks ?? []);
  }).catch((error: unknown) => ctx.output.appendLine(`run diagnostics not shown: ${error instanceof Error ? error.message : String(error)}`));
  return result.entry.run.id;
}

async function treeDocument(ctx: CommandContext, arg: unknown): Promise<vscode.TextDocument | undefined> {
  if (arg instanceof vscode.Uri) return vscode.workspace.openTextDocument(arg);
  const entry = runOf(ctx, arg as RunArg | undefined);
  if (entry) return openFile(entry.run.file);
  const editor = vscode.window.activeTextEditor;
  if (editor?.document.languageId === 'apflow') return editor.document;
  void vscode.window.showInformationMessage('apflow: open an .apflow.yaml file first (or use the command from its editor or the Runs view).');
  return undefined;
}

async function openFile(file: string): Promise<vscode.TextDocument> {
  const uri = vscode.Uri.file(file);
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) ?? vscode.workspace.openTextDocument(uri);
}

function runOf(ctx: CommandContext, arg: RunArg | undefined): RunEntry | undefined {
  if (typeof arg === 'string') return ctx.runs.get(arg);
  if (arg && typeof arg === 'object' && 'kind' in arg && 'entry' in arg) return arg.entry;
  return undefined;
}

function retryableFor(ctx: CommandContext): RunEntry | undefined {
  const file = vscode.window.activeTextEditor?.document.uri.fsPath;
  const newest = file ? ctx.runs.newestFor(file) : undefined;
  if (newest && (newest.run.status === 'failed' || newest.run.status === 'cancelled')) return newest;
  return ctx.runs.runs().find((e) => e.run.status === 'failed' || e.run.status === 'cancelled');
}

function isPreparingNode(arg: unknown): arg is PreparingNode {
  return typeof arg === 'object' && arg !== null && (arg as { kind?: unknown }).kind === 'preparing';
}

function isTaskNode(arg: unknown): arg is TaskNode {
  return typeof arg === 'object' && arg !== null && (arg as { kind?: unknown }).kind === 'task';
}

function recordOf(node: TaskNode): TaskRecord {
  return (node.entry.tasks as TaskRecord[])[node.index];
}

function taskKeyOf(arg: TaskArg | undefined): { runId: string; taskId: string } | undefined {
  if (!arg) return undefined;
  if (isTaskNode(arg)) return { runId: arg.entry.run.id, taskId: recordOf(arg).id };
  if (typeof arg === 'object' && typeof arg.runId === 'string' && typeof arg.taskId === 'string') return arg;
  return undefined;
}

/** A task of the document, by key; the picker shows while the language server locates the tasks. */
async function pickTask(ctx: CommandContext, document: vscode.TextDocument, placeHolder: string): Promise<string | undefined> {
  const items = ctx.tasks
    .outline(document)
    .then((o) => o.tasks.map((t): vscode.QuickPickItem => ({ label: t.key, description: t.name && t.name !== t.key ? t.name : undefined, detail: t.executor ?? undefined })));
  return (await vscode.window.showQuickPick<vscode.QuickPickItem>(items, { placeHolder }))?.label;
}

async function pickRun(entries: RunEntry[], placeHolder: string): Promise<RunEntry | undefined> {
  if (entries.length === 0) return undefined;
  const picked = await vscode.window.showQuickPick(
    entries.map((e) => ({ label: baseName(e.run.file), description: `${e.run.status} · ${relativeTime(e.run.started_at)}`, detail: `run ${e.run.id}`, entry: e })),
    { placeHolder },
  );
  return picked?.entry;
}
