// The import-boundary rule (docs/development.md, "Import boundaries") and the one declaration of each
// top-level folder's public entry points: a module in one of these folders may import a module of
// another only through that folder's entry points. test/ and scripts/ may import anything; folders
// not listed (schemas/, syntaxes/) are data.
import type { Import } from './imports';

export const ENTRY_POINTS: Readonly<Record<string, readonly string[]>> = {
  analysis: [
    'analysis/index.ts',
    // The language features, for the editor hosts (the language server).
    'analysis/features/index.ts',
    // The analysis environment backed by node:fs, kept out of the index so that the core itself needs
    // no Node module.
    'analysis/node-env.ts',
    // Static discovery of Python executors (tree-sitter's WebAssembly and the file walking), for the
    // hosts on Node; the core reads only its plain results through AnalysisEnv.
    'analysis/python/node.ts',
    // How tasks are named and run records matched: light enough for the extension's own bundle, which
    // must not load the parser through the index.
    'analysis/identity.ts',
    // The critical path: pure and dependency-free, for the webviews' own bundles (the graph view and
    // the run page), which must not load the parser through the features index.
    'analysis/features/critical-path.ts',
    // Tree tests' file model and its checks against the tree (docs/tree-tests.md).
    'analysis/testing/index.ts',
  ],
  runtime: [
    'runtime/index.ts',
    // The history alone, for hosts that only list and read runs (the extension's history bundle).
    'runtime/history/index.ts',
    // The history worker's entry: a bundle of its own (esbuild.mjs), or loaded by a host's bundle.
    'runtime/history/worker-main.ts',
    // Which Python runs a workspace's Python tasks and what apflow it has: for the editor's probe, a
    // bundle of its own that must not load the rest of the runtime.
    'runtime/python/interpreter.ts',
    // A run in a worker thread, for hosts whose own thread must stay free, and the worker's side of it,
    // which the runtime's bundle for the extension serves (client/runtime-host.ts).
    'runtime/thread-run/index.ts',
    'runtime/thread-run/worker.ts',
    // Runs over BullMQ workers on Redis: kept out of the index so that hosts load BullMQ only when a run uses it.
    'runtime/queue/index.ts',
  ],
  // Typed messages, command ids and settings shared by the client and the server.
  protocol: ['protocol/index.ts'],
  // Programs: each one's entry is a bundle (esbuild.mjs), and no other folder imports them.
  server: [],
  client: [],
  cli: [],
  // The webviews' scripts: each one's entry is a browser bundle (esbuild.mjs).
  webview: [],
};

const folderOf = (path: string) => path.split('/')[0];

/** Why `imp` breaks the rule, or null when it keeps it. */
export function violation(imp: Import): string | null {
  if (imp.target === null) return null;
  const [from, to] = [folderOf(imp.from), folderOf(imp.target)];
  if (from === to || !(to in ENTRY_POINTS) || ENTRY_POINTS[to].includes(imp.target)) return null;
  const entries = ENTRY_POINTS[to].length ? `its entry points: ${ENTRY_POINTS[to].join(', ')}` : `${to}/ is a program: nothing imports it`;
  return `${imp.from}:${imp.line} imports '${imp.specifier}', an internal module of ${to}/ (${entries})`;
}
