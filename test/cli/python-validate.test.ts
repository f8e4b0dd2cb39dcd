// `apflow-yaml validate` on a Python project (issue 12): the built CLI discovers the executors of the
// tree's project (the nearest folder with .git or pyproject.toml, else the current folder) statically.
import { strict as assert } from 'node:assert';
import { cpSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildIfStale, cli, json, workspace } from './cli-helpers';

const FIXTURE = resolve(__dirname, '../fixtures/workspace/python-project');

describe('CLI: validate a Python project', () => {
  before(buildIfStale);

  it('validates the fixture project clean: declared python: executors and registered ones', async () => {
    const result = await cli(['validate', '--json', '.'], FIXTURE);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const doc = json<{ files: { path: string; diagnostics: unknown[] }[]; errors: number }>(result);
    assert.deepEqual(doc.files.map((f) => [f.path, f.diagnostics.length]).sort(), [['pipeline.apflow.yaml', 0], ['registered.apflow.yaml', 0]]);
  });

  it('finds the registrations from a sub-folder up to pyproject.toml, and reports a broken declaration (exit 1)', async () => {
    const { dir, cleanup } = workspace({ 'pyproject.toml': '[project]\nname = "demo"\n' });
    try {
      cpSync(join(FIXTURE, 'executors'), join(dir, 'executors'), { recursive: true });
      writeFileSync(
        join(dir, 'executors', 'flow.apflow.yaml'),
        'executors:\n  gone:\n    python: data/fetch.py:Gone\ntasks:\n  - id: root\n    name: Root\n    schemas: { method: greeter }\n    inputs: { name: Ada }\n    dependencies: [g]\n  - id: g\n    name: G\n    parent_id: root\n    schemas: { method: gone }\n',
      );
      const result = await cli(['validate', 'flow.apflow.yaml'], join(dir, 'executors'));
      assert.equal(result.code, 1);
      assert.match(result.stdout, /error executor-module-missing: 'data\/fetch\.py' has no class or function `Gone` for executor `gone`/);
      assert.doesNotMatch(result.stdout, /unknown-executor/);
    } finally {
      cleanup();
    }
  });
});
