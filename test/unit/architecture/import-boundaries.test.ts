// The import-boundary rule (docs/development.md): a module of one top-level folder imports another
// folder only through the entry points declared in boundaries.ts. The failure lists every import
// that breaks the rule, with the entry points the importer should use instead.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ENTRY_POINTS, violation } from './boundaries';
import { importsOf, modulesUnder, type Import } from './imports';

const ROOT = resolve(__dirname, '..', '..', '..');
/** Top-level folders outside the rule: the tests and the build's scripts may import anything. */
const NOT_PRODUCT = new Set(['test', 'scripts', 'node_modules', 'dist', 'out']);
const FOLDERS = Object.keys(ENTRY_POINTS);
function violations(): string[] {
  return FOLDERS.flatMap((folder) => modulesUnder(join(ROOT, folder)))
    .flatMap((file) => importsOf(ROOT, file))
    .sort((a, b) => a.from.localeCompare(b.from) || a.line - b.line)
    .map(violation)
    .filter((v): v is string => v !== null);
}

describe('import boundaries between the top-level folders', () => {
  it('declares the entry points of every top-level folder of modules, and they exist', () => {
    const undeclared = readdirSync(ROOT, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !NOT_PRODUCT.has(e.name) && modulesUnder(join(ROOT, e.name)).length > 0)
      .map((e) => e.name)
      .filter((name) => !(name in ENTRY_POINTS));
    assert.deepEqual(undeclared, []);
    // protocol/ may not exist yet (it arrives with another change); what exists must be declared right.
    const missing = FOLDERS.filter((f) => existsSync(join(ROOT, f))).flatMap((f) => ENTRY_POINTS[f].filter((e) => !existsSync(join(ROOT, e))));
    assert.deepEqual(missing, []);
  });

  it('finds the imports it judges, whatever their form', () => {
    // client/extension.ts requires its activation module; the server imports the core's index.
    const imports = [...importsOf(ROOT, join(ROOT, 'client', 'extension.ts')), ...importsOf(ROOT, join(ROOT, 'server', 'handlers.ts'))];
    assert.ok(imports.some((i) => i.target === 'client/activate.ts'), 'require()');
    assert.ok(imports.some((i) => i.target === 'analysis/index.ts'), 'a folder index');
  });

  it('tells an internal import from an entry point', () => {
    const at = (from: string, target: string): Import => ({ from, line: 3, specifier: `../${target.replace(/\.ts$/, '')}`, target });
    assert.equal(violation(at('client/runs.ts', 'runtime/index.ts')), null);
    assert.equal(violation(at('runtime/plan.ts', 'runtime/types.ts')), null);
    assert.equal(violation(at('analysis/schema-check.ts', 'schemas/apflow.schema.json')), null);
    assert.equal(
      violation(at('client/runs.ts', 'runtime/run.ts')),
      `client/runs.ts:3 imports '../runtime/run', an internal module of runtime/ (its entry points: ${ENTRY_POINTS.runtime.join(', ')})`,
    );
    assert.equal(
      violation(at('client/server-sync.ts', 'server/protocol.ts')),
      "client/server-sync.ts:3 imports '../server/protocol', an internal module of server/ (server/ is a program: nothing imports it)",
    );
  });

  it('holds: no module imports another folder’s internals', () => {
    const found = violations();
    if (found.length) assert.fail(`${found.length} import(s) reach into another folder's internals:\n  ${found.join('\n  ')}`);
  });
});
