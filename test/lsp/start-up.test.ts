// What the server does as an editor opens a file (issue 9: the first squiggle and lens of a big
// file): the outline lets the lenses asked with it go first, and settings that are the defaults
// re-check and refresh nothing.
import assert from 'node:assert/strict';
import { FULL_CAPABILITIES, LspClient } from './lsp-client';
import { Workspace } from './fixtures';

const TREE = 'tasks:\n  - id: a\n    name: A\n    schemas: { method: command_executor }\n    inputs: { command: "echo a", timeout: 5 }\n';
const REFRESHING = { ...FULL_CAPABILITIES, workspace: { ...FULL_CAPABILITIES.workspace, codeLens: { refreshSupport: true } } };

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

  it('answers the lenses asked for with an outline before the outline', async () => {
    const client = await start();
    const uri = ws.uri('order.apflow.yaml');
    await firstDiagnostics(client, uri, TREE);
    const answered: string[] = [];
    const ask = (method: string) => client.request(method, { textDocument: { uri } }).then(() => answered.push(method));
    await Promise.all([ask('textDocument/documentSymbol'), ask('textDocument/codeLens')]);
    assert.deepEqual(answered, ['textDocument/codeLens', 'textDocument/documentSymbol']);
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
