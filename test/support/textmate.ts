// The editor's own TextMate engine — the vscode-textmate and vscode-oniguruma a VS Code install ships —
// over the grammars that extensions contribute: what the grammar tests (in code-server's extension host)
// and the grammar benchmark (in Node, over code-server's files) tokenize with.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One line's tokens: the text each covers and its scopes, outermost first. */
export type LineTokens = { text: string; scopes: string[] }[];

/** The parts of vscode-textmate used here (the package is not a dependency of the project). */
/** The state between lines, opaque here. */
type RuleStack = object;
interface Grammar {
  tokenizeLine(line: string, state: RuleStack): { tokens: { startIndex: number; endIndex: number; scopes: string[] }[]; ruleStack: RuleStack };
  tokenizeLine2(line: string, state: RuleStack): { ruleStack: RuleStack };
}
interface VscodeTextmate {
  INITIAL: RuleStack;
  Registry: new (options: object) => { loadGrammar(scope: string): Promise<Grammar | null> };
  parseRawGrammar(content: string, path: string): object;
}
interface VscodeOniguruma {
  loadWASM(data: ArrayBuffer): Promise<void>;
  OnigScanner: new (patterns: string[]) => object;
  OnigString: new (text: string) => object;
}

/** A grammar ready to tokenize whole texts line by line, as the editor does. */
export interface Tokenizer {
  /** Every line's tokens with their scopes (tokenizeLine). */
  tokens(text: string): LineTokens[];
  /**
   * A pass over a text in pieces, the way the editor's tokenization worker does (tokenizeLine2): each
   * call tokenizes the next lines, carrying the state on from the previous call.
   */
  pass(): (lines: readonly string[]) => void;
}

/** The scope name → grammar file of every grammar the extension in `extensionDir` contributes. */
export function contributedGrammars(extensionDir: string, packageJSON?: { contributes?: { grammars?: { scopeName: string; path: string }[] } }): [string, string][] {
  const manifest = packageJSON ?? JSON.parse(readFileSync(join(extensionDir, 'package.json'), 'utf8'));
  return (manifest.contributes?.grammars ?? []).map((g: { scopeName: string; path: string }) => [g.scopeName, join(extensionDir, g.path)]);
}

/** The TextMate engine of the VS Code installed at `appRoot`, over `grammars` (scope name → file). */
export async function loadTextMate(appRoot: string, grammars: ReadonlyMap<string, string>): Promise<(scope: string) => Promise<Tokenizer>> {
  const tm = require(join(appRoot, 'node_modules/vscode-textmate/release/main.js')) as VscodeTextmate;
  const onig = require(join(appRoot, 'node_modules/vscode-oniguruma/release/main.js')) as VscodeOniguruma;
  const wasm = readFileSync(join(appRoot, 'node_modules/vscode-oniguruma/release/onig.wasm'));
  await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new tm.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (patterns: string[]) => new onig.OnigScanner(patterns), createOnigString: (text: string) => new onig.OnigString(text) }),
    loadGrammar: async (scope: string) => {
      const path = grammars.get(scope);
      return path ? tm.parseRawGrammar(readFileSync(path, 'utf8'), path) : null;
    },
  });
  return async (scope) => {
    const grammar = await registry.loadGrammar(scope);
    if (!grammar) throw new Error(`no grammar for ${scope}`);
    return {
      tokens(text) {
        let state = tm.INITIAL;
        return text.split('\n').map((line) => {
          const result = grammar.tokenizeLine(line, state);
          state = result.ruleStack;
          return result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
        });
      },
      pass() {
        let state = tm.INITIAL;
        return (lines) => {
          for (const line of lines) state = grammar.tokenizeLine2(line, state).ruleStack;
        };
      },
    };
  };
}
