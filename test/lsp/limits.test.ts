// The language server on hostile documents (issue 9): a document with thousands of problems publishes
// the first 1,000 and one summary, structure nested 3,000 deep is a yaml-syntax diagnostic (not an
// empty list), a CR-only document is read line by line, and a full-document change gives what the
// same change sent as a range gives.
import assert from 'node:assert/strict';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { CR_ONLY, DEEPEST_LINE, deeplyNested, misspeltExecutors } from '../fixtures/hostile';
import { startedServer } from './fixtures';

const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => `${String(d.code)}@${d.range.start.line}:${d.range.start.character}`);

describe('language server: hostile documents (issue 9)', function () {
  this.timeout(60000);
  // Thousands of tasks under one root: without a higher limit tree-too-large would be the first
  // diagnostic, and these tests count the others. The server reads the setting after initialising,
  // so a document opened at once may first be published with the default limit.
  const server = startedServer({ settings: { apflow: { validate: { maxTreeSize: 100000 } } } });
  const settled = async (uri: string) => (await server.client.waitForDiagnostics(uri, (p) => !p.diagnostics.some((d) => d.code === 'tree-too-large'))).diagnostics;

  it('publishes the first 1,000 diagnostics of 1,200 and one that says how many more and how to list them', async () => {
    const uri = server.ws.uri('many.apflow.yaml');
    await server.client.open(uri, misspeltExecutors(1200));
    const diagnostics = await settled(uri);
    assert.equal(diagnostics.length, 1001);
    assert.ok(diagnostics.slice(0, 1000).every((d) => d.code === 'unknown-executor'));
    const summary = diagnostics[1000];
    assert.equal(summary.severity, DiagnosticSeverity.Information);
    assert.equal(summary.code, undefined);
    assert.match(String(summary.message), /^200 more problems from here on are not shown .*`apflow-yaml validate many\.apflow\.yaml`/);
    // It stands where the first problem not shown is: task t1000's executor.
    assert.deepEqual(summary.range.start, { line: 4 + 1000 * 5 + 4, character: 23 });
    await server.client.close(uri);
  });

  it('publishes exactly 1,000 diagnostics as they are, without a summary', async () => {
    const uri = server.ws.uri('thousand.apflow.yaml');
    await server.client.open(uri, misspeltExecutors(1000));
    const diagnostics = await settled(uri);
    assert.equal(diagnostics.length, 1000);
    assert.ok(diagnostics.every((d) => d.code === 'unknown-executor'));
    await server.client.close(uri);
  });

  it('publishes a yaml-syntax diagnostic for structure nested 3,000 deep, and recovers when it is removed', async () => {
    const uri = server.ws.uri('deep.apflow.yaml');
    const text = deeplyNested(3000, 'extra: 1\n');
    await server.client.open(uri, text);
    const first = await server.client.current(uri);
    assert.deepEqual(codes(first.diagnostics), [`yaml-syntax@${DEEPEST_LINE}:6006`]);
    assert.match(String(first.diagnostics[0].message), /nested too deeply to be read/);
    await server.client.replaceAll(uri, deeplyNested(3, 'extra: 1\n'));
    const after = await server.client.current(uri);
    assert.deepEqual(codes(after.diagnostics), ['missing-timeout@3:23', 'unknown-key@10:0']);
    assert.ok(server.client.alive);
    await server.client.close(uri);
  });

  it('reads a CR-only document line by line, as LSP counts lines', async () => {
    const uri = server.ws.uri('cr.apflow.yaml');
    await server.client.open(uri, CR_ONLY);
    const { diagnostics } = await server.client.current(uri);
    assert.deepEqual(codes(diagnostics), ['unknown-executor@3:23']);
    const hover = await server.client.request<{ range: unknown } | null>('textDocument/hover', server.client.at(uri, { line: 1, character: 9 }));
    assert.deepEqual(hover?.range, { start: { line: 1, character: 8 }, end: { line: 1, character: 9 } });
    await server.client.close(uri);
  });

  it('a full-document change gives the diagnostics the same change sent as a range gives', async () => {
    const text = misspeltExecutors(300);
    const at = text.indexOf('comand_executor', text.length >> 1);
    const line = text.slice(0, at).split('\n').length - 1;
    const character = at - text.lastIndexOf('\n', at - 1) - 1;
    const ranged = server.ws.uri('ranged.apflow.yaml');
    const full = server.ws.uri('full.apflow.yaml');
    await server.client.open(ranged, text);
    await server.client.open(full, text);
    await server.client.change(ranged, [{ range: { start: { line, character }, end: { line, character: character + 'comand'.length } }, text: 'command' }]);
    await server.client.replaceAll(full, `${text.slice(0, at)}command${text.slice(at + 'comand'.length)}`);
    const [a, b] = await Promise.all([server.client.current(ranged), server.client.current(full)]);
    // The corrected task now runs a command without a timeout (its command may come from root's result).
    assert.deepEqual(a.diagnostics.filter((d) => d.code !== 'unknown-executor').map((d) => [d.code, d.range.start.line]), [['missing-timeout', line]]);
    assert.deepEqual(b.diagnostics, a.diagnostics);
  });
});

describe('language server: the outline cap (apflow.outline.maxItems)', function () {
  this.timeout(60000);
  // A tree-size limit of 3 tells when the server has read the settings: tree-too-large appears.
  const server = startedServer({ settings: { apflow: { outline: { maxItems: 3 }, validate: { maxTreeSize: 3 } } } });

  it('lists the first tasks level by level and sums up the rest, over stdio', async () => {
    const uri = server.ws.uri('capped.apflow.yaml');
    await server.client.open(uri, misspeltExecutors(6));
    await server.client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'tree-too-large'));
    const symbols = await server.client.request<{ name: string; children?: { name: string }[]; range: { start: { line: number } } }[]>('textDocument/documentSymbol', { textDocument: { uri } });
    const [root, summary] = symbols;
    assert.equal(symbols.length, 2);
    assert.equal(root.children?.length, 2);
    assert.equal(summary.name, '4 more tasks are not listed');
    await server.client.close(uri);
  });
});
