// The document cache: each open document is analysed once per version and the snapshot is shared by
// every feature. Diagnostics are published after a short per-document debounce (none for small files,
// none for an isolated change); a newer version cancels the pending run, and a request flushes it
// instead of waiting for the timer.
import type { PythonEnvironments } from './python-env';
import { TextDocuments, type Connection } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentAnalyzer, type AnalysisEnv, type Diagnostic, type Snapshot } from '../analysis';
import { publishedDiagnostics } from './diagnostic-cap';
import type { ServerLog } from './server-log';
import type { ServerSettings } from './settings';
import { isTestDocument } from './test-files';
import { analysisFileName } from './uri';

/** Below this size a document is analysed at once after each change (about 1,000 tasks). */
const SMALL_DOCUMENT = 256 * 1024;
const MAX_DEBOUNCE_MS = 30;
const MIN_DEBOUNCE_MS = 5;

interface Entry {
  readonly uri: string;
  readonly fileName: string;
  analyzer: DocumentAnalyzer;
  snapshot: Snapshot | null;
  cancelPending: (() => void) | null;
  lastDurationMs: number;
  /** When the last analysis ended (performance.now()). */
  analyzedAt: number;
  /** Results derived from the current snapshot (outline, lenses), dropped when it changes. */
  readonly memo: Map<string, unknown>;
}

export interface Current {
  uri: string;
  document: TextDocument;
  snapshot: Snapshot;
  /** Computes a value once per analysed version. */
  memo<T>(key: string, compute: () => T): T;
}

/** How long a prefetched analysis waits for its document to be opened. */
const PREFETCH_KEPT_MS = 60_000;

export class DocumentCache {
  readonly documents = new TextDocuments(TextDocument);
  private readonly entries = new Map<string, Entry>();
  /** Analyses of files read from disk before the client opened them (server/prefetch.ts), by URI. */
  private readonly prefetched = new Map<string, DocumentAnalyzer>();

  constructor(
    private readonly connection: Connection,
    private readonly env: AnalysisEnv,
    private readonly settings: () => ServerSettings,
    private readonly python?: PythonEnvironments,
    private readonly log?: ServerLog,
  ) {}

  listen(): void {
    this.documents.onDidChangeContent((e) => this.changed(e.document));
    this.documents.onDidClose((e) => this.closed(e.document.uri));
    this.documents.listen(this.connection);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The snapshot of the document's current version, computed now if it is pending. */
  current(uri: string): Current | null {
    const entry = this.entries.get(uri);
    const document = this.documents.get(uri);
    if (!entry || !document) return null;
    this.analyze(entry, document);
    const snapshot = entry.snapshot;
    if (!snapshot) return null;
    return {
      uri,
      document,
      snapshot,
      memo: <T>(key: string, compute: () => T): T => {
        if (!entry.memo.has(key)) entry.memo.set(key, compute());
        return entry.memo.get(key) as T;
      },
    };
  }

  /** Re-runs the whole-file checks of documents declaring one of `modules` (they appeared or disappeared). */
  modulesChanged(changed: (snapshot: Snapshot, fileName: string) => boolean): void {
    // What was prefetched was analysed in the environment before: it is analysed again when opened.
    this.prefetched.clear();
    for (const entry of this.entries.values()) {
      const document = this.documents.get(entry.uri);
      if (!document || !entry.snapshot || entry.snapshot.version !== document.version || !changed(entry.snapshot, entry.fileName)) continue;
      entry.snapshot = this.guard(entry, () => entry.analyzer.refresh()) ?? entry.snapshot;
      entry.memo.clear();
      this.publish(entry, document.version);
    }
  }

  /** Publishes every document's diagnostics again (the settings changed). */
  republish(): void {
    for (const entry of this.entries.values()) {
      const document = this.documents.get(entry.uri);
      if (document && entry.snapshot) this.publish(entry, entry.snapshot.version);
    }
  }

  /**
   * Analyses a file's text as read from disk before its document is opened. When the document opens
   * with that text, its first analysis only confirms it (the analyzer finds nothing changed); with
   * other text, it is an edit of what was read. Nothing is published until the document is open.
   */
  prefetch(uri: string, text: string): void {
    if (isTestDocument(uri) || this.entries.has(uri) || this.prefetched.has(uri)) return;
    const fileName = analysisFileName(uri);
    const analyzer = new DocumentAnalyzer(fileName, this.env);
    const started = performance.now();
    let tasks: number;
    try {
      tasks = analyzer.update(text, 0).taskCount;
    } catch {
      // The document's own analysis will report (and recover from) whatever went wrong.
      return;
    }
    this.log?.prefetched(fileName, tasks, performance.now() - started);
    this.prefetched.set(uri, analyzer);
    setTimeout(() => this.prefetched.delete(uri), PREFETCH_KEPT_MS).unref();
  }

  private changed(document: TextDocument): void {
    // Test files are not trees: server/test-files.ts checks them.
    if (isTestDocument(document.uri)) return;
    let entry = this.entries.get(document.uri);
    if (!entry) {
      const fileName = analysisFileName(document.uri);
      const analyzer = this.prefetched.get(document.uri) ?? new DocumentAnalyzer(fileName, this.env);
      this.prefetched.delete(document.uri);
      entry = {
        uri: document.uri,
        fileName,
        analyzer,
        snapshot: null,
        cancelPending: null,
        lastDurationMs: 0,
        analyzedAt: 0,
        memo: new Map(),
      };
      this.entries.set(document.uri, entry);
    }
    this.schedule(entry, document);
  }

  private closed(uri: string): void {
    const entry = this.entries.get(uri);
    entry?.cancelPending?.();
    this.entries.delete(uri);
    this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /**
   * Small documents are analysed on the next turn of the event loop (changes already queued are applied
   * first). A large one is analysed at most once per window as long as its last analysis took (5–30 ms)
   * after the end of that analysis: an isolated keystroke is analysed at once, a burst of keystrokes
   * costs one analysis per window rather than one each, and a newer change cancels the pending run.
   */
  private schedule(entry: Entry, document: TextDocument): void {
    entry.cancelPending?.();
    const run = () => {
      entry.cancelPending = null;
      const latest = this.documents.get(entry.uri);
      if (latest && this.entries.get(entry.uri) === entry) this.analyze(entry, latest);
    };
    const window = Math.min(MAX_DEBOUNCE_MS, Math.max(MIN_DEBOUNCE_MS, entry.lastDurationMs));
    const small = document.getText().length < SMALL_DOCUMENT;
    const wait = small || entry.snapshot === null ? 0 : Math.round(window - (performance.now() - entry.analyzedAt));
    if (wait <= 0) {
      const handle = setImmediate(run);
      entry.cancelPending = () => clearImmediate(handle);
    } else {
      const handle = setTimeout(run, wait);
      entry.cancelPending = () => clearTimeout(handle);
    }
  }

  private analyze(entry: Entry, document: TextDocument): void {
    entry.cancelPending?.();
    entry.cancelPending = null;
    if (entry.snapshot && entry.snapshot.version === document.version) return;
    const started = performance.now();
    const text = document.getText();
    const opening = entry.snapshot === null;
    entry.snapshot = this.guard(entry, () => entry.analyzer.update(text, document.version));
    entry.analyzedAt = performance.now();
    entry.lastDurationMs = entry.analyzedAt - started;
    if (opening && entry.snapshot) this.log?.opened(entry.fileName, entry.snapshot.taskCount, entry.lastDurationMs);
    entry.memo.clear();
    this.publish(entry, document.version);
  }

  /**
   * Runs the analyzer, never letting an exception reach the client. After a failure the analyzer is
   * replaced (its incremental state may be inconsistent) and the text is analysed afresh once.
   */
  private guard(entry: Entry, run: () => Snapshot | null): Snapshot | null {
    try {
      return run();
    } catch (error) {
      this.connection.console.error(`apflow: analysis of ${entry.uri} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      entry.analyzer = new DocumentAnalyzer(entry.fileName, this.env);
      const document = this.documents.get(entry.uri);
      try {
        return document ? entry.analyzer.update(document.getText(), document.version) : null;
      } catch {
        return null;
      }
    }
  }

  private publish(entry: Entry, version: number): void {
    const diagnostics = entry.snapshot && this.settings().validate ? publishedDiagnostics(entry.snapshot, entry.uri, undefined, this.python && ((d: Diagnostic, s: Snapshot) => this.python?.adjust(d, s) ?? d)) : [];
    this.connection.sendDiagnostics({ uri: entry.uri, version, diagnostics });
  }
}
