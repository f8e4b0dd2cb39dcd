// The `apflow` language: file patterns, language configuration, and the TextMate grammar (tokenised by
// the editor's own vscode-textmate and oniguruma, over the built-in YAML grammar).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { contributedGrammars, loadTextMate, type LineTokens, type Tokenizer } from '../support/textmate';
import { extension, fixture } from './helpers';

describe('language', () => {
  for (const [file, language] of [
    ['flow.apflow.yaml', 'apflow'],
    ['other.apflow.yml', 'apflow'],
    ['data.apflow.json', 'apflow'],
    ['plain.yaml', 'yaml'],
  ] as const) {
    it(`${file} is ${language}`, async () => {
      const document = await vscode.workspace.openTextDocument(fixture(file));
      assert.equal(document.languageId, language);
    });
  }

  it('comments with #, auto-closes brackets like YAML', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'apflow', content: 'tasks:\n  - id: a\n' });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(1, 4, 1, 4);
    await vscode.commands.executeCommand('editor.action.commentLine');
    assert.equal(document.lineAt(1).text, '  # - id: a');
    editor.selection = new vscode.Selection(1, 11, 1, 11);
    await vscode.commands.executeCommand('editor.action.commentLine');
    // The language configuration reaches a new editor asynchronously: on a busy machine the first
    // keystrokes can come before it, so type again (after undoing) until it applies, briefly.
    let line = '';
    for (let attempt = 0; attempt < 20 && line !== '  - id: a []'; attempt++) {
      if (attempt) {
        await vscode.commands.executeCommand('undo');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      editor.selection = new vscode.Selection(1, 9, 1, 9);
      await vscode.commands.executeCommand('cursorLineEnd');
      await vscode.commands.executeCommand('type', { text: ' [' });
      line = document.lineAt(1).text;
    }
    assert.equal(line, '  - id: a []');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('folds by indentation', () => {
    const config = JSON.parse(readFileSync(join(extension().extensionPath, 'language-configuration.json'), 'utf8'));
    assert.equal(config.folding.offSide, true);
    assert.equal(config.comments.lineComment, '#');
  });

  describe('grammar', () => {
    type Tokens = LineTokens[];
    let apflow: Tokenizer;
    const tokenize = (text: string): Tokens => apflow.tokens(text);

    before(async () => {
      // The editor's own TextMate engine, from the running VS Code, over the built-in YAML grammars and ours.
      const yaml = vscode.extensions.getExtension('vscode.yaml');
      assert.ok(yaml, 'the built-in YAML extension');
      const grammars = new Map([...contributedGrammars(yaml.extensionPath, yaml.packageJSON), ...contributedGrammars(extension().extensionPath, extension().packageJSON)]);
      apflow = await (await loadTextMate(vscode.env.appRoot, grammars))('source.apflow');
    });

    const scopesOf = (tokens: Tokens, line: number, text: string) => {
      const token = tokens[line].find((t) => t.text === text);
      assert.ok(token, `no token '${text}' on line ${line}: ${JSON.stringify(tokens[line].map((t) => t.text))}`);
      return token.scopes;
    };

    const REF = 'variable.other.reference.apflow';
    const apflowScopes = (scopes: string[]) => scopes.filter((scope) => scope.endsWith('.apflow') && scope !== 'source.apflow' && scope !== 'meta.dependencies.apflow');

    it('keeps YAML and adds apflow keys, executor ids and references', () => {
      const tokens = tokenize(readFileSync(fixture('flow.apflow.yaml').fsPath, 'utf8'));
      assert.ok(scopesOf(tokens, 0, 'version').includes('support.type.property-name.apflow'));
      assert.ok(scopesOf(tokens, 0, 'version').includes('entity.name.tag.yaml'), 'YAML scopes stay');
      assert.ok(scopesOf(tokens, 12, 'aggregate_results_executor').includes('support.function.executor.builtin.apflow'));
      assert.ok(scopesOf(tokens, 17, 'ok').includes('entity.name.function.executor.apflow'));
      for (const ref of ['fetch', 'parse', 'publish']) assert.ok(scopesOf(tokens, 13, ref).includes('variable.other.reference.apflow'), ref);
      assert.ok(scopesOf(tokens, 16, 'report').includes('variable.other.reference.apflow'), 'parent_id');
      assert.ok(!scopesOf(tokens, 11, 'Build report').includes('variable.other.reference.apflow'), 'a name is not a reference');
    });

    it('finds references in block sequences and dependency mappings, and in JSON', () => {
      const tokens = tokenize(
        ['tasks:', '  - id: x', '    name: X', '    dependencies:', '      - a', '      - { id: b, required: false }', '      - name: "C task"', '    inputs:', '      list:', '        - not_a_ref'].join('\n'),
      );
      assert.ok(scopesOf(tokens, 4, 'a').includes('variable.other.reference.apflow'));
      assert.ok(scopesOf(tokens, 5, 'b').includes('variable.other.reference.apflow'));
      assert.ok(scopesOf(tokens, 6, 'C task').includes('variable.other.reference.apflow'));
      assert.ok(!scopesOf(tokens, 9, 'not_a_ref').includes('variable.other.reference.apflow'));
      const json = tokenize(readFileSync(fixture('data.apflow.json').fsPath, 'utf8'));
      assert.ok(scopesOf(json, 1, 'info').includes('variable.other.reference.apflow'));
      assert.ok(scopesOf(json, 2, 'system_info_executor').includes('support.function.executor.builtin.apflow'));
      assert.ok(scopesOf(json, 2, 'parent_id').includes('support.type.property-name.apflow'));
    });

    it('finds quoted references, flow sequences of mappings and sequences over several lines', () => {
      const tokens = tokenize(
        [
          'tasks:',
          '  - id: x',
          '    dependencies:',
          '      - "q1"',
          "      - 'q2'",
          '      - id: e',
          '        required: false',
          '  - id: y',
          '    dependencies: [ a, "b", { id: c, required: false }, {name: d} ]',
          "    parent_id: 'x'",
          '    "parent_id": "x2"',
          '    schemas:',
          '      method: "command_executor"',
          '      executor_id: my.exec',
          '    dependencies: [',
          '      m1,',
          '      "m2" ]',
        ].join('\n'),
      );
      for (const [line, ref] of [[3, 'q1'], [4, 'q2'], [5, 'e'], [8, 'a'], [8, 'b'], [8, 'c'], [8, 'd'], [9, 'x'], [10, 'x2'], [15, 'm1'], [16, 'm2']] as const) {
        assert.ok(scopesOf(tokens, line, ref).includes(REF), `${ref} on line ${line}`);
      }
      assert.deepEqual(apflowScopes(scopesOf(tokens, 6, 'false')), [], '`required: false` is not a reference');
      assert.deepEqual(apflowScopes(scopesOf(tokens, 8, 'false')), [], '`required: false` in a flow mapping');
      assert.ok(scopesOf(tokens, 12, 'command_executor').includes('support.function.executor.builtin.apflow'), 'a quoted built-in id');
      assert.ok(scopesOf(tokens, 13, 'my.exec').includes('entity.name.function.executor.apflow'), 'a workspace executor id');
      const json = tokenize(['[', '  { "id": "a", "dependencies": [', '      "fetch-data",', '      { "id": "b" }', '  ] }', ']'].join('\n'));
      assert.ok(scopesOf(json, 2, 'fetch-data').includes(REF), 'a JSON item on its own line');
      assert.ok(scopesOf(json, 3, 'b').includes(REF), 'a JSON dependency mapping');
    });

    it('leaves plain YAML values alone, on a long line and in comments', () => {
      const items = Array.from({ length: 300 }, (_, i) => `v${i}`).join(', ');
      const tokens = tokenize(
        [
          'tasks:',
          '  - id: x',
          `    inputs: { note: method id name parent_id dependencies, list: [${items}], dependencies_x: [p, q], method_x: y, m: "method: z", parent: "parent_id: w" }`,
          '    # dependencies: [commented]',
          `    description: ${Array.from({ length: 300 }, (_, i) => `step ${i} names its method, parent_id and dependencies`).join(', ')}`,
        ].join('\n'),
      );
      const scoped = (line: number) => tokens[line].filter((t) => apflowScopes(t.scopes).length).map((t) => t.text);
      assert.deepEqual(scoped(2), ['inputs'], 'only the apflow key is scoped on the line of plain values');
      assert.deepEqual(scoped(3), [], 'a comment');
      assert.deepEqual(scoped(4), ['description'], 'a long plain scalar');
      assert.ok(tokens[2].some((t) => t.text === 'v299'), 'the long line is tokenized to its end');
    });
  });
});
