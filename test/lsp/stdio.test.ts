// Over stdio the server uses its own message writer (server/serialized.ts), so what
// vscode-languageserver does for `--stdio` is the server's to keep: it exits when its input closes,
// with 0 after a `shutdown` request and 1 without one.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { ShutdownRequest } from 'vscode-languageserver-protocol/node';
import { LspClient } from './lsp-client';

async function exitCodeAfterInputCloses(shutdownFirst: boolean): Promise<number | null> {
  const client = await LspClient.start();
  try {
    if (shutdownFirst) await client.connection.sendRequest(ShutdownRequest.type);
    const exited = once(client.child, 'exit');
    client.child.stdin.end();
    const [code] = (await exited) as [number | null];
    return code;
  } finally {
    await client.stop();
  }
}

describe('language server: stdio', () => {
  it('exits with 0 when its input closes after a shutdown request', async () => {
    assert.equal(await exitCodeAfterInputCloses(true), 0);
  });

  it('exits with 1 when its input closes without one', async () => {
    assert.equal(await exitCodeAfterInputCloses(false), 1);
  });
});
