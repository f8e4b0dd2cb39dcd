// `npm run bench`: every benchmark of the project, printing figures (never asserting timings).
// `npm run bench -- core runtime` runs a selection (core, runtime, lsp, python).
import { coreBench } from './core';
import { lspBench } from './lsp';
import { pythonBench } from './python';
import { runtimeBench } from './runtime';

const benches: Record<string, () => Promise<void>> = { core: () => coreBench(), runtime: runtimeBench, lsp: () => lspBench(), python: pythonBench };

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
