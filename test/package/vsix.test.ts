// `npm run package` builds a VSIX that carries exactly what the installed extension runs: the
// bundles, the WebAssembly, the grammar, schema, icons and docs — no sources, tests, examples,
// scripts, source maps or node_modules. The archive is read with a small zip reader (a VSIX is a
// zip), so the test needs no `unzip`.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inflateRawSync } from 'node:zlib';

const root = resolve(__dirname, '../..');

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localOffset: number;
}

/** The entries of a zip's central directory (no zip64: a VSIX is far below 4 GB). */
function listZip(zip: Buffer): ZipEntry[] {
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'not a zip: no end-of-central-directory record');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, 'corrupt central directory');
    const nameLength = zip.readUInt16LE(at + 28);
    entries.push({
      method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20),
      localOffset: zip.readUInt32LE(at + 42),
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
    });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

function readEntry(zip: Buffer, entry: ZipEntry): Buffer {
  const start = entry.localOffset + 30 + zip.readUInt16LE(entry.localOffset + 26) + zip.readUInt16LE(entry.localOffset + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return data;
  assert.equal(entry.method, 8, `${entry.name}: unexpected compression method ${entry.method}`);
  return inflateRawSync(data);
}

/** Files the installed extension needs (vsce renames README, CHANGELOG and LICENSE). */
const REQUIRED = [
  'extension.vsixmanifest',
  '[Content_Types].xml',
  'extension/package.json',
  'extension/readme.md',
  'extension/changelog.md',
  'extension/LICENSE.txt',
  'extension/language-configuration.json',
  'extension/dist/client.js',
  // Required by client.js when a run starts and when the history is first read.
  'extension/dist/runtime-host.js',
  'extension/dist/history-host.js',
  'extension/dist/python-probe.js',
  'extension/dist/server.js',
  'extension/dist/cli.js',
  'extension/dist/history-worker.js',
  'extension/dist/webview/run-page.js',
  'extension/dist/sql-wasm.wasm',
  // The language server's and the CLI's Python parser (static discovery of Python executors).
  'extension/dist/tree-sitter.wasm',
  'extension/dist/tree-sitter-python.wasm',
  // The Python executor host, started by the runtime beside its bundle.
  'extension/dist/python/host.py',
  // The graph view's page: its script, stylesheet and elkjs's layout worker.
  'extension/dist/webview/graph.js',
  'extension/dist/webview/graph.css',
  'extension/dist/webview/elk-worker.min.js',
  'extension/schemas/apflow.schema.json',
  'extension/syntaxes/apflow.tmLanguage.json',
  'extension/docs/diagnostics.md',
  // The README (the extension's details page) shows it.
  'extension/docs/screenshot.png',
  'extension/docs/images/graph-3-failed-run.png',
  // The README's pictures of the graph view and the run page.
  'extension/docs/images/run-page.png',
  'extension/media/icon.png',
  'extension/media/apflow.svg',
];

/** The only shapes of file that may be in the VSIX besides the required ones. */
const ALLOWED = [/^extension\/dist\/[^/]+\.js$/, /^extension\/schemas\/[^/]+\.json$/, /^extension\/syntaxes\/[^/]+\.json$/, /^extension\/media\/(status\/)?[^/]+\.(png|svg)$/];

const FORBIDDEN: [RegExp, string][] = [
  [/\.ts$/, 'a TypeScript source'],
  [/\.map$/, 'a source map'],
  [/(^|\/)node_modules\//, 'node_modules'],
  [/^extension\/(test|examples|scripts|\.ci|analysis|protocol|server|client|runtime|cli|webview|out|test-output|\.vscode-test|\.apflow)\//, 'a development folder'],
  [/\.(vsix|sqlite)$/, 'a build or run artefact'],
  [/(^|\/)(tsconfig\.json|esbuild\.mjs|\.mocharc\.json|package-lock\.json|\.gitignore|\.vscodeignore)$/, 'a development file'],
];

describe('VSIX package', function () {
  this.timeout(60000);
  let dir: string;
  let vsix: string;
  let zip: Buffer;
  let entries: ZipEntry[];
  let names: string[];

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'apflow-vsix-'));
    vsix = join(dir, 'apflow.vsix');
    // The script users run; npm passes `--out` on to vsce. No network, no repository field needed.
    execFileSync('npm', ['run', '--silent', 'package', '--', '--out', vsix], { cwd: root, stdio: 'pipe' });
    zip = readFileSync(vsix);
    entries = listZip(zip);
    names = entries.map((e) => e.name);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('contains every file the extension needs', () => {
    const missing = REQUIRED.filter((name) => !names.includes(name));
    assert.deepEqual(missing, [], `missing from the VSIX:\n  ${missing.join('\n  ')}\nall entries:\n  ${names.join('\n  ')}`);
  });

  it('contains nothing else: no sources, tests, examples, scripts, source maps or node_modules', () => {
    const forbidden = names.flatMap((name) => FORBIDDEN.filter(([re]) => re.test(name)).map(([, what]) => `${name} (${what})`));
    assert.deepEqual(forbidden, [], `forbidden files in the VSIX:\n  ${forbidden.join('\n  ')}`);
    const unexpected = names.filter((name) => !REQUIRED.includes(name) && !ALLOWED.some((re) => re.test(name)));
    assert.deepEqual(unexpected, [], `unexpected files in the VSIX (add them to .vscodeignore's allow-list and this test, or leave them out):\n  ${unexpected.join('\n  ')}`);
  });

  it('holds every file its package.json refers to', () => {
    const entry = entries.find((e) => e.name === 'extension/package.json')!;
    const manifest = JSON.parse(readEntry(zip, entry).toString('utf8'));
    const c = manifest.contributes;
    const paths: string[] = [
      manifest.main,
      manifest.icon,
      ...c.languages.map((l: { configuration?: string }) => l.configuration).filter(Boolean),
      ...c.grammars.map((g: { path: string }) => g.path),
      ...c.yamlValidation.map((v: { url: string }) => v.url),
      ...c.jsonValidation.map((v: { url: string }) => v.url),
      ...Object.values(c.viewsContainers as Record<string, { icon: string }[]>).flat().map((v) => v.icon),
      ...Object.values(c.views as Record<string, { icon?: string }[]>).flat().map((v) => v.icon).filter((i): i is string => !!i),
      ...Object.values(manifest.bin as Record<string, string>),
    ];
    const missing = paths.map((p) => `extension/${p.replace(/^\.\//, '')}`).filter((p) => !names.includes(p));
    assert.deepEqual(missing, [], `package.json refers to files the VSIX lacks:\n  ${missing.join('\n  ')}`);
  });

  it('has a 128×128 PNG icon and stays small', () => {
    const png = readEntry(zip, entries.find((e) => e.name === 'extension/media/icon.png')!);
    assert.equal(png.toString('latin1', 1, 4), 'PNG');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
    // 3.3 MiB today: the graph view's layout worker (elkjs, 1.6 MB) and BullMQ with ioredis (issue 15) in
    // the runtime's bundle came in this round; source maps or node_modules would multiply it.
    assert.ok(statSync(vsix).size < 4 * 1024 * 1024, `the VSIX is ${statSync(vsix).size} bytes`);
  });
});
