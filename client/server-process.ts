// The language server's process. The first one is started as soon as VS Code loads the extension's
// module, before activate() is called: VS Code then still prepares the extension's context (its
// storage, over the remote connection in code-server: 0.1–0.6 s on a busy machine), and meanwhile the
// server boots and analyses the apflow files already open, read from disk (`--prefetch`, server/
// prefetch.ts). When the client's didOpen brings the same text, the analysis is already done. Later
// processes (after a crash) start without prefetching.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import * as vscode from 'vscode';

/** How long a server that was told to exit may take before it is killed (as vscode-languageclient does). */
const EXIT_GRACE_MS = 2000;

let early: ChildProcess | undefined;
let current: ChildProcess | undefined;

/** Whether a process has ended (by itself or by a signal). */
function ended(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** The ext host's debugger flags mean the extension is being debugged: the server is, too (port 6011). */
function debugArgs(): string[] {
  return process.execArgv.some((arg) => /^--(inspect|debug)(-brk)?(=|$)/.test(arg)) ? ['--nolazy', '--inspect=6011'] : [];
}

/** The open apflow trees that are saved files: what the server can read as the editor shows it. */
function openTrees(): string[] {
  return vscode.workspace.textDocuments.filter((d) => d.languageId === 'apflow' && d.uri.scheme === 'file' && !d.isDirty).map((d) => d.uri.toString());
}

function spawnServer(extensionPath: string, prefetch: readonly string[]): ChildProcess {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  const args = ['--stdio', `--clientProcessId=${process.pid}`, ...prefetch.map((uri) => `--prefetch=${uri}`)];
  // `silent`: the client reads standard output as the channel and shows standard error in its log.
  const child = fork(join(extensionPath, 'dist', 'server.js'), args, { silent: true, execArgv: debugArgs(), cwd: folder?.uri.fsPath });
  current = child;
  return child;
}

/** Starts the first server with the open trees to prefetch (from the extension's module, at load). */
export function startServerEarly(extensionPath: string): void {
  early ??= spawnServer(extensionPath, openTrees());
}

/** A server process for the language client: the early one while it runs, else a new one. */
export function serverProcess(extensionPath: string): ChildProcess {
  const child = early;
  early = undefined;
  return child && !ended(child) ? child : spawnServer(extensionPath, []);
}

/** The server process started last (the tests kill it to see it restarted). */
export function latestServer(): ChildProcess | undefined {
  return current;
}

/** After the client stopped: the server exits when told; one that does not is killed after a grace period. */
export function reapServer(): void {
  const child = current;
  if (!child || ended(child)) return;
  setTimeout(() => {
    if (!ended(child)) child.kill();
  }, EXIT_GRACE_MS).unref();
}
