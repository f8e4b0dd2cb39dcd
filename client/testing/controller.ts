// Tree tests in VS Code's Testing view (issue 14): each `*.apflow.test.yaml` of the workspace is a test
// item with a child per case, found at start and kept up to date as files change. The cases come from
// the language server (the client parses nothing); a run loads the runtime bundle and runs the cases,
// reporting each failure at the line of the expectation that failed.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { TestCasesRequest, type TestCases } from '../../protocol';
import { pythonChoice } from '../python';
import type { RuntimeHost, TestFileReport } from '../runtime-host';
import { runPermission } from '../trust';
import { CoverageHints } from './coverage';

const TEST_GLOB = '**/*.apflow.test.{yaml,yml}';

/** The test files a tree's cases live in, by the tree's path (for the tree's `N tests` lens). */
export type TestsByTree = ReadonlyMap<string, { uri: vscode.Uri; cases: number }[]>;

export class TreeTests implements vscode.Disposable {
  readonly controller = vscode.tests.createTestController('apflowTreeTests', 'apflow tree tests');
  private readonly trees = new Map<string, string | null>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the tests of some tree changed (the lens provider listens). */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly coverage = new CoverageHints();
  /** What the last run reported for each case item, by item id (the extension-host tests read it). */
  readonly reported = new Map<string, { state: 'passed' | 'failed' | 'errored'; messages: vscode.TestMessage[] }>();

  constructor(
    private readonly client: LanguageClient,
    private readonly runtime: () => RuntimeHost,
  ) {
    this.controller.resolveHandler = async (item) => {
      if (!item) await this.discover();
    };
    this.controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, (request, token) => this.run(request, token), true);
    const watcher = vscode.workspace.createFileSystemWatcher(TEST_GLOB);
    this.disposables.push(
      this.controller,
      this.changed,
      this.coverage,
      watcher,
      watcher.onDidCreate((uri) => void this.refresh(uri)),
      watcher.onDidChange((uri) => void this.refresh(uri)),
      watcher.onDidDelete((uri) => this.forget(uri)),
      // An edited, unsaved test file shows its cases as typed.
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.languageId === 'apflow-test') void this.refresh(e.document.uri);
      }),
    );
  }

  /** Finds every test file of the workspace. */
  async discover(): Promise<void> {
    const uris = await vscode.workspace.findFiles(TEST_GLOB, '**/node_modules/**');
    await Promise.all(uris.map((uri) => this.refresh(uri)));
  }

  /** The test files of each tree, with how many cases each has. */
  byTree(): TestsByTree {
    const map = new Map<string, { uri: vscode.Uri; cases: number }[]>();
    this.controller.items.forEach((item) => {
      const tree = this.trees.get(item.id);
      if (!tree || !item.uri) return;
      const list = map.get(tree) ?? [];
      list.push({ uri: item.uri, cases: item.children.size });
      map.set(tree, list);
    });
    return map;
  }

  /** Runs every case of the test files naming the tree (the tree's `N tests` lens). */
  async runTree(treePath: string): Promise<void> {
    const include = (this.byTree().get(treePath) ?? []).map(({ uri }) => this.controller.items.get(uri.toString())).filter((i): i is vscode.TestItem => !!i);
    const source = new vscode.CancellationTokenSource();
    try {
      await this.run(new vscode.TestRunRequest(include), source.token);
    } finally {
      source.dispose();
    }
  }

  private async refresh(uri: vscode.Uri): Promise<void> {
    let found: TestCases | null;
    try {
      found = await this.client.sendRequest(TestCasesRequest, { textDocument: { uri: uri.toString() } });
    } catch {
      return;
    }
    if (!found) return this.forget(uri);
    const id = uri.toString();
    const item = this.controller.items.get(id) ?? this.controller.createTestItem(id, vscode.workspace.asRelativePath(uri), uri);
    item.children.replace(
      found.cases.map((c) => {
        const child = this.controller.createTestItem(`${id}#${c.index}`, c.name, uri);
        child.range = new vscode.Range(c.range.start.line, c.range.start.character, c.range.end.line, c.range.end.character);
        return child;
      }),
    );
    this.controller.items.add(item);
    this.trees.set(id, found.tree);
    this.changed.fire();
  }

  private forget(uri: vscode.Uri): void {
    this.controller.items.delete(uri.toString());
    this.trees.delete(uri.toString());
    this.changed.fire();
  }

  private async run(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const run = this.controller.createTestRun(request);
    const chosen = new Map<vscode.TestItem, number[] | undefined>();
    // A file item runs all its cases; case items add up to a list of indexes of their file.
    const add = (item: vscode.TestItem) => {
      if (request.exclude?.includes(item)) return;
      const file = item.parent ?? item;
      if (!item.parent) chosen.set(file, undefined);
      else if (!chosen.has(file) || chosen.get(file)) chosen.set(file, [...(chosen.get(file) ?? []), index(item)]);
    };
    if (request.include) request.include.forEach(add);
    else this.controller.items.forEach(add);
    try {
      for (const [file, only] of chosen) {
        if (token.isCancellationRequested) break;
        await this.runFile(run, file, only);
      }
    } finally {
      run.end();
    }
  }

  private async runFile(run: vscode.TestRun, file: vscode.TestItem, only: number[] | undefined): Promise<void> {
    const uri = file.uri as vscode.Uri;
    const cases: vscode.TestItem[] = [];
    file.children.forEach((c) => {
      if (!only || only.includes(index(c))) cases.push(c);
    });
    cases.forEach((c) => run.started(c));
    const report = (item: vscode.TestItem, state: 'passed' | 'failed' | 'errored', messages: vscode.TestMessage[], ms?: number) => {
      this.reported.set(item.id, { state, messages });
      if (state === 'passed') run.passed(item, ms);
      else if (state === 'failed') run.failed(item, messages, ms);
      else run.errored(item, messages);
    };
    const permission = runPermission({ trusted: vscode.workspace.isTrusted, scheme: uri.scheme });
    if (!permission.allowed) {
      cases.forEach((c) => report(c, 'errored', [new vscode.TestMessage(permission.message)]));
      return;
    }
    const document = await vscode.workspace.openTextDocument(uri);
    const config = vscode.workspace.getConfiguration('apflow', uri);
    let results: TestFileReport;
    try {
      results = await this.runtime().runTests(uri.fsPath, document.getText(), {
        only,
        request: {
          env: process.env,
          allowPrivateUrls: config.get<boolean>('rest.allowPrivateUrls', false) || process.env.APFLOW_REST_ALLOW_PRIVATE_URLS === '1',
          target: config.get<string | null>('target', null),
          python: await pythonChoice(document),
        },
      });
    } catch (error) {
      cases.forEach((c) => report(c, 'errored', [new vscode.TestMessage(`the tests could not run: ${error instanceof Error ? error.message : String(error)}`)]));
      return;
    }
    if (results.problems.length > 0) {
      const messages = results.problems.map((p) => located(p.message, vscode.Uri.file(p.file), p.range));
      cases.forEach((c) => report(c, 'errored', messages));
      return;
    }
    for (const result of results.cases) {
      const item = cases.find((c) => index(c) === result.case.index);
      if (!item) continue;
      const messages = result.failures.map((f) => located(f.message, uri, f.range));
      report(item, messages.length ? 'failed' : 'passed', messages, result.durationMs);
    }
    if (results.coverage && results.treeFile) this.coverage.show(vscode.Uri.file(results.treeFile), results.coverage);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function index(item: vscode.TestItem): number {
  return Number(item.id.slice(item.id.lastIndexOf('#') + 1));
}

function located(message: string, uri: vscode.Uri, range: { start: { line: number; character: number }; end: { line: number; character: number } }): vscode.TestMessage {
  const out = new vscode.TestMessage(message);
  out.location = new vscode.Location(uri, new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character));
  return out;
}
