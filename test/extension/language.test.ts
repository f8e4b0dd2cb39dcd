// The `apflow` language: file patterns, language configuration, and the TextMate grammar (tokenised by
// the editor's own vscode-textmate and oniguruma, over the built-in YAML grammar).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
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
    type Tokens = { text: string; scopes: string[] }[][];
    let tokenize: (text: string) => Promise<Tokens>;

    before(async () => {
      // The editor's own TextMate engine, from the running VS Code.
      const root = vscode.env.appRoot;
      const tm = require(join(root, 'node_modules/vscode-textmate/release/main.js'));
      const onig = require(join(root, 'node_modules/vscode-oniguruma/release/main.js'));
      await onig.loadWASM(readFileSync(join(root, 'node_modules/vscode-oniguruma/release/onig.wasm')).buffer);
      const yaml = vscode.extensions.getExtension('vscode.yaml');
      assert.ok(yaml, 'the built-in YAML extension');
      const grammars = new Map<string, string>();
      for (const g of [...(yaml.packageJSON.contributes.grammars as { scopeName: string; path: string }[]).map((g) => ({ ...g, dir: yaml.extensionPath })), ...(extension().packageJSON.contributes.grammars as { scopeName: string; path: string }[]).map((g) => ({ ...g, dir: extension().extensionPath }))]) {
        grammars.set(g.scopeName, join(g.dir, g.path));
      }
      const registry = new tm.Registry({
        onigLib: Promise.resolve({ createOnigScanner: (p: string[]) => new onig.OnigScanner(p), createOnigString: (s: string) => new onig.OnigString(s) }),
        loadGrammar: async (scope: string) => {
          const path = grammars.get(scope);
          return path ? tm.parseRawGrammar(readFileSync(path, 'utf8'), path) : null;
        },
      });
      const grammar = await registry.loadGrammar('source.apflow');
      tokenize = async (text) => {
        let state = tm.INITIAL;
        return text.split('\n').map((line) => {
          const r = grammar.tokenizeLine(line, state);
          state = r.ruleStack;
          return r.tokens.map((t: { startIndex: number; endIndex: number; scopes: string[] }) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
        });
      };
    });

    const scopesOf = (tokens: Tokens, line: number, text: string) => {
      const token = tokens[line].find((t) => t.text === text);
      assert.ok(token, `no token '${text}' on line ${line}: ${JSON.stringify(tokens[line].map((t) => t.text))}`);
      return token.scopes;
    };

    it('keeps YAML and adds apflow keys, executor ids and references', async () => {
      const tokens = await tokenize(readFileSync(fixture('flow.apflow.yaml').fsPath, 'utf8'));
      assert.ok(scopesOf(tokens, 0, 'version').includes('support.type.property-name.apflow'));
      assert.ok(scopesOf(tokens, 0, 'version').includes('entity.name.tag.yaml'), 'YAML scopes stay');
      assert.ok(scopesOf(tokens, 12, 'aggregate_results_executor').includes('support.function.executor.builtin.apflow'));
      assert.ok(scopesOf(tokens, 17, 'ok').includes('entity.name.function.executor.apflow'));
      for (const ref of ['fetch', 'parse', 'publish']) assert.ok(scopesOf(tokens, 13, ref).includes('variable.other.reference.apflow'), ref);
      assert.ok(scopesOf(tokens, 16, 'report').includes('variable.other.reference.apflow'), 'parent_id');
      assert.ok(!scopesOf(tokens, 11, 'Build report').includes('variable.other.reference.apflow'), 'a name is not a reference');
    });

    it('finds references in block sequences and dependency mappings, and in JSON', async () => {
      const tokens = await tokenize(
        ['tasks:', '  - id: x', '    name: X', '    dependencies:', '      - a', '      - { id: b, required: false }', '      - name: "C task"', '    inputs:', '      list:', '        - not_a_ref'].join('\n'),
      );
      assert.ok(scopesOf(tokens, 4, 'a').includes('variable.other.reference.apflow'));
      assert.ok(scopesOf(tokens, 5, 'b').includes('variable.other.reference.apflow'));
      assert.ok(scopesOf(tokens, 6, 'C task').includes('variable.other.reference.apflow'));
      assert.ok(!scopesOf(tokens, 9, 'not_a_ref').includes('variable.other.reference.apflow'));
      const json = await tokenize(readFileSync(fixture('data.apflow.json').fsPath, 'utf8'));
      assert.ok(scopesOf(json, 1, 'info').includes('variable.other.reference.apflow'));
      assert.ok(scopesOf(json, 2, 'system_info_executor').includes('support.function.executor.builtin.apflow'));
      assert.ok(scopesOf(json, 2, 'parent_id').includes('support.type.property-name.apflow'));
    });
  });
});
