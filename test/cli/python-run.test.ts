// The CLI runs Python executors and hooks of test/fixtures/python-run with a real python3 (issue 12):
// per-task log lines, hooks applied and recorded in the history, env.required, --python.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildIfStale, cli, json } from './cli-helpers';

const FIXTURE = resolve(__dirname, '../fixtures/python-run');
const TREE = join(FIXTURE, 'hooks.apflow.yaml');

interface Doc {
  run: { id: string; status: string };
  tasks: { id: string; status: string; inputs: Record<string, unknown>; result: unknown; error: string | null; hooks?: { list: string; hook: string; ms: number; error?: string }[] }[];
}

describe('CLI: Python executors and hooks (issue 12)', function () {
  this.timeout(60_000);
  let dir: string;
  before(buildIfStale);
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'apflow-cli-python-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses the run with exit 2 when a required variable is missing, naming it', async () => {
    const env = { ...process.env };
    delete env.APFLOW_TEST_TOKEN;
    const result = await cli(['run', TREE, '--no-history'], dir, { ...env, APFLOW_TEST_TOKEN: '' });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /missing-env: the run needs the environment variable `APFLOW_TEST_TOKEN`/);
    assert.doesNotMatch(result.stderr, /in_progress/);
  });

  it('runs the Python tasks with hooks applied, prints each log line under its task, and records the hooks', async () => {
    const history = join(dir, 'h.sqlite');
    const run = await cli(['run', TREE, '--history', history], dir, { APFLOW_TEST_TOKEN: 's3cret' });
    assert.equal(run.code, 0, run.stderr);
    const runId = /^run (\S+) completed/m.exec(run.stdout)?.[1] ?? '';
    const lines = run.stderr.split('\n');
    for (const line of ['hello | greeting Ada', 'hello | INFO basic: task hello', 'hello | pre hook hooks.py:fails failed (the task goes on): hook bug', "hello | post hello: ['text']", "report | post report: ['value']"]) {
      assert.ok(lines.includes(line), `missing ${JSON.stringify(line)} in:\n${run.stderr}`);
    }
    assert.ok(lines.some((l) => /^hello \| warning slow-hook: pre hook hooks\.py:slow took \d+ ms/.test(l)), run.stderr);
    const shown = json<Doc>(await cli(['show', runId, '--history', history, '--json'], dir));
    const hello = shown.tasks.find((t) => t.id === 'hello');
    assert.deepEqual(hello?.inputs, { who: 'Ada', stamped_by: 'pre-hook', saw: ['stamped_by', 'who'] });
    assert.deepEqual(hello?.hooks?.map((h) => [h.list, h.hook, h.error ?? null]), [
      ['pre', 'hooks.py:stamp', null],
      ['pre', 'hooks.py:fails', 'hook bug'],
      ['pre', 'hooks.py:slow', null],
      ['post', 'hooks.py:after', null],
    ]);
    assert.deepEqual(shown.tasks.find((t) => t.id === 'report')?.result, { value: 's3cret' });
  });

  it('exports the task array without hooks or env', async () => {
    const out = join(dir, 'tasks.json');
    const result = await cli(['export', TREE, '--out', out], dir);
    assert.equal(result.code, 0, result.stderr);
    const text = readFileSync(out, 'utf8');
    const tasks = JSON.parse(text) as Record<string, unknown>[];
    assert.deepEqual(tasks.map((t) => t.id), ['report', 'hello']);
    assert.ok(!text.includes('hooks.py') && !text.includes('"required"'), `hooks or env in the export:\n${text}`);
  });

  it('fails Python tasks naming the interpreter given with --python when it does not exist', async () => {
    const result = await cli(['run', TREE, '--no-history', '--python', '/no/such/python', '--json'], dir, { APFLOW_TEST_TOKEN: 'x' });
    assert.equal(result.code, 1);
    const hello = json<Doc>(result).tasks.find((t) => t.id === 'hello');
    assert.match(hello?.error ?? '', /\/no\/such\/python not found; set apflow\.python\.interpreter \(or pass --python PATH to the CLI\)/);
  });
});
