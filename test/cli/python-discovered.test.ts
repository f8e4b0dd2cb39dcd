// The CLI runs executors that the tree's project registers in Python without declaring them (issue 12):
// discovery reads test/fixtures/python-discovered statically and the host imports the registering file
// and builds the executor through apflow's registry. apflow cannot be installed where the tests run,
// so one case gives python3 the small stand-in of apflow's registry in test/fixtures/apflow-standin;
// the other runs python3 as it is, without apflow.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildIfStale, cli, json } from './cli-helpers';

const PROJECT = resolve(__dirname, '../fixtures/python-discovered');
const TREE = join(PROJECT, 'tree.apflow.yaml');
const STANDIN = resolve(__dirname, '../fixtures/apflow-standin');

interface Doc {
  run: { status: string };
  tasks: { id: string; status: string; result: unknown; error: string | null }[];
}

describe('CLI: registered Python executors run without a declaration (issue 12)', function () {
  this.timeout(60_000);
  let dir: string;
  before(buildIfStale);
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'apflow-cli-discovered-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('builds an @executor_register() class and a @function_executor function through apflow’s registry', async () => {
    const result = await cli(['run', TREE, '--no-history', '--json'], dir, { PYTHONPATH: STANDIN });
    assert.equal(result.code, 0, result.stderr);
    const doc = json<Doc>(result);
    const byId = new Map(doc.tasks.map((t) => [t.id, t]));
    // params are constructor arguments and `self.task` is the record, as apflow's registry builds them.
    assert.deepEqual(byId.get('greet')?.result, { message: 'Hi, Ada', task: 'greet' });
    assert.deepEqual(byId.get('count')?.result, { words: 3 });
    assert.ok(result.stderr.split('\n').includes('greet | greeting Ada'), result.stderr);
  });

  it('runs a declaration that gives only a description and a schema with the executor registered under its id', async () => {
    const result = await cli(['run', join(PROJECT, 'described.apflow.yaml'), '--no-history', '--json'], dir, { PYTHONPATH: STANDIN });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(json<Doc>(result).tasks[0].result, { message: 'Hello, Ada', task: 'greet' });
  });

  it('is not refused without apflow: the task fails saying apflow is missing from the interpreter', async () => {
    const result = await cli(['run', TREE, '--no-history', '--json'], dir, { PYTHONPATH: '' });
    assert.equal(result.code, 1, result.stderr);
    const greet = json<Doc>(result).tasks.find((t) => t.id === 'greet');
    assert.match(greet?.error ?? '', /^apflow is not installed in \S*python/);
  });

  it('looks only in the tree’s own project: elsewhere the id stays unknown and the run is refused', async () => {
    const tree = join(dir, 'elsewhere.apflow.yaml');
    writeFileSync(tree, 'tasks:\n  - id: greet\n    schemas: { method: greet }\n    inputs: { name: Ada }\n');
    const result = await cli(['run', tree, '--no-history'], dir, { PYTHONPATH: STANDIN });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown-executor: executor 'greet' of task 'greet' is neither built in/);
  });
});
