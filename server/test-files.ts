// Test files (`*.apflow.test.yaml`, docs/tree-tests.md) in the language server: a thin adapter over
// analysis/testing. Each open test file is parsed once per version and checked against its tree — the
// open document's snapshot when the tree is open, else the file on disk, analysed once per change.
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import {
  CompletionItemKind,
  MarkupKind,
  type CompletionItem,
  type Connection,
  type Definition,
  type Hover,
  type TextDocuments,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeFile, type AnalysisEnv, type Snapshot } from '../analysis';
import { isTestFile, parseTestFile, testCompletion, testDefinition, testFileDiagnostics, testHover, type TestFile, type TreeView } from '../analysis/testing';
import type { TestCases } from '../protocol';
import { toLspDiagnostic } from './convert';
import { analysisFileName, fileUri } from './uri';

interface Entry {
  version: number;
  text: string;
  file: TestFile;
  fileName: string;
}

interface Position {
  textDocument: { uri: string };
  position: { line: number; character: number };
}

/** A document outside the file system has a bare name (server/uri.ts): its `tree` cannot be found. */
const savedOnDisk = (fileName: string) => fileName.includes('/') || fileName.includes('\\');

export function isTestDocument(uri: string): boolean {
  return isTestFile(analysisFileName(uri));
}

export class TestFileDocuments {
  private readonly entries = new Map<string, Entry>();
  /** Trees read from disk, by path, with the modification time they were read at. */
  private readonly onDisk = new Map<string, { mtimeMs: number; view: TreeView }>();

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly env: AnalysisEnv,
    /** The snapshot of an open tree document, when it is open. */
    private readonly openTree: (uri: string) => Snapshot | null,
  ) {}

  listen(): void {
    this.documents.onDidChangeContent((e) => {
      if (isTestDocument(e.document.uri)) this.publish(e.document.uri);
      else if (this.entries.size > 0) this.treeChanged();
    });
    this.documents.onDidClose((e) => {
      if (!this.entries.delete(e.document.uri)) return;
      this.connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    });
  }

  /** A tree changed: the open test files are checked again (each against its tree's current text). */
  private treeChanged(): void {
    this.onDisk.clear();
    for (const uri of this.entries.keys()) this.publish(uri);
  }

  completion(params: Position): CompletionItem[] {
    const doc = this.current(params.textDocument.uri);
    if (!doc) return [];
    return testCompletion(doc.entry.text, params.position, doc.tree).map((e) => ({
      label: e.label,
      kind: e.kind === 'executor' ? CompletionItemKind.Function : CompletionItemKind.Reference,
      detail: e.detail,
      textEdit: { range: e.range, newText: e.insertText },
    }));
  }

  hover(params: Position): Hover | null {
    const doc = this.current(params.textDocument.uri);
    const result = doc && testHover(doc.entry.file, doc.tree, params.position);
    return result ? { contents: { kind: MarkupKind.Markdown, value: result.markdown }, range: result.range } : null;
  }

  definition(params: Position): Definition {
    const doc = this.current(params.textDocument.uri);
    if (!doc) return [];
    return testDefinition(doc.entry.file, doc.tree, params.position).map((l) => ({
      uri: 'path' in l ? fileUri(l.path) : params.textDocument.uri,
      range: l.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    }));
  }

  /** The cases of a test file, from its open buffer or else from disk; null when it cannot be read. */
  cases(uri: string): TestCases | null {
    const open = this.current(uri);
    let file = open?.entry.file;
    const fileName = open?.entry.fileName ?? analysisFileName(uri);
    if (!file) {
      try {
        file = parseTestFile(readFileSync(fileName, 'utf8'));
      } catch {
        return null;
      }
    }
    const tree = file.tree && savedOnDisk(fileName) ? resolve(dirname(fileName), file.tree.value) : null;
    return { tree, cases: file.cases.map((c) => ({ index: c.index, name: c.name, range: c.range })) };
  }

  /** Publishes a test file's diagnostics; nothing in a buffer may reach the client as an exception. */
  private publish(uri: string): void {
    try {
      const doc = this.current(uri);
      if (!doc) return;
      const diagnostics = testFileDiagnostics(doc.entry.file, doc.tree).map((d) => toLspDiagnostic(d, uri));
      this.connection.sendDiagnostics({ uri, version: doc.entry.version, diagnostics });
    } catch (error) {
      this.connection.console.error(`apflow: checking ${uri} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }

  private current(uri: string): { entry: Entry; tree: TreeView } | null {
    const document = this.documents.get(uri);
    if (!document) return null;
    let entry = this.entries.get(uri);
    if (!entry || entry.version !== document.version) {
      const text = document.getText();
      entry = { version: document.version, text, file: parseTestFile(text), fileName: analysisFileName(uri) };
      this.entries.set(uri, entry);
    }
    return { entry, tree: this.treeOf(entry) };
  }

  private treeOf(entry: Entry): TreeView {
    const given = entry.file.tree?.value;
    if (!given) return { ok: false, reason: 'the test file names no `tree`' };
    if (!savedOnDisk(entry.fileName)) return { ok: false, reason: `save the test file to check it against ${given}` };
    const path = resolve(dirname(entry.fileName), given);
    const name = basename(path);
    const open = this.openTree(fileUri(path));
    if (open) return { ok: true, path, name, text: open.text, model: open.model };
    try {
      const { mtimeMs } = statSync(path);
      const known = this.onDisk.get(path);
      if (known && known.mtimeMs === mtimeMs) return known.view;
      const text = readFileSync(path, 'utf8');
      const view: TreeView = { ok: true, path, name, text, model: analyzeFile(text, path, this.env).model };
      this.onDisk.set(path, { mtimeMs, view });
      return view;
    } catch {
      return { ok: false, reason: `the tree file ${given} does not exist or cannot be read (it is looked for beside this test file)` };
    }
  }
}
