// Grammar benchmark (issue 9): how long the editor's TextMate engine takes to tokenize the 10,000-task
// file with the built-in YAML grammar (source.yaml) and with ours (source.apflow, which includes it), and
// the ratio. VS Code tokenizes a whole file in a worker after it opens; a slow grammar burns a core for
// that long, competing with the language server's first analysis and with typing.
// Uses code-server's own vscode-textmate, vscode-oniguruma and YAML grammars (as the grammar tests do),
// from .vscode-test where scripts/code-server-install.mjs installs it. Prints figures; asserts nothing.
//   npm run bench -- grammar
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { contributedGrammars, loadTextMate } from '../support/textmate';
import { generateTree } from './generate';
import { target } from './stats';

const TASKS = 10_000;
const ROUNDS = 3;
const root = join(__dirname, '..', '..');

/** The VS Code inside code-server: from CODE_SERVER_BIN when set, else the one in .vscode-test. */
function codeServerAppRoot(): string | undefined {
  const vscodeOf = (prefix: string) => join(prefix, 'node_modules', 'code-server', 'lib', 'vscode');
  const bin = process.env.CODE_SERVER_BIN;
  const prefixes = bin ? [dirname(dirname(dirname(bin)))] : [];
  const installs = join(root, '.vscode-test');
  if (existsSync(installs)) prefixes.push(...readdirSync(installs).filter((name) => name.startsWith('code-server-')).map((name) => join(installs, name)));
  return prefixes.map(vscodeOf).find((appRoot) => existsSync(join(appRoot, 'node_modules', 'vscode-textmate')));
}

function median(samples: number[]): number {
  return [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)];
}

export async function grammarBench(): Promise<void> {
  console.log(`grammar: tokenizing a ${TASKS.toLocaleString('en')}-task file line by line with the editor's TextMate engine`);
  const appRoot = codeServerAppRoot();
  if (!appRoot) {
    console.log('  skipped: code-server is not installed in .vscode-test (`npm run test:extension` installs it once per machine)');
    return;
  }
  const files = new Map([...contributedGrammars(join(appRoot, 'extensions', 'yaml')), ...contributedGrammars(root)]);
  const tokenizer = await loadTextMate(appRoot, files);
  const lines = generateTree(TASKS).text.split('\n');
  const scopes = ['source.yaml', 'source.apflow'];
  const grammars = await Promise.all(scopes.map((scope) => tokenizer(scope)));
  const samples: number[][] = scopes.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    // Whole passes, one grammar after the other as the editor's worker runs them, in alternating order so
    // that a shared machine's load drifting weighs on both alike. (Taking turns a few hundred lines at a
    // time instead mixes the two grammars in V8's inline caches and slows both, the apflow one more.)
    for (const g of round % 2 ? [1, 0] : [0, 1]) {
      const pass = grammars[g].pass();
      const started = performance.now();
      pass(lines);
      samples[g].push(performance.now() - started);
    }
  }
  scopes.forEach((scope, g) => {
    console.log(`  ${scope}: ${samples[g].map((ms) => `${(ms / 1000).toFixed(2)} s`).join(', ')} (${lines.length.toLocaleString('en')} lines; median ${(median(samples[g]) / 1000).toFixed(2)} s)`);
  });
  const ratio = median(samples[1]) / median(samples[0]);
  console.log(`  source.apflow / source.yaml: ${ratio.toFixed(2)}× ${target(ratio, 1.3, (n) => `${n.toFixed(2)}×`)}`);
}
