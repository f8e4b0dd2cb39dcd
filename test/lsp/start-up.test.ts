// What the server does as an editor opens a file (issue 9: the first squiggle and lens of a big
// file): files named with --prefetch are analysed before they are opened, the outline lets the
// lenses asked with it go first, and settings that are the defaults re-check and refresh nothing.
import assert from 'node:assert/strict';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { FULL_CAPABILITIES, LspClient } from './lsp-client';
import { Workspace } from './fixtures';

const BROKEN = 'tasks:\n  - id: a\n    name: A\n    schemas: { method: command_executor }\n    inputs: { command: "echo a", timeout: 5 }\n    dependencies: [missing]\n';
const FIXED = BROKEN.replace('[missing]', '[]');
const REFRESHING = { ...FULL_CAPABILITIES, workspace: { ...FULL_CAPABILITIES.workspace, codeLens: { refreshSupport: true } } };

/** What a client sees of diagnostics: everything but the version. */
const shown = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => ({ code: d.code, range: d.range, message: d.message }));

async function firstDiagnostics(client: LspClient, uri: string, text: string) {
  await client.open(uri, text);
  return client.current(uri);
}

async function until(test: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10000;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`not within 10 s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Until the server says it read `name` before it was opened (the read is not waited for); its log line's index. */
async function readBeforeOpened(client: LspClient, name: string, tasks = 1): Promise<number> {
  const line = new RegExp(` read ${name.replace(/\./g, '\\.')} before it was opened: ${tasks} tasks? analysed in \\d+ ms$`);
  await until(() => client.infoLogs.some((l) => line.test(l)), `the server reads ${name}`);
  return client.infoLogs.findIndex((l) => line.test(l));
}

/** Until the server has registered for configuration changes and read the settings (its start-up). */
async function startedUp(client: LspClient): Promise<void> {
  await until(() => client.registrations.includes('workspace/didChangeConfiguration'), 'the server registers for configuration changes');
  // Messages are handled in order: once these are answered, the settings' answer was handled too.
  for (let i = 0; i < 2; i++) await client.request('apflow/serverStatus', {});
}

describe('server start-up', function () {
  this.timeout(30000);
  const ws = new Workspace();
  const clients: LspClient[] = [];
  const start = async (options: Parameters<typeof LspClient.start>[0] = {}) => {
    const client = await LspClient.start(options);
    clients.push(client);
    return client;
  };
  after(async () => {
    await Promise.all(clients.map((c) => c.stop()));
    ws.remove();
  });

  describe('--prefetch', () => {
    it('publishes for a file read before it was opened what it publishes for a file it had not read', async () => {
      ws.write('read.apflow.yaml', BROKEN);
      const uri = ws.uri('read.apflow.yaml');
      const plain = await firstDiagnostics(await start(), uri, BROKEN);
      const prefetching = await start({ serverArgs: [`--prefetch=${uri}`] });
      const read = await readBeforeOpened(prefetching, 'read.apflow.yaml');
      assert.ok(read > prefetching.infoLogs.findIndex((l) => / ready \d/.test(l)), `logged after the handshake: ${prefetching.infoLogs.join('\n')}`);
      const prefetched = await firstDiagnostics(prefetching, uri, BROKEN);
      assert.deepEqual(shown(prefetched), shown(plain));
      assert.ok(plain.diagnostics.some((d) => d.code === 'unknown-reference'), JSON.stringify(plain.diagnostics));
      assert.deepEqual(prefetching.publishedVersions.get(uri), [1], 'nothing is published before the file is opened');
    });

    it('analyses the text the editor opens when it is not what was read', async () => {
      ws.write('edited.apflow.yaml', BROKEN);
      const uri = ws.uri('edited.apflow.yaml');
      const client = await start({ serverArgs: [`--prefetch=${uri}`] });
      await readBeforeOpened(client, 'edited.apflow.yaml');
      assert.deepEqual(shown(await firstDiagnostics(client, uri, FIXED)), []);
    });

    it('analyses the file again when the settings its checks read differ from those it was read with', async () => {
      const tree = `${FIXED}  - id: b\n    name: B\n    parent_id: a\n    schemas: { method: command_executor }\n    inputs: { command: "echo b", timeout: 5 }\n`;
      ws.write('limited.apflow.yaml', tree);
      const uri = ws.uri('limited.apflow.yaml');
      const client = await start({ serverArgs: [`--prefetch=${uri}`], settings: { apflow: { validate: { maxTreeSize: 1 } } } });
      await readBeforeOpened(client, 'limited.apflow.yaml', 2);
      await startedUp(client);
      const first = await firstDiagnostics(client, uri, tree);
      assert.ok(first.diagnostics.some((d) => d.code === 'tree-too-large'), JSON.stringify(first.diagnostics));
    });

    it('serves as usual when a file to prefetch cannot be read', async () => {
      const uri = ws.uri('absent.apflow.yaml');
      const client = await start({ serverArgs: [`--prefetch=${uri}`, '--prefetch=untitled:Untitled-1'] });
      assert.ok((await firstDiagnostics(client, uri, BROKEN)).diagnostics.some((d) => d.code === 'unknown-reference'));
      assert.deepEqual(client.logs, []);
    });
  });

  it('answers the lenses asked for with an outline before the outline', async () => {
    const client = await start();
    const uri = ws.uri('order.apflow.yaml');
    await firstDiagnostics(client, uri, FIXED);
    // Both requests in one write, as they wait in the pipe while the server analyses a big file.
    const frames = [
      { jsonrpc: '2.0', id: 'outline', method: 'textDocument/documentSymbol', params: { textDocument: { uri } } },
      { jsonrpc: '2.0', id: 'lenses', method: 'textDocument/codeLens', params: { textDocument: { uri } } },
    ].map((message) => {
      const body = JSON.stringify(message);
      return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    });
    let out = '';
    client.child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    client.child.stdin.write(frames.join(''));
    const at = (id: string) => out.search(new RegExp(`"id":"${id}"`));
    await until(() => at('outline') >= 0 && at('lenses') >= 0, 'both answers');
    assert.ok(at('lenses') < at('outline'), out);
  });

  describe('settings read at start-up', () => {
    it('that are the defaults: no lens refresh; a change then refreshes', async () => {
      const client = await start({ capabilities: REFRESHING });
      await startedUp(client);
      assert.equal(client.lensRefreshes, 0);
      client.settings = { apflow: { codeLens: { perTaskLimit: 3 } } };
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      await until(() => client.lensRefreshes === 1, 'a lens refresh after the change');
    });

    it('that are not the defaults: the lenses are refreshed', async () => {
      const client = await start({ capabilities: REFRESHING, settings: { apflow: { codeLens: { perTaskLimit: 3 } } } });
      await startedUp(client);
      assert.equal(client.lensRefreshes, 1);
    });
  });
});
