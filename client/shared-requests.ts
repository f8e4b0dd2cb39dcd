// One server request for several identical editor requests that overlap. VS Code asks for a document's
// outline twice when it opens one (for the Outline view and breadcrumbs, and for sticky scroll), the
// second before the first is answered. For a 10,000-task file each answer is over a megabyte of JSON
// that the extension host reads and converts, and it is queued ahead of the lens answer, for which
// VS Code holds back every lens of the file.

/** What a cancellation token offers (vscode's and vscode-jsonrpc's alike). */
export interface Token {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

export interface TokenSource<T extends Token> {
  readonly token: T;
  cancel(): void;
  dispose(): void;
}

interface Pending<R, T extends Token> {
  callers: number;
  readonly source: TokenSource<T>;
  readonly result: Promise<R>;
}

/** `T`: the tokens `send` is given (from `newSource`). */
export class SharedRequests<R, T extends Token = Token> {
  private readonly pending = new Map<string, Pending<R, T>>();

  constructor(private readonly newSource: () => TokenSource<T>) {}

  /** How many requests are being answered now (for the tests). */
  get size(): number {
    return this.pending.size;
  }

  /**
   * `send`'s answer for `key`, shared with the callers that asked for the same key meanwhile. The
   * request is cancelled only when every caller has cancelled; a caller that cancelled still gets
   * the answer (the editor ignores it).
   */
  request(key: string, token: Token, send: (token: T) => PromiseLike<R> | R): Promise<R> {
    let entry = this.pending.get(key);
    if (!entry) {
      const source = this.newSource();
      const created: Pending<R, T> = {
        callers: 0,
        source,
        result: Promise.resolve(send(source.token)).finally(() => {
          if (this.pending.get(key) === created) this.pending.delete(key);
          source.dispose();
        }),
      };
      this.pending.set(key, created);
      entry = created;
    }
    const shared = entry;
    shared.callers++;
    const listener = token.onCancellationRequested(() => {
      listener.dispose();
      if (--shared.callers > 0) return;
      if (this.pending.get(key) === shared) this.pending.delete(key);
      shared.source.cancel();
    });
    return shared.result.finally(() => listener.dispose());
  }
}
