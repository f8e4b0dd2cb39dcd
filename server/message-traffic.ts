// Requests that can wait for the ones behind them. VS Code asks for a file's outline, its code actions
// and its lenses together when it opens or changes the file, and vscode-jsonrpc answers in order, one
// message per turn of the event loop. The outline of a large file costs the most (0.1–0.3 s at 10,000
// tasks, and as much again for VS Code to convert), so the lenses waited for it: they show only once
// every provider has answered. The outline now waits until the messages queued behind it are handled.
import type { Message, MessageStrategy } from 'vscode-languageserver/node';

/** Turns of the event loop without a message handled that show the queue is empty. */
const QUIET_TURNS = 2;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class MessageTraffic implements MessageStrategy {
  private handled = 0;

  handleMessage(message: Message, next: (message: Message) => void): void {
    this.handled++;
    // An asynchronous handler's promise goes back to vscode-jsonrpc, which waits for it.
    return next(message);
  }

  /**
   * Resolves once the messages that arrived before it are handled. vscode-jsonrpc's reader hands over
   * one message per turn and its queue handles one per turn, so while messages are waiting one is
   * handled every turn or two; two quiet turns in a row mean none is left.
   */
  async settled(): Promise<void> {
    let seen = this.handled;
    for (let quiet = 0; quiet < QUIET_TURNS; ) {
      await nextTurn();
      quiet = this.handled === seen ? quiet + 1 : 0;
      seen = this.handled;
    }
  }
}
