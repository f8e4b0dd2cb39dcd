// Builds one bundle per entry point (spec: client, server, CLI) into dist/.
//   node esbuild.mjs             build everything
//   node esbuild.mjs --if-stale  build only when a source file is newer than the bundles (used by pretest)
//   node esbuild.mjs --watch     rebuild on change
import * as esbuild from 'esbuild';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { precompiledValidatorsCode } from './scripts/precompile-validators.mjs';

const root = dirname(fileURLToPath(import.meta.url));
const outdir = join(root, 'dist');
const args = process.argv.slice(2);

const bundles = [
  { name: 'client', entry: 'client/extension.ts', external: ['vscode'] },
  // What the extension needs to run a tree, and to read the history; client.js requires each on first need.
  { name: 'runtime-host', entry: 'client/runtime-host.ts' },
  // Local runs: prepared and run in a worker thread on runtime-host.js, so that the extension host never waits on them.
  { name: 'run-thread-host', entry: 'client/run-thread-host.ts' },
  { name: 'history-host', entry: 'client/history-host.ts' },
  // The editor's Python probe: which Python, and what apflow it has, without the runtime.
  { name: 'python-probe', entry: 'client/python-probe-host.ts' },
  { name: 'server', entry: 'server/main.ts', banner: '#!/usr/bin/env node' },
  { name: 'cli', entry: 'cli/main.ts', banner: '#!/usr/bin/env node' },
  // The history's worker thread loads this small bundle instead of its host's whole bundle.
  { name: 'history-worker', entry: 'runtime/history/worker-main.ts' },
].filter((b) => existsSync(join(root, b.entry)));

// The webviews' scripts: each its own browser bundle under dist/webview/, loaded by its page from the
// extension itself as a local resource (no CDN; each page's content security policy allows only its nonce).
const webviews = [
  { name: 'graph', entry: 'webview/graph/main.ts' },
  { name: 'run-page', entry: 'client/run-page/page/main.ts' },
].filter((w) => existsSync(join(root, w.entry)));

// The language server must stay small and safe to run in an untrusted workspace: it never loads
// the runtime (which executes code) nor sql.js.
const forbiddenInServer = [/^runtime\//, /node_modules\/sql\.js\//];
// The extension host never parses a tree (the language server does) and loads the runtime only with
// dist/runtime-host.js: client.js holds neither the YAML parser, the schema checks, the analysis core
// (but for analysis/identity.ts, the rule that matches run records to tasks) nor the runtime.
const forbiddenInClient = [/node_modules\/yaml\//, /node_modules\/ajv/, /^analysis\/(?!identity\.ts$)/, /^runtime\//, /node_modules\/sql\.js\//];

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function isStale() {
  const outputs = [...bundles.map((b) => join(outdir, `${b.name}.js`)), ...webviews.map((w) => join(outdir, 'webview', `${w.name}.js`))];
  if (!outputs.every(existsSync)) return true;
  const built = Math.min(...outputs.map((p) => statSync(p).mtimeMs));
  const sources = ['analysis', 'protocol', 'server', 'client', 'runtime', 'cli', 'schemas', 'webview']
    .map((d) => join(root, d))
    .filter(existsSync)
    .map(newestMtime);
  const inputs = ['package.json', 'scripts/precompile-validators.mjs'].map((f) => statSync(join(root, f)).mtimeMs);
  return Math.max(...sources, ...inputs) > built;
}

function webviewOptions(b) {
  return {
    entryPoints: [join(root, b.entry)],
    outfile: join(outdir, 'webview', `${b.name}.js`),
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: true,
    minify: true,
    metafile: true,
    logLevel: 'warning',
  };
}

// analysis/precompiled.ts (empty when run from source) becomes the shipped schemas' validators,
// compiled once per build: a bundle then runs no ajv code generation for them.
let validatorsCode;
const precompiledValidators = {
  name: 'precompiled-validators',
  setup(build) {
    build.onResolve({ filter: /^\.\/precompiled$/ }, (args) =>
      args.importer === join(root, 'analysis', 'schema-check.ts') ? { path: 'precompiled-validators', namespace: 'precompiled' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'precompiled' }, async () => {
      validatorsCode ??= precompiledValidatorsCode(root);
      return { contents: await validatorsCode, loader: 'js', resolveDir: root };
    });
  },
};

function options(b) {
  return {
    entryPoints: [join(root, b.entry)],
    outfile: join(outdir, `${b.name}.js`),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    minify: false,
    metafile: true,
    external: b.external ?? [],
    // web-tree-sitter's ES module build finds its files through import.meta.url, which a CommonJS
    // bundle does not have: its CommonJS build is bundled instead.
    alias: {
      'web-tree-sitter': join(root, 'node_modules/web-tree-sitter/tree-sitter.cjs'),
      // yaml's Node build is CommonJS: bundled, every call of one of its functions (isMap, isScalar… once
      // per node of a tree) goes through an export getter. Its ES module build (the same code, which
      // warns with console.warn rather than process.emitWarning) is inlined into the bundle instead.
      yaml: join(root, 'node_modules/yaml/browser/dist/index.js'),
    },
    banner: b.banner ? { js: b.banner } : undefined,
    plugins: [precompiledValidators],
    logLevel: 'warning',
  };
}

const bundleRules = {
  server: { forbidden: forbiddenInServer, what: 'the runtime or sql.js' },
  client: { forbidden: forbiddenInClient, what: 'the parser, the analysis core or the runtime' },
};

function checkBundle(name, metafile) {
  const rule = bundleRules[name];
  if (!rule) return;
  const bad = Object.keys(metafile.inputs).filter((input) => rule.forbidden.some((re) => re.test(input)));
  if (bad.length) throw new Error(`the ${name} bundle must not contain ${rule.what}, but it includes:\n  ${bad.join('\n  ')}`);
}

function copyAssets() {
  mkdirSync(outdir, { recursive: true });
  // sql.js loads its WebAssembly from beside the bundle, never from the network.
  copyFileSync(join(root, 'node_modules/sql.js/dist/sql-wasm.wasm'), join(outdir, 'sql-wasm.wasm'));
  // Static discovery of Python executors parses with tree-sitter's WebAssembly runtime and Python grammar.
  copyFileSync(join(root, 'node_modules/web-tree-sitter/tree-sitter.wasm'), join(outdir, 'tree-sitter.wasm'));
  copyFileSync(join(root, 'node_modules/tree-sitter-python/tree-sitter-python.wasm'), join(outdir, 'tree-sitter-python.wasm'));
  // The Python executor host runs from beside the bundle (runtime/python/host-process.ts finds it there).
  mkdirSync(join(outdir, 'python'), { recursive: true });
  copyFileSync(join(root, 'runtime/python/host.py'), join(outdir, 'python', 'host.py'));
  // The graph view lays out in elkjs's own web worker script, and styles itself from its stylesheet.
  mkdirSync(join(outdir, 'webview'), { recursive: true });
  copyFileSync(join(root, 'node_modules/elkjs/lib/elk-worker.min.js'), join(outdir, 'webview', 'elk-worker.min.js'));
  copyFileSync(join(root, 'webview/graph/graph.css'), join(outdir, 'webview', 'graph.css'));
}

if (args.includes('--if-stale') && !isStale()) process.exit(0);

if (args.includes('--watch')) {
  copyAssets();
  for (const o of [...bundles.map(options), ...webviews.map(webviewOptions)]) {
    const ctx = await esbuild.context({ ...o, logLevel: 'info' });
    await ctx.watch();
  }
} else {
  copyAssets();
  const results = await Promise.all(bundles.map((b) => esbuild.build(options(b)).then((r) => [b, r])));
  await Promise.all(webviews.map((w) => esbuild.build(webviewOptions(w))));
  for (const [b, r] of results) {
    checkBundle(b.name, r.metafile);
    if (b.banner) chmodSync(join(outdir, `${b.name}.js`), 0o755);
  }
  console.log(`built ${[...bundles.map((b) => `dist/${b.name}.js`), ...webviews.map((w) => `dist/webview/${w.name}.js`)].join(', ')}`);
}
