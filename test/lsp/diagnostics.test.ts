// Diagnostics and quick fixes over JSON-RPC against the built server: capabilities, diagnostics on
// open and after incremental edits (published with the document version), the acceptance trees,
// code actions from the diagnostics' fixes, settings, and file watching for executor modules.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeAction, Diagnostic, InitializeResult, PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { PythonEnvironmentNotification } from '../../protocol';
import { fileUriOf, LspClient, positionOf } from './lsp-client';
import { CHAIN, SPEC_EXAMPLE, Workspace } from './fixtures';
import { generateTree } from '../bench/generate';

const ACCEPTANCE = join(__dirname, '..', 'fixtures', 'acceptance');

/** The id of the task whose item holds `line`. */
function taskAt(text: string, line: number): string {
  const lines = text.split('\n').slice(0, line + 1).reverse();
  return (lines.find((l) => l.startsWith('  - id: ')) as string).slice('  - id: '.length);
}

/** The published diagnostics but the hints (advice such as missing-timeout, tested with the analysis core). */
const summary = (p: PublishDiagnosticsParams) => p.diagnostics.filter((d) => d.severity !== 4).map((d) => `${String(d.code)}@${d.range.start.line}`);

describe('language server: diagnostics', function () {
  let client: LspClient;
  let ws: Workspace;

  before(async () => {
    ws = new Workspace();
    client = await LspClient.start({ settings: { apflow: {} } });
  });
  after(async () => {
    await client.stop();
    ws.remove();
  });

  it('announces its capabilities and registers for file and configuration changes', async () => {
    const caps = (client.initializeResult as InitializeResult).capabilities;
    assert.deepEqual(caps.textDocumentSync, { openClose: true, change: 2 });
    assert.equal(caps.hoverProvider, true);
    assert.equal(caps.definitionProvider, true);
    assert.equal(caps.referencesProvider, true);
    assert.deepEqual(caps.renameProvider, { prepareProvider: true });
    assert.equal(caps.callHierarchyProvider, true);
    assert.deepEqual(caps.codeLensProvider, { resolveProvider: true });
    assert.deepEqual(caps.codeActionProvider, { codeActionKinds: ['quickfix'] });
    assert.ok(caps.completionProvider?.triggerCharacters?.includes(':'));
    assert.equal(client.initializeResult.serverInfo?.name, 'apflow-language-server');
    // Registration follows `initialized`; the server asks when it is ready.
    for (let i = 0; i < 100 && client.registrations.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(client.registrations.sort(), ['workspace/didChangeConfiguration', 'workspace/didChangeWatchedFiles']);
  });

  it('publishes the diagnostics of every acceptance tree, as `apflow-yaml validate` reports them', async () => {
    const cases = readdirSync(ACCEPTANCE).filter((f) => /\.apflow\.(ya?ml|json)$/.test(f));
    let checked = 0;
    for (const file of cases) {
      const expect = JSON.parse(readFileSync(join(ACCEPTANCE, file.replace(/\.apflow\.(ya?ml|json)$/, '.expect.json')), 'utf8')) as {
        kind: string;
        diagnostics?: { code: string; line: number }[];
      };
      if (expect.kind !== 'validate') continue;
      const uri = fileUriOf(join(ACCEPTANCE, file));
      await client.open(uri, readFileSync(join(ACCEPTANCE, file), 'utf8'));
      const published = await client.current(uri);
      const got = published.diagnostics.filter((d) => d.severity === 1 || d.severity === 2).map((d) => `${String(d.code)}@${d.range.start.line}`);
      assert.deepEqual(got.sort(), (expect.diagnostics ?? []).map((d) => `${d.code}@${d.line}`).sort(), file);
      assert.ok(published.diagnostics.every((d) => d.source === 'apflow'));
      await client.close(uri);
      checked++;
    }
    assert.ok(checked >= 5, `only ${checked} validate cases`);
  });

  it('names the cycle and relates the other dependencies of the loop', async () => {
    const uri = fileUriOf(join(ACCEPTANCE, 'a02-cycle.apflow.yaml'));
    await client.open(uri, readFileSync(join(ACCEPTANCE, 'a02-cycle.apflow.yaml'), 'utf8'));
    const cycle = (await client.current(uri)).diagnostics.filter((d) => d.code === 'dependency-cycle');
    assert.equal(cycle.length, 3);
    assert.match(String(cycle[0].message), /fetch → store → parse → fetch/);
    assert.deepEqual(cycle[0].range, { start: { line: 10, character: 19 }, end: { line: 10, character: 24 } });
    assert.equal(cycle[0].relatedInformation?.length, 2);
    assert.equal(cycle[0].relatedInformation?.[0].location.uri, uri);
    await client.close(uri);
  });

  it('links every diagnostic code to its section of docs/diagnostics.md, a file that opens in the editor', async () => {
    const uri = ws.uri('mistakes.apflow.yaml');
    await client.open(uri, readFileSync(join(__dirname, '..', '..', 'examples', 'mistakes.apflow.yaml'), 'utf8'));
    const published = (await client.current(uri)).diagnostics;
    const docs = join(__dirname, '..', '..', 'docs', 'diagnostics.md');
    const lines = readFileSync(docs, 'utf8').split('\n');
    assert.ok(published.length > 5);
    for (const d of published) {
      const href = d.codeDescription?.href ?? '';
      const match = /^(file:\/\/.*)#L(\d+)$/.exec(href);
      assert.ok(match, `${String(d.code)} has no file link: ${href}`);
      assert.equal(decodeURIComponent(new URL(match[1]).pathname), docs);
      assert.equal(lines[Number(match[2]) - 1], `## ${String(d.code)}`);
    }
    await client.close(uri);
  });

  it('re-publishes after incremental edits, with the edited version, and clears on close', async () => {
    const uri = ws.uri('chain.apflow.yaml');
    await client.open(uri, CHAIN);
    // fetch's priority 0 makes apflow start it after its siblings: information only.
    assert.deepEqual(summary(await client.current(uri)), ['priority-zero-last@28']);
    // Break a reference: `- parse` → `- parsex`.
    const at = positionOf(CHAIN, '- parse', 7);
    await client.change(uri, [{ range: { start: at, end: at }, text: 'x' }]);
    const broken = await client.current(uri);
    assert.equal(broken.version, 2);
    // load cannot run, so root cannot either, and root no longer waits for parse and fetch.
    assert.deepEqual(summary(broken), ['unreachable@2', 'unknown-reference@15', 'parent-ordering@18', 'parent-ordering@27', 'priority-zero-last@28']);
    const byCode = (code: string) => broken.diagnostics.find((d) => d.code === code);
    assert.match(String(byCode('unknown-reference')?.message), /did you mean 'parse'\?/);
    assert.match(String(byCode('unreachable')?.message), /never runs: requires load, which requires 'parsex', which does not exist/);
    // Two changes in one notification: undo, then a typo in a key.
    const key = positionOf(CHAIN, 'priority: 0');
    await client.change(uri, [
      { range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: '' },
      { range: { start: key, end: { line: key.line, character: key.character + 8 } }, text: 'priorty' },
    ]);
    const typo = await client.current(uri);
    assert.deepEqual(summary(typo), [`unknown-key@${key.line}`]);
    assert.deepEqual(typo.diagnostics.find((d) => d.code === 'unknown-key')?.range, { start: key, end: { line: key.line, character: key.character + 7 } });
    await client.close(uri);
    assert.deepEqual((await client.waitForDiagnostics(uri, (p) => p.version === undefined)).diagnostics, []);
  });

  it('coalesces a burst of changes to a large file and publishes the diagnostics of the last version', async () => {
    const { text } = generateTree(2000);
    const uri = ws.uri('burst.apflow.yaml');
    await client.open(uri, text);
    await client.current(uri, 60000);
    const before = client.publishedVersions.get(uri)?.length ?? 0;
    const at = positionOf(text, 'dependencies: [t', 'dependencies: ['.length);
    // Typing `nope, ` quickly: six changes in a row, then the result.
    for (const [k, ch] of [...'nope, '].entries()) await client.change(uri, [{ range: { start: { line: at.line, character: at.character + k }, end: { line: at.line, character: at.character + k } }, text: ch }]);
    const last = await client.current(uri, 60000);
    const published = (client.publishedVersions.get(uri) ?? []).slice(before);
    assert.equal(last.version, 7);
    const unknown = last.diagnostics.filter((d) => d.code === 'unknown-reference');
    assert.equal(unknown.length, 1);
    assert.ok(String(unknown[0].message).startsWith(`dependency 'nope' of task '${taskAt(text, at.line)}' is neither the id nor the name`), String(unknown[0].message));
    assert.ok(published.length < 6, `published ${published.length} times for 6 changes`);
    await client.close(uri);
  });

  it('offers the quick fixes of the diagnostics under the cursor, preferred where marked', async () => {
    const uri = ws.uri('fixes.apflow.yaml');
    const text = CHAIN.replace('  - id: fetch\n    name: Fetch rows\n    parent_id: root\n', '  - id: fetch\n    name: Fetch rows\n').replace('- load', '- laod');
    await client.open(uri, text);
    const diagnostics = (await client.current(uri)).diagnostics;
    const unknown = diagnostics.find((d) => d.code === 'unknown-reference') as Diagnostic;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: unknown.range, context: { diagnostics: [unknown] } });
    // `root` and `Root` are near too, but they are the task that holds the dependency: the one near name is preferred.
    assert.deepEqual(actions.map((a) => [a.title, a.kind, a.isPreferred ?? false]), [['Change to `load`', 'quickfix', true]]);
    assert.deepEqual(actions[0].edit?.changes?.[uri], [{ range: unknown.range, newText: 'load' }]);
    assert.equal(actions[0].diagnostics?.[0].code, 'unknown-reference');
    const roots = diagnostics.find((d) => d.code === 'multiple-roots') as Diagnostic;
    const rootActions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: roots.range, context: { diagnostics: [] } });
    assert.deepEqual(rootActions.map((a) => [a.title, a.isPreferred]), [['Put under `root`', true]]);
    // Added after the task's last key, which ends the file.
    const end = { line: text.split('\n').length - 1, character: 0 };
    assert.deepEqual(rootActions[0].edit?.changes?.[uri], [{ range: { start: end, end }, newText: '    parent_id: root\n' }]);
    const only = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: roots.range, context: { diagnostics: [], only: ['refactor'] } });
    assert.deepEqual(only, []);
    await client.close(uri);
  });

  it('checks executor modules on disk and re-checks when the client reports them created or deleted', async () => {
    const uri = ws.uri('flow.apflow.yaml');
    await client.open(uri, SPEC_EXAMPLE);
    // The example's max_attempts is a field apflow 0.18, the default target, drops: information only.
    assert.deepEqual(summary(await client.current(uri)), ['executor-module-missing@4', 'dropped-field@28']);
    const module = ws.write('executors/format-report.mjs', 'export default () => ({});\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUriOf(module), type: 1 }] });
    await client.waitForDiagnostics(uri, (p) => summary(p).join() === 'dropped-field@28');
    await client.close(uri);
  });

  it('re-checks open documents when apflow.validate.maxTreeSize changes', async () => {
    const uri = ws.uri('six.apflow.yaml');
    const rows = ['tasks:', '  - { id: root, schemas: { method: aggregate_results_executor } }'];
    for (let i = 1; i < 6; i++) rows.push(`  - { id: t${i}, parent_id: root, schemas: { method: system_info_executor } }`);
    await client.open(uri, `${rows.join('\n')}\n`);
    assert.ok(!(await client.current(uri)).diagnostics.some((d) => d.code === 'tree-too-large'));
    client.settings = { apflow: { validate: { maxTreeSize: 5 } } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const large = await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'tree-too-large'));
    assert.match(String(large.diagnostics.find((d) => d.code === 'tree-too-large')?.message), /has 6 tasks, more than the limit of 5/);
    client.settings = { apflow: {} };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitForDiagnostics(uri, (p) => !p.diagnostics.some((d) => d.code === 'tree-too-large'));
    await client.close(uri);
  });

  it('checks files without apflow_version against apflow.target, and re-checks open files when it changes', async () => {
    const uri = ws.uri('forest.apflow.yaml');
    const forest = `${CHAIN}  - id: other\n    name: Other root\n    schemas: { method: aggregate_results_executor }\n`;
    await client.open(uri, forest);
    assert.ok((await client.current(uri)).diagnostics.some((d) => d.code === 'multiple-roots'), '0.18 by default');
    client.settings = { apflow: { target: '0.20' } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitForDiagnostics(uri, (p) => !p.diagnostics.some((d) => d.code === 'multiple-roots'));
    client.settings = { apflow: {} };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'multiple-roots'));
    await client.close(uri);
  });

  it('withdraws the diagnostics while apflow.validate.enable is false, and publishes them again when it is turned back on', async () => {
    const uri = ws.uri('quiet.apflow.yaml');
    await client.open(uri, CHAIN.replace('- load', '- nothing'));
    assert.ok((await client.current(uri)).diagnostics.some((d) => d.code === 'unknown-reference'));
    client.settings = { apflow: { validate: { enable: false } } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitForDiagnostics(uri, (p) => p.diagnostics.length === 0);
    client.settings = { apflow: {} };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'unknown-reference'));
    await client.close(uri);
  });

  // Issue 12: apflow/pythonEnvironment, once the client probed the workspace's Python.
  it('rewords remote-executor for executors apflow runs locally, and only for those', async () => {
    const uri = ws.uri('llm.apflow.yaml');
    const text = 'tasks:\n  - id: ask\n    name: Ask\n    schemas: { method: llm_executor }\n    inputs: { messages: [] }\n    dependencies: [mail]\n  - id: mail\n    name: Mail\n    parent_id: ask\n    schemas: { method: ssh_executor }\n    inputs: { host: h, username: u, command: c }\n';
    await client.open(uri, text);
    const remote = (p: PublishDiagnosticsParams) => p.diagnostics.filter((d) => d.code === 'remote-executor');
    const before = remote(await client.waitForDiagnostics(uri, (p) => remote(p).length === 2));
    assert.ok(before.every((d) => /needs an apflow server/.test(String(d.message))));
    await client.connection.sendNotification(PythonEnvironmentNotification, { interpreter: '/ws/.venv/bin/python', apflow: '0.18.1', executors: ['llm_executor'] });
    const after = remote(await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => String(d.message).includes('runs locally'))));
    assert.deepEqual(
      after.map((d) => String(d.message)),
      ["`llm_executor` runs locally: apflow 0.18.1 is installed in /ws/.venv/bin/python, and the run's Python host runs it there", before[1].message],
    );
  });
});

describe('language server: a client without configuration, snippets or file watching (like Neovim 0.7)', function () {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({ capabilities: {} });
  });
  after(() => client.stop());

  it('works with defaults: diagnostics, plain-text completion, flat symbols', async () => {
    assert.deepEqual(client.registrations, []);
    const uri = 'untitled:Untitled-1';
    await client.open(uri, SPEC_EXAMPLE);
    // No folder for an unsaved buffer: its executor module is not looked up. What remains is the
    // information that apflow 0.18, the default target, drops the example's max_attempts.
    assert.deepEqual(summary(await client.current(uri)), ['dropped-field@28']);
    const completion = await client.request<{ items: { label: string; insertTextFormat: number; textEdit: { newText: string } }[] }>(
      'textDocument/completion',
      client.at(uri, positionOf(SPEC_EXAMPLE, '    timeout: 10', 4)),
    );
    const schemas = completion.items.find((i) => i.label === 'schemas');
    assert.equal(completion.items.find((i) => i.label === 'timeout'), undefined);
    assert.equal(schemas, undefined, 'schemas is already present');
    const retry = completion.items.find((i) => i.label === 'backoff_strategy');
    assert.equal(retry?.insertTextFormat, 1);
    assert.equal(retry?.textEdit.newText, 'backoff_strategy: ');
    const symbols = await client.request<{ name: string; containerName?: string }[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(
      symbols.map((s) => [s.name, s.containerName ?? null]),
      [['Build report', null], ['CPU info', 'Build report'], ['Memory info', 'Build report'], ['Disk usage', 'Build report'], ['Format report', 'Build report']],
    );
  });
});

describe('language server: node IPC', function () {
  it('serves diagnostics and the outline over --node-ipc', async () => {
    const client = await LspClient.start({ transport: 'ipc' });
    try {
      const uri = 'untitled:cycle';
      await client.open(uri, readFileSync(join(ACCEPTANCE, 'a02-cycle.apflow.yaml'), 'utf8'));
      assert.deepEqual(summary(await client.current(uri)), ['unreachable@2', 'dependency-cycle@10', 'dependency-cycle@16', 'dependency-cycle@22']);
      // Over IPC the transport serialises the prepared outline (server/serialized.ts) from its value.
      await client.open('untitled:spec', SPEC_EXAMPLE);
      const symbols = await client.request<{ name: string; children?: { name: string }[] }[]>('textDocument/documentSymbol', { textDocument: { uri: 'untitled:spec' } });
      assert.deepEqual(
        symbols.map((s) => [s.name, (s.children ?? []).map((c) => c.name)]),
        [['Build report', ['CPU info', 'Memory info', 'Disk usage', 'Format report']]],
      );
    } finally {
      await client.stop();
    }
  });
});
