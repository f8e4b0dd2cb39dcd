// `npm run bench`: every benchmark of the project, printing figures (never asserting timings).
// `npm run bench -- core runtime` runs a selection (core, runtime, lsp, cli, python, python-host, server-run, queue, graph, grammar, run-page, tests, editor); the editor
// benchmark needs code-server and Chromium (scripts/bench-editor.mjs) and runs last.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { cliBench } from './cli';
import { coreBench } from './core';
import { grammarBench } from './grammar';
import { graphBench } from './graph';
import { lspBench } from './lsp';
import { pythonBench } from './python';
import { pythonHostBench } from './python-host';
import { runPageBench } from './run-page';
import { queueBench } from './queue';
import { runtimeBench } from './runtime';
import { serverRunBench } from './server-run';
import { treeTestsBench } from './tree-tests';

async function editorBench(): Promise<void> {
  execFileSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'bench-editor.mjs')], { stdio: 'inherit' });
}

const benches: Record<string, () => Promise<void>> = { core: () => coreBench(), runtime: runtimeBench, lsp: () => lspBench(), cli: () => cliBench(), python: pythonBench, 'python-host': pythonHostBench, 'server-run': () => serverRunBench(), queue: queueBench, graph: graphBench, grammar: grammarBench, 'run-page': runPageBench, tests: () => treeTestsBench(), editor: editorBench };

async function main(): Promise<void> {
  const chosen = process.argv.slice(2).filter((name) => name in benches);
  for (const name of chosen.length ? chosen : Object.keys(benches)) await benches[name]();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
