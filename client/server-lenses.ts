// The language server's lenses (▶ Run task, a task's newest run status, `N dependents · M dependencies`),
// as a source of the extension's lens hub (lens-hub.ts) rather than through the language client's own
// provider, which registers once the server has answered `initialize` and so starts VS Code's first
// lens round of an opened file again. Until the server runs this source answers nothing, and says its
// lenses changed once it does (the server declares no `codeLensProvider` to this client:
// InitializationOptions.ownLensProvider).
import * as vscode from 'vscode';
import { CodeLensRequest, CodeLensResolveRequest, State, type LanguageClient } from 'vscode-languageclient/node';
import { LensesChangedNotification } from '../protocol';
import type { LensRounds } from './lens-rounds';

export class ServerLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly client: LanguageClient,
    /** Told of each answer VS Code did not cancel (the status bar waits for it at the end of a run). */
    private readonly rounds: LensRounds,
  ) {
    this.subscriptions = [
      // Started or restarted: what was answered meanwhile had none of the server's lenses.
      client.onDidChangeState((e) => e.newState === State.Running && this.emitter.fire()),
      client.onNotification(LensesChangedNotification, () => this.emitter.fire()),
    ];
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    if (!this.client.isRunning()) return [];
    const requestedAt = performance.now();
    const { code2ProtocolConverter: c2p, protocol2CodeConverter: p2c } = this.client;
    try {
      const found = await this.client.sendRequest(CodeLensRequest.type, c2p.asCodeLensParams(document), token);
      const lenses = (await p2c.asCodeLenses(found, token)) ?? [];
      // On the next macrotask: once the extension host has sent the lenses on to the window, so that
      // what listeners change (the status bar) reaches the window after them.
      if (!token.isCancellationRequested) setTimeout(() => this.rounds.answered(document, requestedAt, 'server'), 0);
      return lenses;
    } catch {
      // Cancelled, or the server stopped meanwhile (its restart asks for a new round).
      return [];
    }
  }

  async resolveCodeLens(lens: vscode.CodeLens, token: vscode.CancellationToken): Promise<vscode.CodeLens> {
    if (!this.client.isRunning()) return lens;
    const { code2ProtocolConverter: c2p, protocol2CodeConverter: p2c } = this.client;
    try {
      return p2c.asCodeLens(await this.client.sendRequest(CodeLensResolveRequest.type, c2p.asCodeLens(lens), token));
    } catch {
      return lens;
    }
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.emitter.dispose();
  }
}
