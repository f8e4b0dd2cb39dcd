// When a file's lenses reach the screen. VS Code draws a file's lenses once every provider has answered
// its request: the extension's lenses above the tree answer at once, the language server's (one or two
// per task: thousands in a big tree, after a run's final statuses) take up to seconds more. What the
// extension's lens says is on screen only once the server has answered the same request too.
import * as vscode from 'vscode';

/** A provider answered a request for a file's lenses that VS Code made at `requestedAt` (performance.now()). */
export interface LensAnswer {
  file: string;
  requestedAt: number;
  from: 'extension' | 'server';
}

export class LensRounds implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<LensAnswer>();
  readonly onDidAnswer = this.emitter.event;

  answered(document: vscode.TextDocument, requestedAt: number, from: LensAnswer['from']): void {
    if (document.uri.scheme === 'file') this.emitter.fire({ file: document.uri.fsPath, requestedAt, from });
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
