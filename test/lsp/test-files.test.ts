// Tree-test files in the language server (issue 14), over JSON-RPC against the built server: schema
// diagnostics, an error for an id the tree does not have (from the tree on disk, then from the tree's
// open buffer), completion and definition of task and executor ids, and hover showing the mocked task.
import assert from 'node:assert/strict';
import type { CompletionList, Hover, Location, PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { Workspace } from './fixtures';
import { LspClient, positionOf } from './lsp-client';

const TREE = `executors:
  fetch_users: { module: ./etl.mjs, export: fetchUsers }
tasks:
  - id: import
    name: Import users
    schemas: { method: aggregate_results_executor }
    dependencies: [fetch]
  - id: fetch
    name: Fetch users
    parent_id: import
    schemas: { method: fetch_users }
    inputs: { source: users.json }
`;

const TESTS = `tree: etl.apflow.yaml
cases:
  - name: fetch down
    mocks:
      fetch: { fail: "503" }
      feth: { result: {} }
    expect:
      stauts: failed
      tasks:
        import: { blocked_by: fetch }
`;

const lines = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => `${d.range.start.line} ${String(d.code)} ${d.message}`);

describe('language server: tree-test files (issue 14)', function () {
  let client: LspClient;
  let ws: Workspace;
  const uri = () => ws.uri('etl.apflow.test.yaml');

  before(async () => {
    ws = new Workspace();
    ws.write('etl.apflow.yaml', TREE);
    ws.write('etl.mjs', 'export function fetchUsers() { return {}; }\n');
    client = await LspClient.start({ settings: { apflow: {} } });
    await client.open(uri(), TESTS, 'apflow-test');
  });
  after(async () => {
    await client.stop();
    ws.remove();
  });

  it('reports schema problems and ids the tree does not have, and nothing of the tree checks', async () => {
    const published = await client.waitForDiagnostics(uri(), (p) => p.diagnostics.length > 0);
    assert.deepEqual(lines(published), ['7 unknown-key unknown key `stauts` in `cases.0.expect`; did you mean `status`?']);
    // Schema problems first; once fixed, the ids are checked against the tree on disk.
    const at = positionOf(TESTS, 'stauts');
    await client.change(uri(), [{ range: { start: at, end: { line: at.line, character: at.character + 6 } }, text: 'status' }]);
    const checked = await client.waitForDiagnostics(uri(), (p) => p.version === client.version(uri()));
    assert.deepEqual(lines(checked), ["5 unknown-reference etl.apflow.yaml has no task 'feth'; did you mean 'fetch'?"]);
  });

  it('checks against the open buffer of the tree once it is open', async () => {
    await client.open(ws.uri('etl.apflow.yaml'), TREE.replace('- id: fetch', '- id: feth').replace('[fetch]', '[feth]'));
    const published = await client.waitForDiagnostics(uri(), (p) => lines(p).some((l) => l.includes("no task 'fetch'")));
    assert.deepEqual(
      lines(published).map((l) => l.split(' ').slice(0, 2).join(' ')),
      ['4 unknown-reference', '9 unknown-reference'],
    );
    await client.close(ws.uri('etl.apflow.yaml'));
  });

  it('completes task ids and executor mocks under `mocks:`, and task ids for blocked_by', async () => {
    const text = `${TESTS.replace('stauts', 'status')}  - name: more\n    mocks:\n      \n`;
    await client.change(uri(), [{ text }]);
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: uri() }, position: { line: 12, character: 6 } });
    assert.deepEqual(
      list.items.map((i) => i.label),
      ['import', 'fetch', 'executor:fetch_users', 'executor:aggregate_results_executor'],
    );
    const blocked = positionOf(text, 'blocked_by: fetch', 'blocked_by: '.length);
    const ids = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: uri() }, position: blocked });
    assert.deepEqual(
      ids.items.map((i) => i.label),
      ['import', 'fetch'],
    );
  });

  it('goes to the task a mock names, in the tree file, and hovers with the mocked task', async () => {
    const at = positionOf(TESTS, 'fetch: { fail', 2);
    const locations = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: uri() }, position: at });
    assert.deepEqual(locations, [{ uri: ws.uri('etl.apflow.yaml'), range: { start: { line: 7, character: 8 }, end: { line: 7, character: 13 } } }]);
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: uri() }, position: at });
    const markdown = (hover.contents as { value: string }).value;
    assert.match(markdown, /^\*\*fetch\*\* — Fetch users {2}\nexecutor `fetch_users` {2}\ninputs: `\{"source":"users.json"\}`$/);
  });
});
