// The language client: starts the bundled language server over stdio (not node IPC: over stdio the
// server sends the JSON it prepared, a 10,000-task outline without re-serialising it, server/serialized.ts). Crashes are restarted by the
// client's default policy; each is reported once, in the output channel, never as a notification.
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, RevealOutputChannelOn, type ErrorHandler, type LanguageClientOptions, type ProvideDocumentSymbolsSignature, type ServerOptions } from 'vscode-languageclient/node';
import type { InitializationOptions } from '../protocol';
import { sameDiagnostics } from './same-diagnostics';
import { APFLOW_DOCUMENTS } from './selectors';
import { serverProcess } from './server-process';
import { SharedRequests } from './shared-requests';

/**
 * `note` receives the lines written about the server's health (the tests read them back). The server's
 * lenses reach VS Code through the extension's lens hub (server-lenses.ts, lens-hub.ts), not this client.
 */
export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, note: (line: string) => void = () => undefined): LanguageClient {
  const serverOptions: ServerOptions = () => Promise.resolve(serverProcess(context.extensionPath));
  const outlines = new SharedRequests<Awaited<ReturnType<ProvideDocumentSymbolsSignature>>, vscode.CancellationToken>(() => new vscode.CancellationTokenSource());
  let policy: ErrorHandler | undefined;
  const defaults = () => (policy ??= client.createDefaultErrorHandler());
  const clientOptions: LanguageClientOptions = {
    documentSelector: APFLOW_DOCUMENTS,
    // This client runs trees: the server puts `▶ Run task` above the tasks of files it may run (read at
    // every start, so a restarted server knows whether the workspace was trusted meanwhile).
    initializationOptions: (): InitializationOptions => ({ runs: { trusted: vscode.workspace.isTrusted }, ownLensProvider: true }),
    outputChannel: output,
    middleware: {
      // VS Code asks twice for the outline of a file it opens; one answer serves both (shared-requests.ts).
      provideDocumentSymbols: (document, token, next) => outlines.request(`${document.uri.toString()}#${document.version}`, token, (shared) => next(document, shared)),
      // A list equal to the one the window shows is not handed to it again (same-diagnostics.ts).
      handleDiagnostics: (uri, diagnostics, next) => {
        if (!sameDiagnostics(client.diagnostics?.get(uri), diagnostics)) next(uri, diagnostics);
      },
    },
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    errorHandler: {
      error: async (error, message, count) => {
        // A message written to a server that has gone: its pipe's close follows, and closed() restarts
        // it. Counting these as connection errors would shut the client down for good when the editor
        // sent more than three messages in between (a crash while typing).
        if (message !== undefined && pipeClosed(error)) return { action: ErrorAction.Continue, message: 'apflow language server: a message was not sent because the server has stopped', handled: true };
        const result = await defaults().error(error, message, count);
        if (result.action === ErrorAction.Shutdown) {
          const line = `apflow language server: connection errors (${error.message}); shutting the connection down`;
          output.error(line);
          note(line);
        }
        return { ...result, handled: true };
      },
      closed: async () => {
        const result = await defaults().closed();
        const restart = result.action === CloseAction.Restart;
        const line = restart
          ? 'apflow language server stopped unexpectedly; restarting it'
          : `apflow language server stopped unexpectedly and will not be restarted: ${result.message ?? 'it crashed too often'}. Run "Developer: Reload Window" to start it again.`;
        if (restart) output.warn(line);
        else output.error(line);
        note(line);
        return { ...result, handled: true };
      },
    },
  };
  // The id `apflow` makes the client read `apflow.trace.server` on every configuration change.
  const client = new LanguageClient('apflow', 'apflow Language Server', serverOptions, { ...clientOptions, traceOutputChannel: new TraceChannel() });
  return client;
}

/** The error of a write to a pipe whose other end has closed (the server's process ended). */
function pipeClosed(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || code === 'ERR_STREAM_WRITE_AFTER_END';
}

/**
 * vscode-languageclient 11 traces only while its trace channel's log level is Trace (set by hand in the
 * Output view), and then reads `<id>.trace.server` for messages/verbose, never off. Spec 4.5 makes
 * `apflow.trace.server` (off | messages | verbose) the one switch, applied without a reload: this
 * channel reports the log level the setting implies and tells the client when it changes. Trace lines
 * go to the "apflow Language Server Trace" channel, created on the first one.
 */
class TraceChannel implements vscode.LogOutputChannel {
  readonly name = 'apflow Language Server Trace';
  private channel: vscode.LogOutputChannel | undefined;
  private readonly levelEmitter = new vscode.EventEmitter<vscode.LogLevel>();
  readonly onDidChangeLogLevel = this.levelEmitter.event;
  private readonly subscription = vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('apflow.trace.server')) this.levelEmitter.fire(this.logLevel);
  });

  get logLevel(): vscode.LogLevel {
    const setting = vscode.workspace.getConfiguration('apflow').get<string>('trace.server', 'off');
    return setting === 'messages' || setting === 'verbose' ? vscode.LogLevel.Trace : vscode.LogLevel.Info;
  }

  private get out(): vscode.LogOutputChannel {
    this.channel ??= vscode.window.createOutputChannel(this.name, { log: true });
    return this.channel;
  }

  trace(message: string): void {
    this.out.info(message);
  }
  debug(message: string): void {
    this.out.info(message);
  }
  info(message: string): void {
    this.out.info(message);
  }
  warn(message: string): void {
    this.out.warn(message);
  }
  error(error: string | Error): void {
    this.out.error(error);
  }
  append(value: string): void {
    this.out.append(value);
  }
  appendLine(value: string): void {
    this.out.appendLine(value);
  }
  replace(value: string): void {
    this.out.replace(value);
  }
  clear(): void {
    this.channel?.clear();
  }
  show(preserveFocus?: boolean): void;
  show(column?: vscode.ViewColumn, preserveFocus?: boolean): void;
  show(a?: boolean | vscode.ViewColumn, b?: boolean): void {
    this.out.show(typeof a === 'boolean' ? a : b);
  }
  hide(): void {
    this.channel?.hide();
  }
  dispose(): void {
    this.subscription.dispose();
    this.levelEmitter.dispose();
    this.channel?.dispose();
  }
}
