// The language client and the bundled server (over stdio): diagnostics and completion arrive through
// the real editor APIs.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { WorkspaceTrustNotification } from '../../protocol';
import { api, fixture, waitFor } from './helpers';

describe('language server', () => {
  before(async () => {
    await api();
  });

  it('publishes diagnostics: a dependency cycle', async () => {
    const uri = fixture('cycle.apflow.yaml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const cycle = await waitFor('dependency-cycle diagnostics from the server', () => {
      const found = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'apflow' && codeOf(d) === 'dependency-cycle');
      return found.length > 0 ? found : undefined;
    }, 20000);
    assert.equal(cycle[0].severity, vscode.DiagnosticSeverity.Error);
    assert.match(cycle[0].message, /dependency cycle: fetch → store → fetch/);
  });

  it('hands VS Code a file\'s diagnostics only when they differ from those it shows', async () => {
    const uri = fixture('cycle.apflow.yaml');
    const { client } = await api();
    const shown = await waitFor('the server\'s diagnostics of the cycle', () => {
      const found = client.diagnostics?.get(uri) ?? [];
      return found.some((d) => d.relatedInformation?.length && typeof d.code === 'object') ? found : undefined;
    }, 20000);
    const handle = client.clientOptions.middleware?.handleDiagnostics;
    assert.ok(handle, 'the client has a diagnostics middleware');
    // The cycle's diagnostic has a code with a link and related information: that one is changed.
    const at = shown.findIndex((d) => d.relatedInformation?.length && typeof d.code === 'object');
    const code = shown[at].code as { value: string | number; target: vscode.Uri };
    /** A copy of every shown diagnostic (new objects), the cycle's changed by `change`. */
    const copies = (change: (d: vscode.Diagnostic) => void = () => undefined) =>
      shown.map((d, i) => {
        const c = new vscode.Diagnostic(new vscode.Range(d.range.start, d.range.end), d.message, d.severity);
        Object.assign(c, { source: d.source, code: d.code, tags: d.tags, relatedInformation: d.relatedInformation?.map((r) => new vscode.DiagnosticRelatedInformation(r.location, r.message)) });
        if (i === at) change(c);
        return c;
      });
    const forwarded = (list: vscode.Diagnostic[]) => {
      let calls = 0;
      handle(uri, list, () => calls++);
      return calls === 1;
    };
    assert.equal(forwarded(copies()), false, 'an equal list is not handed on');
    const cases: [string, (d: vscode.Diagnostic) => void][] = [
      ['a message', (d) => (d.message += '!')],
      ['a range', (d) => (d.range = new vscode.Range(d.range.start, d.range.end.translate(0, 1)))],
      ['a severity', (d) => (d.severity = vscode.DiagnosticSeverity.Hint)],
      ['a code’s link', (d) => (d.code = { value: code.value, target: vscode.Uri.parse('https://example.invalid/other') })],
      ['related information', (d) => (d.relatedInformation = [])],
      ['tags', (d) => (d.tags = [vscode.DiagnosticTag.Unnecessary])],
    ];
    for (const [what, change] of cases) assert.equal(forwarded(copies(change)), true, `a list that differs in ${what} is handed on`);
    assert.equal(forwarded(copies().slice(0, -1)), true, 'a shorter list is handed on');
    assert.equal(forwarded([]), true, 'an empty list is handed on');
  });

  it('completes executor ids after method:', async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'apflow',
      content: 'tasks:\n  - id: a\n    name: A\n    schemas:\n      method: \n',
    });
    await vscode.window.showTextDocument(document);
    const labels = await waitFor('completion items from the server', async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, new vscode.Position(4, 14));
      const found = list?.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label)) ?? [];
      // (word-based suggestions from other open files may come first; the server's catalogue is complete)
      return found.includes('system_info_executor') && found.includes('command_executor') ? found : undefined;
    }, 20000);
    assert.ok(labels.includes('rest_executor'));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('hovers through the server', async () => {
    const uri = fixture('flow.apflow.yaml');
    await vscode.workspace.openTextDocument(uri);
    const hovers = await waitFor('a hover on an executor id', async () => {
      const found = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(12, 30));
      return found && found.length > 0 ? found : undefined;
    }, 20000);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /aggregate/i);
  });
});

describe('language server code lenses', () => {
  it('opens the references peek through apflow.showReferences', async () => {
    const uri = fixture('flow.apflow.yaml');
    const lens = await waitFor('the server\'s `dependents` lens', async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
      return lenses?.find((l) => l.command?.command === 'apflow.showReferences');
    }, 20000);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await vscode.commands.executeCommand(lens.command?.command ?? '', ...(lens.command?.arguments ?? []));
    await vscode.commands.executeCommand('closeReferenceSearch');
  });
});

describe('language server crashes', () => {
  it('are restarted by the client and reported once in the output channel', async () => {
    const a = await api();
    const pid = await waitFor('the server to run', () => a.serverPid(), 20000);
    assert.ok(pid, 'the server runs in its own process');
    const before = a.outputLines().length;
    process.kill(pid, 'SIGKILL');
    // The editor goes on talking meanwhile (seen in CI: a crash while requests were in flight). Once the
    // process is gone, each message fails to be written before the client sees the pipe close: more than
    // the three write errors the default policy tolerates before it shuts the connection down for good.
    // (By method name: this bundle's NotificationType is not the client bundle's class.)
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    for (let i = 0; i < 6; i++) void a.client.sendNotification(WorkspaceTrustNotification.method, { trusted: vscode.workspace.isTrusted }).catch(() => undefined);
    await waitFor('a new server process', () => a.serverPid() !== undefined && a.serverPid() !== pid, 20000);
    const lines = a.outputLines().slice(before);
    assert.deepEqual(lines.filter((l) => /language server/.test(l)), ['apflow language server stopped unexpectedly; restarting it']);
    // …and it answers again.
    const uri = fixture('cycle.apflow.yaml');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    await waitFor('completion from the restarted server', async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(5, 24));
      return list?.items.some((i) => /_executor$/.test(typeof i.label === 'string' ? i.label : i.label.label));
    }, 20000);
  });
});

function codeOf(d: vscode.Diagnostic): string | number | undefined {
  return typeof d.code === 'object' ? d.code.value : d.code;
}
