// Python executors over real JSON-RPC (issue 12): the server discovers the workspace's Python files
// statically, and completion, hover, definition and diagnostics know them; a file changed on disk is
// read again when the client reports it.
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CompletionList, Hover, Location, MarkupContent, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { fileUriOf, LspClient, positionOf } from './lsp-client';

const FIXTURE = resolve(__dirname, '../fixtures/workspace/python-project');
const text = (m: string | MarkupContent) => (typeof m === 'string' ? m : m.value);
const codes = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => `${String(d.code)}@${d.range.start.line}`).sort();

describe('language server: Python executors (static discovery)', () => {
  let dir: string;
  let client: LspClient;
  const uri = (relative: string) => fileUriOf(join(dir, relative));
  const onDisk = (relative: string) => readFileSync(join(dir, relative), 'utf8');

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'apflow-python-'));
    cpSync(FIXTURE, dir, { recursive: true });
    client = await LspClient.start({ workspaceFolders: [dir] });
  });
  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('knows the registered executors once discovery is done: no unknown-executor, inputs checked against their schemas', async () => {
    const file = 'registered.apflow.yaml';
    await client.open(uri(file), onDisk(file).replace('inputs: { text: hello apflow world }', 'inputs: { text: 3 }'));
    const published = await client.waitForDiagnostics(uri(file), (p) => !p.diagnostics.some((d) => d.code === 'unknown-executor'));
    // word_count's input_schema wants `text` as a string; greeter's Pydantic model is satisfied.
    assert.deepEqual(codes(published), ['invalid-inputs@14']);
    assert.match(text(published.diagnostics[0].message), /`inputs\.text`.*string.*`word_count`/);
  });

  it('completes registered ids with their description, and hovers with docstring and inputs', async () => {
    const file = 'registered.apflow.yaml';
    const source = onDisk(file);
    const list = await client.request<CompletionList>('textDocument/completion', client.at(uri(file), positionOf(source, 'greeter }', 0)));
    const greeter = list.items.find((i) => i.label === 'greeter');
    assert.ok(greeter, 'greeter is offered');
    assert.equal(greeter.detail, 'Python executor · Greets someone by name');
    assert.ok(list.items.some((i) => i.label === 'word_count'));

    const hover = await client.request<Hover>('textDocument/hover', client.at(uri(file), positionOf(source, 'greeter }', 2)));
    const markdown = (hover.contents as MarkupContent).value;
    assert.match(markdown, /\*\*greeter\*\*/);
    assert.match(markdown, /Greets someone by name/);
    assert.match(markdown, /registered\.py` line 15/);
    assert.match(markdown, /Args \(inputs\):\n {4}name \(str\): Who to greet/);
    assert.match(markdown, /\| `name` \| string \| yes \|/);
    // It runs in the Python host, not in the runtime's JavaScript, and needs apflow there.
    assert.match(markdown, /runs in the run's Python host, with the workspace's Python: `apflow\.python\.interpreter`/);
    assert.match(markdown, /built through apflow's registry, so apflow must be installed in that Python/);
    assert.doesNotMatch(markdown, /embedded runtime/);
  });

  it('goes to the class or function in the Python file', async () => {
    const file = 'registered.apflow.yaml';
    const source = onDisk(file);
    const [location] = await client.request<Location[]>('textDocument/definition', client.at(uri(file), positionOf(source, 'word_count }', 1)));
    assert.equal(location.uri, uri('executors/registered.py'));
    assert.deepEqual(location.range, { start: { line: 42, character: 10 }, end: { line: 42, character: 20 } });
  });

  it('checks python: declarations (a file and a module) and follows them to the class', async () => {
    const file = 'pipeline.apflow.yaml';
    const source = onDisk(file);
    await client.open(uri(file), source);
    const clean = await client.waitForDiagnostics(uri(file), (p) => !p.diagnostics.some((d) => d.code === 'executor-module-missing'));
    // `normalize` gets `user: {}`; `fetch` its required user_id: nothing to report.
    assert.deepEqual(codes(clean), []);
    const [location] = await client.request<Location[]>('textDocument/definition', client.at(uri(file), positionOf(source, 'fetch.py:FetchUserData', 3)));
    assert.equal(location.uri, uri('executors/data/fetch.py'));
    assert.equal(location.range.start.line, 8);
    const hover = await client.request<Hover>('textDocument/hover', client.at(uri(file), positionOf(source, 'method: fetch_user_data', 10)));
    const markdown = (hover.contents as MarkupContent).value;
    assert.match(markdown, /Workspace executor \(Python, `fetch\.py` line 9\): runs in the run's Python host/);
    assert.doesNotMatch(markdown, /embedded runtime/);

    await client.replaceAll(uri(file), source.replace('fetch.py:FetchUserData', 'fetch.py:FetchUser').replace('executors.data.process:', 'executors.data.missing:'));
    const broken = await client.current(uri(file));
    const messages = broken.diagnostics.filter((d) => d.code === 'executor-module-missing').map((d) => text(d.message));
    assert.equal(messages.length, 2);
    assert.match(messages[0], /'executors\/data\/fetch\.py' has no class or function `FetchUser`/);
    assert.match(messages[1], /Python module 'executors\.data\.missing' of executor `normalize_email` is not found/);
    await client.replaceAll(uri(file), source);
    await client.current(uri(file));
  });

  it('reads a Python file again when the client reports it changed: a new registration, then a duplicate', async () => {
    const file = 'registered.apflow.yaml';
    await client.replaceAll(uri(file), onDisk(file).replace('method: word_count', 'method: shout'));
    assert.deepEqual(codes(await client.current(uri(file))), ['unknown-executor@13']);

    const added = join(dir, 'executors/api/shout.py');
    writeFileSync(added, 'from apflow import function_executor\n\n@function_executor(id="shout", description="Shouts")\ndef shout(inputs):\n    return {"text": inputs["text"].upper()}\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUriOf(added), type: 1 }] });
    await client.waitForDiagnostics(uri(file), (p) => p.diagnostics.length === 0);

    writeFileSync(join(dir, 'executors/api/http.py'), `${onDisk('executors/api/http.py')}\n\n@function_executor(id="shout", description="Shouts too")\ndef shout_again(inputs):\n    return {}\n`);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('executors/api/http.py'), type: 2 }] });
    const duplicate = await client.waitForDiagnostics(uri(file), (p) => p.diagnostics.some((d) => d.code === 'duplicate-executor'));
    const [warning] = duplicate.diagnostics.filter((d) => d.code === 'duplicate-executor');
    assert.equal(warning.severity, 2);
    assert.match(text(warning.message), /registered 2 times \(executors\/api\/http\.py:\d+, executors\/api\/shout\.py:4\)/);
  });
});
