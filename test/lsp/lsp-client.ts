// A real LSP client for tests and the benchmark: starts the built server (dist/server.js) as a child
// process and talks JSON-RPC to it over stdio with vscode-languageserver-protocol.
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  IPCMessageReader,
  IPCMessageWriter,
  LogMessageNotification,
  MessageType,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type InitializeResult,
  type Position,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';

export const ROOT = join(__dirname, '..', '..');
export const SERVER = join(ROOT, 'dist', 'server.js');

let built = false;
/** Builds the bundles if a source is newer (what `npm test`'s pretest does), once per test process. */
export function ensureBuilt(): void {
  if (built) return;
  execFileSync(process.execPath, [join(ROOT, 'esbuild.mjs'), '--if-stale'], { cwd: ROOT, stdio: 'inherit' });
  built = true;
}

/** What a capable editor announces (VS Code-like). */
export const FULL_CAPABILITIES: ClientCapabilities = {
  textDocument: {
    synchronization: { didSave: true },
    completion: { completionItem: { snippetSupport: true } },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    rename: { prepareSupport: true },
    publishDiagnostics: { relatedInformation: true, versionSupport: true },
  },
  workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true }, didChangeConfiguration: { dynamicRegistration: true } },
};

export interface StartOptions {
  capabilities?: ClientCapabilities;
  /** Configuration sections the client answers workspace/configuration with (by section name). */
  settings?: Record<string, unknown>;
  nodeArgs?: string[];
  /** Another server to start instead of dist/server.js (the benchmark's comparison). */
  command?: string[];
  /** What the client says in `initialize` beyond its capabilities (the extension sends `{ runs: { trusted } }`). */
  initializationOptions?: unknown;
  /** `ipc`: talk over Node's IPC channel (`--node-ipc`) instead of stdio (what the extension uses). */
  transport?: 'stdio' | 'ipc';
  /** Folders the client opened (announced as `workspaceFolders`); none by default. */
  workspaceFolders?: string[];
  /** Arguments for dist/server.js after the transport's (e.g. `--prefetch=URI`). */
  serverArgs?: string[];
}

export function fileUriOf(path: string): string {
  return pathToFileURL(path).href;
}

export class LspClient {
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  /** The versions of every publication, per document (for tests of coalescing). */
  readonly publishedVersions = new Map<string, (number | undefined)[]>();
  readonly registrations: string[] = [];
  /** How often the server asked for the lenses again (workspace/codeLens/refresh), unless a test handles it. */
  lensRefreshes = 0;
  /** window/logMessage texts of errors and warnings: the server logs a feature or an analysis that threw. */
  readonly logs: string[] = [];
  /** window/logMessage texts of information (the server's start, the documents it opened). */
  readonly infoLogs: string[] = [];
  private waiters: { uri: string; test: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  private readonly versions = new Map<string, number>();
  stderr = '';
  initializeResult!: InitializeResult;
  settings: Record<string, unknown> = {};

  private constructor(
    readonly child: ChildProcessWithoutNullStreams,
    readonly connection: ProtocolConnection,
  ) {}

  static async start(options: StartOptions = {}): Promise<LspClient> {
    ensureBuilt();
    const ipc = options.transport === 'ipc';
    const args = [...(options.nodeArgs ?? []), ...(options.command ?? [SERVER, ipc ? '--node-ipc' : '--stdio', ...(options.serverArgs ?? [])])];
    const child = spawn(process.execPath, args, { stdio: ipc ? ['pipe', 'pipe', 'pipe', 'ipc'] : 'pipe' }) as ChildProcessWithoutNullStreams;
    const connection = ipc
      ? createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child))
      : createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new LspClient(child, connection);
    client.settings = options.settings ?? {};
    child.stderr.on('data', (chunk: Buffer) => (client.stderr += chunk.toString()));
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      client.diagnostics.set(params.uri, params);
      client.publishedVersions.set(params.uri, [...(client.publishedVersions.get(params.uri) ?? []), params.version]);
      client.waiters = client.waiters.filter((w) => {
        if (w.uri !== params.uri || !w.test(params)) return true;
        w.resolve(params);
        return false;
      });
    });
    connection.onNotification(LogMessageNotification.type, (params) => {
      (params.type === MessageType.Error || params.type === MessageType.Warning ? client.logs : client.infoLogs).push(params.message);
    });
    connection.onRequest(ConfigurationRequest.type, (params) => params.items.map((item) => (item.section ? (client.settings[item.section] ?? null) : null)));
    connection.onRequest(RegistrationRequest.type, (params) => {
      client.registrations.push(...params.registrations.map((r) => r.method));
    });
    connection.onRequest('workspace/codeLens/refresh', () => {
      client.lensRefreshes++;
      return null;
    });
    connection.listen();
    client.initializeResult = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: options.capabilities ?? FULL_CAPABILITIES,
      workspaceFolders: options.workspaceFolders?.map((path) => ({ uri: fileUriOf(path), name: basename(path) })) ?? null,
      ...(options.initializationOptions === undefined ? {} : { initializationOptions: options.initializationOptions }),
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  version(uri: string): number {
    return this.versions.get(uri) ?? 0;
  }

  /** Resolves with the first diagnostics for `uri` that satisfy `test` (already received ones included). */
  waitForDiagnostics(uri: string, test: (p: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 20000): Promise<PublishDiagnosticsParams> {
    const known = this.diagnostics.get(uri);
    if (known && test(known)) return Promise.resolve(known);
    if (!this.alive) return Promise.reject(new Error(`the server exited (${this.child.exitCode ?? this.child.signalCode}): ${this.stderr}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ uri, test, resolve: (p) => (clearTimeout(timer), resolve(p)) });
    });
  }

  /** Resolves with the next diagnostics published for `uri` (for servers that do not send versions). */
  nextDiagnostics(uri: string, timeoutMs?: number): Promise<PublishDiagnosticsParams> {
    const seen = this.diagnostics.get(uri);
    return this.waitForDiagnostics(uri, (p) => p !== seen, timeoutMs);
  }

  /** Diagnostics for the document's current version. */
  current(uri: string, timeoutMs?: number): Promise<PublishDiagnosticsParams> {
    const version = this.version(uri);
    return this.waitForDiagnostics(uri, (p) => p.version === version, timeoutMs);
  }

  async open(uri: string, text: string, languageId = 'apflow'): Promise<void> {
    this.versions.set(uri, 1);
    this.diagnostics.delete(uri);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }

  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const version = this.version(uri) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  /** Replaces the whole text (a full-content change). */
  replaceAll(uri: string, text: string): Promise<number> {
    return this.change(uri, [{ text }]);
  }

  async close(uri: string): Promise<void> {
    this.versions.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  at(uri: string, position: Position): { textDocument: { uri: string }; position: Position } {
    return { textDocument: { uri }, position };
  }

  async stop(): Promise<void> {
    if (this.alive) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      try {
        await Promise.race([this.connection.sendRequest(ShutdownRequest.type), new Promise((r) => setTimeout(r, 2000))]);
        await this.connection.sendNotification(ExitNotification.type);
      } catch {
        // The server may be gone already.
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (this.alive) this.child.kill();
    }
    this.connection.dispose();
  }
}

/** A fixture with one `|` marking the cursor: the text without it and the cursor's position. */
export function cursor(source: string): { text: string; position: Position; offset: number } {
  const offset = source.indexOf('|');
  if (offset < 0 || source.indexOf('|', offset + 1) >= 0) throw new Error('a fixture needs exactly one | cursor');
  const before = source.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { text: source.slice(0, offset) + source.slice(offset + 1), position: { line, character: offset - (before.lastIndexOf('\n') + 1) }, offset };
}

/** The position of the `n`th occurrence (0-based) of `needle` in `text`, plus `delta` characters. */
export function positionOf(text: string, needle: string, delta = 0, n = 0): Position {
  let index = -1;
  for (let i = 0; i <= n; i++) {
    index = text.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`'${needle}' occurs fewer than ${n + 1} times`);
  }
  const offset = index + delta;
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: offset - (before.lastIndexOf('\n') + 1) };
}
