// The language server's lenses (▶ Run task, a task's newest run status, `N dependents · M dependencies`),
// as a source of the extension's lens hub (lens-hub.ts) rather than through the language client's own
// provider, which registers once the server has answered `initialize` and so starts VS Code's first
// lens round of an opened file again. Until the server runs this source answers nothing, and says its
// lenses changed once it does (the server declares no `codeLensProvider` to this client:
// InitializationOptions.ownLensProvider); a round does not wait long for a busy server (ROUND_WAIT_MS).
import * as vscode from 'vscode';
import { CodeLensRequest, CodeLensResolveRequest, State, type LanguageClient } from 'vscode-languageclient/node';
import { LensesChangedNotification } from '../protocol';
import type { LensRounds } from './lens-rounds';

/**
 * How long one of VS Code's lens rounds waits for the server. VS Code shows none of a file's lenses
 * before every source has answered: while the server is busy (its first analysis of a big tree, when
 * the editor asks at once) the extension's own lenses above the tree would wait for it.
 */
const ROUND_WAIT_MS = 200;

/** The server's answer for one version of a document, shared by the rounds that ask for it. */
interface Answer {
  key: string;
  lenses: Promise<vscode.CodeLens[] | undefined>;
  /** Once it has come. */
  ready?: vscode.CodeLens[];
}

export class ServerLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[];
  /** The last answer asked for, by document URI. */
  private readonly answers = new Map<string, Answer>();
  /** Counts what makes an answer stale without a new document version: a restart, the server's word. */
  private generation = 0;

  constructor(
    private readonly client: LanguageClient,
    /** Told of each answer VS Code did not cancel (the status bar waits for it at the end of a run). */
    private readonly rounds: LensRounds,
  ) {
    this.subscriptions = [
      // Started or restarted: what was answered meanwhile had none of the server's lenses.
      client.onDidChangeState((e) => e.newState === State.Running && this.changed()),
      client.onNotification(LensesChangedNotification, () => this.changed()),
      vscode.workspace.onDidCloseTextDocument((d) => this.answers.delete(d.uri.toString())),
    ];
  }

  /**
   * The server's lenses, if they come within ROUND_WAIT_MS; otherwise none this round, and when they
   * come VS Code is told to ask again, and gets them at once.
   */
  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    if (!this.client.isRunning()) return [];
    const requestedAt = performance.now();
    const answer = this.answerFor(document);
    const lenses = answer.ready ?? (await Promise.race([answer.lenses, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ROUND_WAIT_MS))]));
    if (lenses === undefined) {
      void answer.lenses.then((late) => late && this.answers.get(document.uri.toString()) === answer && this.emitter.fire());
      return [];
    }
    // On the next macrotask: once the extension host has sent the lenses on to the window, so that
    // what listeners change (the status bar) reaches the window after them.
    if (!token.isCancellationRequested) setTimeout(() => this.rounds.answered(document, requestedAt, 'server'), 0);
    return lenses;
  }

  private answerFor(document: vscode.TextDocument): Answer {
    const uri = document.uri.toString();
    const key = `${document.version}#${this.generation}`;
    const known = this.answers.get(uri);
    if (known?.key === key) return known;
    const { code2ProtocolConverter: c2p, protocol2CodeConverter: p2c } = this.client;
    // Not cancelled with the round that asked first: the rounds after it share the answer.
    const lenses = this.client.sendRequest(CodeLensRequest.type, c2p.asCodeLensParams(document)).then(
      async (found) => (answer.ready = (await p2c.asCodeLenses(found)) ?? []),
      // The server stopped meanwhile: its restart asks for a new round, which asks the server again.
      () => {
        if (this.answers.get(uri) === answer) this.answers.delete(uri);
        return undefined;
      },
    );
    const answer: Answer = { key, lenses };
    this.answers.set(uri, answer);
    return answer;
  }

  private changed(): void {
    this.generation++;
    this.emitter.fire();
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
