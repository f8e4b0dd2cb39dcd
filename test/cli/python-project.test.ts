// Issue 12's "done when" from the CLI: the fixture project laid out as apflow's guide recommends
// (*Organize Executors by Domain*: executors/data, executors/api, executors/storage, one hooks module)
// runs with a real python3: every task completes, each log line is printed under its task, and the
// hooks' effects are in the history.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildIfStale, cli, json } from './cli-helpers';

const PROJECT = resolve(__dirname, '../fixtures/workspace/python-project');

interface Doc {
  tasks: { id: string; status: string; inputs: Record<string, unknown>; result: unknown; hooks?: { list: string; hook: string; error?: string }[] }[];
}

describe('CLI: the Python fixture project runs (issue 12)', function () {
  this.timeout(60_000);
  let dir: string;
  before(buildIfStale);
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'apflow-cli-project-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs pipeline.apflow.yaml: logs per task, hooks applied and recorded', async () => {
    const history = join(dir, 'h.sqlite');
    const run = await cli(['run', join(PROJECT, 'pipeline.apflow.yaml'), '--history', history], dir);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stderr.split('\n');
    for (const line of ['fetch | fetching user 1', 'normalize | normalized ada@example.org', "fetch | Fetch user 1: ['email', 'id', 'name']", "save | Save user: ['rows', 'table']"]) {
      assert.ok(lines.includes(line), `missing ${JSON.stringify(line)} in:\n${run.stderr}`);
    }
    const runId = /^run (\S+) completed/m.exec(run.stdout)?.[1] ?? '';
    const shown = json<Doc>(await cli(['show', runId, '--history', history, '--json'], dir));
    assert.deepEqual(shown.tasks.map((t) => [t.id, t.status, t.inputs.stamped_by]), [
      ['fetch', 'completed', 'stamp_inputs'],
      ['normalize', 'completed', 'stamp_inputs'],
      ['save', 'completed', 'stamp_inputs'],
    ]);
    assert.deepEqual(shown.tasks.find((t) => t.id === 'save')?.result, { table: 'users', rows: 1 });
    assert.deepEqual(shown.tasks[0].hooks?.map((h) => [h.list, h.hook, h.error ?? null]), [
      ['pre', 'hooks.py:stamp_inputs', null],
      ['post', 'hooks.py:log_result', null],
    ]);
  });
});
