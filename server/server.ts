// The apflow language server: LSP plumbing around the analysis core. It never loads the runtime or a
// workspace executor module (safe in an untrusted workspace).
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  TextDocumentSyncKind,
  WatchKind,
  type ClientCapabilities,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { executorModulePath, type AnalysisEnv } from '../analysis';
import { version } from '../package.json';
import { LensesChangedNotification, PythonEnvironmentNotification, RunStatusNotification, ServerStatusRequest, WorkspaceTrustNotification, type InitializationOptions } from '../protocol';
import { PythonEnvironments } from './python-env';
import { DocumentCache } from './documents';
import { TestFileDocuments } from './test-files';
import { FileExistence } from './file-env';
import { MessageTraffic } from './message-traffic';
import { PythonDiscovery } from './python-discovery';
import { prefetch } from './prefetch';
import { registerHandlers, type ClientSupport } from './handlers';
import { RunStatusStore } from './run-status';
import { ServerLog } from './server-log';
import { DEFAULT_SETTINGS, readSettings, sameSettings, type ServerSettings } from './settings';
import { filePath } from './uri';

export const SERVER_NAME = 'apflow-language-server';

export interface ServerOptions {
  /** Files to read and analyse before the client opens them (`--prefetch=URI`, server/prefetch.ts). */
  prefetch?: readonly string[];
  /** The connection's message strategy (server/message-traffic.ts): slow requests that can wait use it. */
  traffic?: MessageTraffic;
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  let capabilities: ClientCapabilities = {};
  let settings: ServerSettings = DEFAULT_SETTINGS;
  let client: ClientSupport = { snippets: false, hierarchicalSymbols: false };
  const discovery = new PythonDiscovery();
  const env = new FileExistence(discovery);
  let folders: string[] = [];
  // What the analysis reads from its host: the file system, the workspace's Python executors, and the
  // settings its checks use (the tree-size limit; the target line of files without `apflow_version`).
  const analysisEnv: AnalysisEnv = {
    fileExists: (path) => env.fileExists(path),
    python: (fileDir) => env.python(fileDir),
    get maxTreeSize() {
      return settings.maxTreeSize;
    },
    get target() {
      return settings.target;
    },
  };
  const pythonEnvironments = new PythonEnvironments();
  const log = new ServerLog(connection);
  const cache = new DocumentCache(connection, analysisEnv, () => settings, pythonEnvironments, log);
  const runStatus = new RunStatusStore();
  // Lenses show run status and `▶ Run task`: a client asks for them again when told.
  let ownLensProvider = false;
  const refreshLenses = () => {
    if (ownLensProvider) void connection.sendNotification(LensesChangedNotification).catch(() => undefined);
    else if (capabilities.workspace?.codeLens?.refreshSupport) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  };

  connection.onInitialize((params): InitializeResult => {
    capabilities = params.capabilities ?? {};
    const uris = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    folders = uris.map(filePath).filter((p): p is string => p !== null);
    const options = params.initializationOptions as InitializationOptions | null | undefined;
    runStatus.setCapability(options?.runs);
    ownLensProvider = options?.ownLensProvider === true;
    const text = capabilities.textDocument;
    client = {
      snippets: text?.completion?.completionItem?.snippetSupport === true,
      hierarchicalSymbols: text?.documentSymbol?.hierarchicalDocumentSymbolSupport === true,
    };
    return {
      serverInfo: { name: SERVER_NAME, version },
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: [' ', ':', '[', ',', '-', '"'] },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: { label: 'apflow tasks' },
        callHierarchyProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        ...(ownLensProvider ? {} : { codeLensProvider: { resolveProvider: true } }),
      },
    };
  });

  async function loadSettings(): Promise<void> {
    if (!capabilities.workspace?.configuration) return;
    try {
      const [section] = await connection.workspace.getConfiguration([{ section: 'apflow' }]);
      settings = readSettings(section);
    } catch {
      settings = DEFAULT_SETTINGS;
    }
  }

  connection.onInitialized(async () => {
    log.ready(SERVER_NAME, version);
    const workspace = capabilities.workspace;
    if (workspace?.didChangeWatchedFiles?.dynamicRegistration) {
      // Creations and deletions: whether a workspace executor's module exists; every change of a
      // Python file: what it registers (static discovery re-reads only that file).
      await connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [
          { globPattern: '**/*', kind: WatchKind.Create | WatchKind.Delete },
          { globPattern: '**/*.py', kind: WatchKind.Create | WatchKind.Change | WatchKind.Delete },
        ],
      });
      env.watching();
    }
    if (workspace?.didChangeConfiguration?.dynamicRegistration) {
      await connection.client.register(DidChangeConfigurationNotification.type, { section: 'apflow' });
    }
    if (await applySettings(loadSettings)) refreshLenses();
    // Discovery runs after the first answers: the trees are analysed again once it is complete.
    discovery.start(folders).then(
      () => cache.modulesChanged(() => true),
      (error: unknown) => connection.console.error(`apflow: could not read the workspace's Python files: ${error instanceof Error ? error.message : String(error)}`),
    );
  });

  /**
   * Reads the settings and shows their effect: a new tree-size limit or target line re-checks every
   * open document (the target changes its task checks too), anything else republishes. Returns whether
   * a setting changed: at start-up they are usually the defaults the first analyses used.
   */
  async function applySettings(read: () => Promise<void> | void): Promise<boolean> {
    const before = settings;
    await read();
    if (sameSettings(before, settings)) return false;
    if (settings.maxTreeSize !== before.maxTreeSize || settings.target !== before.target) cache.modulesChanged(() => true);
    else cache.republish();
    return true;
  }

  connection.onDidChangeConfiguration(async (change) => {
    const pushed = (change?.settings as { apflow?: unknown } | null | undefined)?.apflow;
    const changed = await applySettings(async () => {
      if (capabilities.workspace?.configuration) await loadSettings();
      else if (pushed !== undefined) settings = readSettings(pushed);
    });
    if (changed) refreshLenses();
  });

  connection.onDidChangeWatchedFiles((params) => {
    const paths = params.changes.map((c) => filePath(c.uri)).filter((p): p is string => p !== null);
    if (!paths.length) return;
    env.changed(paths);
    if (discovery.changed(paths)) {
      cache.modulesChanged(() => true);
      return;
    }
    const changed = new Set(paths);
    cache.modulesChanged((snapshot) => {
      const dir = snapshot.fileDir;
      return dir !== null && snapshot.model.executors.some((d) => d.module !== null && changed.has(executorModulePath(dir, d.module)));
    });
  });

  connection.onNotification(RunStatusNotification, (params) => {
    if (runStatus.update(params)) refreshLenses();
  });
  connection.onNotification(PythonEnvironmentNotification, (params) => {
    if (pythonEnvironments.update(params)) cache.republish();
  });
  connection.onNotification(WorkspaceTrustNotification, (params) => {
    if (runStatus.setTrusted(params)) refreshLenses();
  });

  connection.onRequest(ServerStatusRequest, (params) => {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (params?.collectGarbage && gc) gc();
    const memory = process.memoryUsage();
    return { version, documents: cache.size, rss: memory.rss, heapUsed: memory.heapUsed, heapTotal: memory.heapTotal, external: memory.external };
  });

  // Test files (*.apflow.test.yaml) are checked against the tree they name, open or on disk.
  const tests = new TestFileDocuments(connection, cache.documents, analysisEnv, (uri) => cache.current(uri)?.snapshot ?? null);
  registerHandlers({ connection, cache, tests, settings: () => settings, client: () => client, runStatus, traffic: options.traffic ?? new MessageTraffic() });
  cache.documents.onDidClose((e) => runStatus.forget(e.document.uri));
  cache.listen();
  prefetch(options.prefetch ?? [], cache);
  // After the cache: a tree's change reaches the cache first, so the test files see its new snapshot.
  tests.listen();
  connection.listen();
}
