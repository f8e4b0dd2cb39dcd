// The examples of spec 2 as an editor sees them through the server: messages, ranges, tags and the
// quick fixes offered as code actions.
import assert from 'node:assert/strict';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol/node';
import { LspClient, positionOf } from './lsp-client';
import { Workspace } from './fixtures';

describe('language server: the examples of spec 2', function () {
  let client: LspClient;
  let ws: Workspace;
  let counter = 0;

  before(async () => {
    ws = new Workspace();
    client = await LspClient.start();
  });
  after(async () => {
    await client.stop();
    ws.remove();
  });

  async function diagnose(text: string): Promise<{ uri: string; diagnostics: Diagnostic[] }> {
    const uri = ws.uri(`spec${++counter}.apflow.yaml`);
    await client.open(uri, text);
    return { uri, diagnostics: (await client.current(uri)).diagnostics };
  }

  async function fixes(uri: string, d: Diagnostic): Promise<{ title: string; preferred: boolean; edits: { range: unknown; newText: string }[] }[]> {
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    return actions
      .filter((a) => a.diagnostics?.[0].code === d.code)
      .map((a) => ({ title: a.title, preferred: a.isPreferred === true, edits: a.edit?.changes?.[uri] ?? [] }));
  }

  const byCode = (diagnostics: Diagnostic[], code: string) => diagnostics.filter((d) => d.code === code);

  it('2.1 unreachable: names the chain to the cause, on the task’s name key', async () => {
    const text = `tasks:
  - id: report
    name: Report
    schemas: { method: aggregate_results_executor }
    dependencies: [load]
  - id: load
    name: Load
    parent_id: report
    schemas: { method: command_executor }
    inputs: { command: "true" }
    dependencies: [parse]
  - id: parse
    name: Parse
    parent_id: report
    schemas: { method: parsr }
`;
    const { diagnostics } = await diagnose(text);
    const unreachable = byCode(diagnostics, 'unreachable');
    assert.deepEqual(
      unreachable.map((d) => d.message),
      ["never runs: requires load → requires parse, whose executor 'parsr' is unknown", "never runs: requires parse, whose executor 'parsr' is unknown"],
    );
    assert.deepEqual(unreachable[0].range.start, positionOf(text, 'name: Report'));
    assert.equal(unreachable[0].severity, 2);
    assert.equal(byCode(diagnostics, 'unknown-executor').length, 1);
  });

  it('2.2 parent-ordering: an aggregating parent that does not wait for its child, with the fix', async () => {
    const text = `tasks:
  - id: P
    name: Parent
    schemas: { method: aggregate_results_executor }
  - id: C
    name: Child
    parent_id: P
    schemas: { method: command_executor }
    inputs: { command: "true" }
`;
    const { uri, diagnostics } = await diagnose(text);
    const [warning] = byCode(diagnostics, 'parent-ordering');
    assert.equal(warning.message, "'P' aggregates its children's results but does not depend on 'C': parent_id does not guarantee order, so 'P' may run before 'C' finishes and miss its result");
    assert.deepEqual(warning.range.start, positionOf(text, 'parent_id: P', 11));
    const offered = await fixes(uri, warning);
    assert.deepEqual(offered.map((f) => [f.title, f.preferred]), [['Add `C` to the dependencies of `P`', true]]);
    assert.deepEqual(offered[0].edits.map((e) => e.newText), ['    dependencies: [C]\n']);
  });

  it('2.2 parent-ordering (as issue 11 refines it): two commands written parent-then-child, with the fix', async () => {
    const text = `tasks:
  - id: P
    name: Parent
    schemas: { method: command_executor }
    inputs: { command: "true" }
  - id: C
    name: Child
    parent_id: P
    schemas: { method: command_executor }
    inputs: { command: "true" }
`;
    const { uri, diagnostics } = await diagnose(text);
    const [warning] = byCode(diagnostics, 'parent-ordering');
    assert.equal(
      warning.message,
      "'C' and its parent 'P' both run `command_executor`, whose effects are ordered only by dependencies, but neither depends on the other: parent_id does not guarantee order (apflow starts a task's ready children before the task itself), so 'C' may run before 'P'",
    );
    assert.deepEqual((await fixes(uri, warning)).map((f) => [f.title, f.preferred]), [['Add `P` to the dependencies of `C`', true]]);
  });

  it('2.1 quick fixes: did-you-mean keys, runtime fields, a missing executor, the @ schedule form', async () => {
    const text = `tasks:
  - id: root
    name: Root
    dependancies: [a]
    status: done
  - id: a
    name: A
    parent_id: root
    schemas: { method: command_executor }
    inputs: { command: "true" }
    schedule_type: weekly
    schedule_expression: "mon,wed@09:30"
`;
    const { uri, diagnostics } = await diagnose(text);
    const unknownKey = byCode(diagnostics, 'unknown-key')[0];
    assert.deepEqual((await fixes(uri, unknownKey)).map((f) => [f.title, f.preferred, f.edits[0].newText]), [['Change to `dependencies`', true, 'dependencies']]);
    const runtime = byCode(diagnostics, 'runtime-field')[0];
    assert.deepEqual((await fixes(uri, runtime)).map((f) => [f.title, f.preferred]), [['Remove `status`', true]]);
    const schedule = byCode(diagnostics, 'schedule-format')[0];
    assert.deepEqual((await fixes(uri, schedule)).map((f) => [f.title, f.edits[0].newText]), [['Rewrite as `1,3 09:30`', '"1,3 09:30"']]);
    const missing = await diagnose(text.replace('    dependancies: [a]\n    status: done\n', '    dependencies: [a]\n'));
    const noExecutor = byCode(missing.diagnostics, 'missing-executor')[0];
    assert.deepEqual((await fixes(missing.uri, noExecutor)).map((f) => [f.title, f.preferred]), [['Use `aggregate_results_executor`', true]]);
  });

  it('2.1 unused-executor: a hint tagged Unnecessary, with "Remove declaration"', async () => {
    const text = `executors:
  spare:
    module: ./spare.mjs
tasks:
  - id: root
    name: Root
    schemas: { method: command_executor }
    inputs: { command: "true" }
`;
    ws.write('spare.mjs', 'export default () => 1;\n');
    const { uri, diagnostics } = await diagnose(text);
    const [hint] = byCode(diagnostics, 'unused-executor');
    assert.equal(hint.severity, 4);
    assert.deepEqual(hint.tags, [1]);
    assert.deepEqual((await fixes(uri, hint)).map((f) => [f.title, f.preferred]), [['Remove declaration', true]]);
  });

  it('2.1 suppression comments: next line by code, and the whole file', async () => {
    const text = `tasks:
  - id: root
    name: Root
    schemas: { method: command_executor }
    inputs: { command: "true", timeout: 5 }
    # apflow-disable-next-line unknown-key
    colour: blue
    flavour: mint
`;
    const { diagnostics } = await diagnose(text);
    assert.deepEqual(diagnostics.map((d) => `${String(d.code)}@${d.range.start.line}`), ['unknown-key@7']);
    assert.deepEqual((await diagnose(`# apflow-disable\n${text}`)).diagnostics, []);
  });
});
