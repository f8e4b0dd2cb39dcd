// The Python parser (32 MiB of WebAssembly) is loaded only when something needs it (issue 9: validate
// of a 250,000-task tree of built-in executors peaked 0.3 GiB higher with it): discovery loads it at the
// first file that may register an executor, a host before analysing a tree that declares Python code.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { discoveredEnv, PythonParser, PythonWorkspace } from '../../../../analysis/python/node';

const PROJECT = resolve(__dirname, '../../../fixtures/workspace/python-project');

/** A workspace whose parser loads are counted (the real parser, loaded by the real loader). */
function counted(): { workspace: PythonWorkspace; loads: () => number } {
  let loads = 0;
  const workspace = new PythonWorkspace(() => {
    loads++;
    return PythonParser.load();
  });
  return { workspace, loads: () => loads };
}

describe('analysis: the Python parser is loaded only when needed', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'apflow-lazy-parser-'));
    writeFileSync(join(dir, '.git'), '');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('discovery of a folder whose Python files register nothing does not load it', async () => {
    mkdirSync(join(dir, 'scripts'));
    writeFileSync(join(dir, 'scripts', 'tool.py'), 'def main():\n    return 1\n');
    const { workspace, loads } = counted();
    await workspace.discover(dir);
    assert.equal(loads(), 0);
    assert.equal(workspace.executors().size, 0);
  });

  it('discovery loads it once at the files that may register executors, and reads them', async () => {
    const { workspace, loads } = counted();
    await workspace.discover(PROJECT);
    assert.equal(loads(), 1);
    assert.ok(workspace.executors().size > 0);
  });

  it('reading a declared file before prepare() is a programming error, after it works', async () => {
    const { workspace, loads } = counted();
    await workspace.discover(dir);
    const file = join(dir, 'fetch.py');
    writeFileSync(file, 'class Fetch:\n    pass\n');
    assert.throws(() => workspace.file(file), /prepare\(\) must be awaited/);
    await workspace.prepare();
    assert.equal(loads(), 1);
    assert.ok(workspace.file(file)?.definitions.some((d) => d.name === 'Fetch'));
  });

  it("a command-line host prepares for a tree with a python: key (YAML or JSON) and for no other", async () => {
    const tree = join(dir, 't.apflow.yaml');
    const file = join(dir, 'fetch.py');
    writeFileSync(file, 'class Fetch:\n    pass\n');
    const { env, prepare } = await discoveredEnv([tree], dir);
    await prepare('tasks:\n  - id: a\n    name: A\n');
    const view = env.python?.(dir);
    assert.throws(() => view?.file(file), /prepare\(\) must be awaited/);
    await prepare('{ "executors": { "fetch": { "python" : "fetch.py:Fetch" } }, "tasks": [] }');
    assert.ok(view?.file(file)?.definitions.some((d) => d.name === 'Fetch'));
  });
});
