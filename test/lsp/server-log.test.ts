// The server's own log lines (the "apflow" output channel in VS Code): when it was ready, and how long
// each opened document took to analyse, stamped with the server's clock. A document's line is sent
// before its diagnostics, so it has arrived once they have.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileUriOf, LspClient, ROOT } from './lsp-client';

const STAMP = String.raw`\d\d:\d\d:\d\d\.\d\d\d`;
const TREE = 'tasks:\n  - id: a\n    name: A\n    command: echo a\n  - id: b\n    name: B\n    command: echo b\n    dependencies: [a]\n';

describe('language server: its log', () => {
  let client: LspClient;
  const uri = fileUriOf(join(ROOT, 'logged.apflow.yaml'));
  const openings = () => client.infoLogs.filter((l) => l.includes('opened logged.apflow.yaml'));

  before(async () => {
    client = await LspClient.start();
    await client.open(uri, TREE);
    await client.current(uri);
  });
  after(() => client.stop());

  it('says when it was ready, how long after its process started', () => {
    const ready = new RegExp(`^${STAMP} apflow-language-server \\S+ ready \\d[\\d,]* ms after its process started \\(Node v\\d+`);
    assert.ok(client.infoLogs.some((l) => ready.test(l)), JSON.stringify(client.infoLogs));
  });

  it('says how long opening a document took, once per opening and not for its edits', async () => {
    assert.equal(openings().length, 1, JSON.stringify(client.infoLogs));
    assert.match(openings()[0], new RegExp(`^${STAMP} opened logged\\.apflow\\.yaml: 2 tasks analysed in \\d[\\d,]* ms$`));
    await client.change(uri, [{ range: { start: { line: 2, character: 11 }, end: { line: 2, character: 11 } }, text: 'x' }]);
    await client.current(uri);
    assert.equal(openings().length, 1, 'an edit is not logged');
    await client.close(uri);
    await client.open(uri, TREE);
    await client.current(uri);
    assert.equal(openings().length, 2, 'opened again after closing');
    assert.deepEqual(client.logs, []);
  });
});
