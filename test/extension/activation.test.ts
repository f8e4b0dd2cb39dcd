// Activation: only on the language, the commands and the view; light (no runtime, no history, no sql.js).
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { LensHub } from '../../client/lens-hub';
import { extension, fixture, lensTitles, open, waitFor } from './helpers';

describe('activation', () => {
  it('has not activated before an apflow file, command or view is used', () => {
    assert.equal(extension().isActive, false);
  });

  it('activates quickly without loading the runtime, the history or sql.js', async () => {
    const started = performance.now();
    const api = await extension().activate();
    const ms = performance.now() - started;
    console.log(`    activation: ${ms.toFixed(1)} ms as seen by the caller (require + activate), ${api.activationMs.toFixed(1)} ms inside the bundle`);
    assert.equal(api.runs.runtimeLoaded, false);
    assert.equal(api.runs.isLoaded, false);
    assert.ok(ms < 2000, `activation took ${ms} ms`);
    // What loading the bundle itself costs here (a fresh copy: parse, compile, evaluate the top level).
    const copy = join(mkdtempSync(join(tmpdir(), 'apflow-bundle-')), 'client.js');
    copyFileSync(join(extension().extensionPath, 'dist', 'client.js'), copy);
    const loadStart = performance.now();
    require(copy);
    console.log(`    loading dist/client.js alone: ${(performance.now() - loadStart).toFixed(1)} ms`);
  });

  it('shows the run lenses of a tree without loading the runtime', async () => {
    const api = await extension().activate();
    await open('flow.apflow.yaml');
    // The top lens is the extension's; the ▶ Run task lenses come from the language server once it has analysed the file.
    const titles = await waitFor('run lenses', async () => {
      const t = await lensTitles(fixture('flow.apflow.yaml'));
      return t.includes('▶ Run task tree') && t.includes('▶ Run task') ? t : undefined;
    });
    assert.deepEqual(titles, ['▶ Run task tree', '$(type-hierarchy) Show graph', '▶ Run task', '▶ Run task', '▶ Run task', '▶ Run task']);
    // Past the Python probe's delay (client/python.ts, 2 s after a tree opens): the probe has its own bundle.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    assert.equal(api.runs.runtimeLoaded, false, 'opening a tree must not load the runtime, nor must the Python probe that follows');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});

describe('the lens hub (client/lens-hub.ts)', () => {
  const doc = () => vscode.workspace.openTextDocument({ language: 'apflow', content: 'tasks: []\n' });
  const lens = (title: string) => new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), { title, command: '' });
  const token = () => new vscode.CancellationTokenSource().token;

  it('merges its sources (the last added first, each for its own documents) and passes a change on only once VS Code has asked', async () => {
    const hub = new LensHub();
    let fired = 0;
    hub.onDidChangeCodeLenses(() => fired++);
    const changes = new vscode.EventEmitter<void>();
    hub.add({ language: 'apflow' }, { provideCodeLenses: () => [lens('first added')], onDidChangeCodeLenses: changes.event });
    hub.add({ language: 'apflow' }, { provideCodeLenses: async () => [lens('last added')] });
    hub.add({ language: 'yaml' }, { provideCodeLenses: () => [lens('for YAML')] });
    changes.fire();
    assert.equal(fired, 0, 'not asked yet: the round VS Code is about to make reads the change anyway');
    const document = await doc();
    assert.deepEqual((await hub.provideCodeLenses(document, token())).map((l) => l.command?.title), ['last added', 'first added']);
    changes.fire();
    changes.fire();
    assert.equal(fired, 2, 'once asked, every change (VS Code drops a round it had planned when the editor loses focus)');
  });

  it('has a request made before any source was added wait for the sources, rather than answer nothing', async () => {
    const hub = new LensHub();
    let fired = 0;
    hub.onDidChangeCodeLenses(() => fired++);
    const answer = hub.provideCodeLenses(await doc(), token());
    hub.add({ language: 'apflow' }, { provideCodeLenses: () => [lens('from activate()')] });
    assert.deepEqual((await answer).map((l) => l.command?.title), ['from activate()']);
    assert.equal(fired, 0, 'the answer has the source: no second round');
  });

  it('resolves a lens with the source that gave it', async () => {
    const hub = new LensHub();
    const unresolved = new vscode.CodeLens(new vscode.Range(0, 0, 0, 0));
    hub.add({ language: 'apflow' }, { provideCodeLenses: () => [unresolved], resolveCodeLens: (l) => ((l.command = { title: 'resolved', command: '' }), l) });
    hub.add({ language: 'apflow' }, { provideCodeLenses: () => [lens('plain')] });
    const [plain, mine] = await hub.provideCodeLenses(await doc(), token());
    assert.equal((await hub.resolveCodeLens(mine, token()))?.command?.title, 'resolved');
    assert.equal(await hub.resolveCodeLens(plain, token()), plain);
  });
});
