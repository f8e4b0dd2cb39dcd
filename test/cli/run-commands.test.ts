import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildIfStale, cli, DECLARATIONS, json, startCli, workspace } from './cli-helpers';

const task = (id: string, method: string, extra = '') => `  - id: ${id}\n    name: ${id.toUpperCase()}\n${id === 'root' ? '' : '    parent_id: root\n'}    schemas: { method: ${method} }\n${extra}`;
const TREES = {
  'ok.apflow.yaml': `${DECLARATIONS}tasks:\n${task('root', 'ok', '    dependencies: [a, b]\n')}${task('a', 'ok')}${task('b', 'ok', '    timeout: 5\n    max_attempts: 2\n')}`,
  'broken.apflow.yaml': `${DECLARATIONS}tasks:\n${task('root', 'ok', '    dependencies: [load, side]\n')}${task('parse', 'fail', '    inputs: { message: bad header }\n')}${task('load', 'ok', '    dependencies: [parse]\n')}${task('side', 'ok')}`,
  'cycle.apflow.yaml': `${DECLARATIONS}tasks:\n${task('root', 'ok', '    dependencies: [a]\n')}${task('a', 'ok', '    dependencies: [b]\n')}${task('b', 'ok', '    dependencies: [a]\n')}`,
  'long.apflow.yaml': `${DECLARATIONS}tasks:\n${task('root', 'ok', '    dependencies: [long]\n')}${task('long', 'slow')}`,
  'stubborn.apflow.yaml': `${DECLARATIONS}tasks:\n${task('root', 'ok', '    dependencies: [s]\n')}${task('s', 'stubborn')}`,
};

const RUN_KEYS = ['id', 'file', 'status', 'trigger', 'parent_run_id', 'started_at', 'finished_at', 'duration_ms'];
const TASK_KEYS = ['id', 'name', 'parent_id', 'status', 'priority', 'inputs', 'result', 'error', 'progress', 'started_at', 'completed_at', 'attempt_count', 'blocked_by', 'origin_type', 'original_task_id'];
const ISO_MS_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

interface RunDoc {
  run: Record<string, unknown> & { id: string; status: string };
  tasks: (Record<string, unknown> & { id: string })[];
}

describe('CLI: run, retry, history, show, export (spec 6)', function () {
  this.timeout(30000);
  let ws: ReturnType<typeof workspace>;
  before(buildIfStale);
  beforeEach(() => (ws = workspace(TREES)));
  afterEach(() => ws.cleanup());
  const byId = (doc: RunDoc) => Object.fromEntries(doc.tasks.map((t) => [t.id, t]));

  it('prints the spec 6.3 JSON document and exits 0 for a completed run', async () => {
    const r = await cli(['run', 'ok.apflow.yaml', '--json'], ws.dir);
    assert.equal(r.code, 0, r.stderr);
    const doc = json<RunDoc>(r);
    for (const k of RUN_KEYS) assert.ok(k in doc.run, `run.${k}`);
    assert.equal(doc.run.file, 'ok.apflow.yaml');
    assert.equal(doc.run.status, 'completed');
    assert.equal(doc.run.trigger, 'run');
    assert.equal(doc.run.parent_run_id, null);
    assert.match(String(doc.run.started_at), ISO_MS_UTC);
    assert.equal(doc.run.duration_ms, Date.parse(String(doc.run.finished_at)) - Date.parse(String(doc.run.started_at)));
    assert.deepEqual(doc.tasks.map((t) => t.id), ['root', 'a', 'b'], 'file order');
    for (const t of doc.tasks) assert.deepEqual(Object.keys(t), TASK_KEYS);
    const t = byId(doc);
    assert.deepEqual(t.root.inputs, { out_a: 'a', out_b: 'b' }, 'inputs as received');
    assert.deepEqual(t.a.result, { out_a: 'a' });
    assert.equal(t.a.parent_id, 'root');
    assert.equal(t.a.priority, 2);
    assert.equal(t.a.progress, 1);
    assert.equal(t.a.origin_type, 'create');
    assert.match(String(t.a.completed_at), ISO_MS_UTC);
    assert.ok(existsSync(join(ws.dir, '.apflow', 'history.sqlite')), 'default history under the current directory');
  });

  it('shows progress lines on stderr and a summary on stdout, and exits 1 for a failed run', async () => {
    const r = await cli(['run', 'broken.apflow.yaml'], ws.dir);
    assert.equal(r.code, 1);
    const lines = r.stderr.split('\n');
    for (const expected of ['parse in_progress', 'side in_progress', 'load blocked by parse', 'root blocked by parse']) assert.ok(lines.includes(expected), `stderr line "${expected}" in:\n${r.stderr}`);
    assert.ok(lines.some((l) => /^parse failed \(\d+ ms\): bad header$/.test(l)), r.stderr);
    assert.match(r.stdout, /^run [0-9a-f-]{36} failed in \d+ ms \(broken\.apflow\.yaml\)$/m);
    assert.match(r.stdout, /^tasks: 1 completed, 1 failed, 2 blocked$/m);
    assert.match(r.stdout, /^ {2}parse failed: bad header$/m);
    assert.match(r.stdout, /^ {2}load blocked by parse$/m);
  });

  it('refuses a file with errors: exit 2, diagnostics as validate prints them', async () => {
    const r = await cli(['run', 'cycle.apflow.yaml', '--json'], ws.dir);
    assert.equal(r.code, 2);
    const doc = json<{ refused: boolean; diagnostics: Record<string, unknown>[] }>(r);
    assert.equal(doc.refused, true);
    assert.ok(doc.diagnostics.length > 0);
    for (const d of doc.diagnostics) {
      assert.deepEqual(Object.keys(d), ['code', 'severity', 'message', 'range', 'task']);
      assert.equal(d.code, 'dependency-cycle');
    }
    const text = await cli(['run', 'cycle.apflow.yaml'], ws.dir);
    assert.equal(text.code, 2);
    assert.match(text.stderr, /^cycle\.apflow\.yaml:\d+:\d+: error dependency-cycle: dependency cycle: /m);
    assert.equal(existsSync(join(ws.dir, '.apflow', 'history.sqlite')), false, 'a refused run records nothing');
  });

  it('rejects usage mistakes with exit 2', async () => {
    for (const args of [['run'], ['run', 'a', 'b'], ['run', 'ok.apflow.yaml', '--concurrency', '0'], ['run', 'ok.apflow.yaml', '--history', 'h', '--no-history'], ['run', 'ok.apflow.yaml', '--bogus'], ['run', 'missing.apflow.yaml'], ['run', 'ok.apflow.yaml', '--task', 'nope'], ['show'], ['retry'], ['retry', 'x', '--last'], ['history', '--limit', 'many']]) {
      const r = await cli(args, ws.dir);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.ok(r.stderr.length > 0);
    }
  });

  it('writes nothing with --no-history, and uses --history PATH when given', async () => {
    const before = readdirSync(ws.dir).sort();
    assert.equal((await cli(['run', 'ok.apflow.yaml', '--no-history'], ws.dir)).code, 0);
    assert.deepEqual(readdirSync(ws.dir).sort(), before);
    assert.equal((await cli(['run', 'ok.apflow.yaml', '--history', 'custom/h.sqlite'], ws.dir)).code, 0);
    assert.ok(existsSync(join(ws.dir, 'custom', 'h.sqlite')));
  });

  it('runs one task and its dependencies with --task', async () => {
    const doc = json<RunDoc>(await cli(['run', 'broken.apflow.yaml', '--task', 'SIDE', '--json'], ws.dir));
    assert.deepEqual(doc.tasks.map((t) => t.id), ['side']);
    assert.equal(doc.run.trigger, 'run-task');
    assert.equal(doc.run.status, 'completed');
  });

  it('lists runs newest first, filtered and limited, and shows one by id or prefix', async () => {
    const empty = await cli(['history', '--json'], ws.dir);
    assert.deepEqual(json(empty), { runs: [] });
    assert.equal(existsSync(join(ws.dir, '.apflow')), false, 'reading does not create the history');
    const first = json<RunDoc>(await cli(['run', 'ok.apflow.yaml', '--json'], ws.dir));
    const second = json<RunDoc>(await cli(['run', 'broken.apflow.yaml', '--json'], ws.dir));
    const all = json<{ runs: RunDoc['run'][] }>(await cli(['history', '--json'], ws.dir));
    assert.deepEqual(all.runs.map((r) => r.id), [second.run.id, first.run.id]);
    assert.deepEqual(all.runs[0], second.run, 'history run objects are those of run --json');
    const limited = json<{ runs: RunDoc['run'][] }>(await cli(['history', '--json', '--limit', '1'], ws.dir));
    assert.deepEqual(limited.runs.map((r) => r.id), [second.run.id]);
    const filtered = json<{ runs: RunDoc['run'][] }>(await cli(['history', '--json', '--file', 'ok.apflow.yaml'], ws.dir));
    assert.deepEqual(filtered.runs.map((r) => r.id), [first.run.id]);
    const text = await cli(['history'], ws.dir);
    assert.equal(text.code, 0);
    assert.match(text.stdout, new RegExp(`^${second.run.id.slice(0, 8)} .* failed .* broken\\.apflow\\.yaml$`, 'm'));

    const shown = await cli(['show', second.run.id, '--json'], ws.dir);
    assert.equal(shown.code, 0);
    assert.deepEqual(json(shown), second);
    assert.deepEqual(json(await cli(['show', second.run.id.slice(0, 8), '--json'], ws.dir)), second);
    const showText = await cli(['show', first.run.id], ws.dir);
    assert.match(showText.stdout, new RegExp(`^run ${first.run.id} completed`, 'm'));
    const unknown = await cli(['show', 'ffffffff'], ws.dir);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no run 'ffffffff'/);
  });

  it('retries a failed run (by id or --last) as a linked run that re-runs only the failed branch', async () => {
    const failed = json<RunDoc>(await cli(['run', 'broken.apflow.yaml', '--json'], ws.dir));
    writeFileSync(join(ws.dir, 'broken.apflow.yaml'), TREES['broken.apflow.yaml'].replace('method: fail', 'method: ok'));
    const retried = await cli(['retry', '--last', '--json'], ws.dir);
    assert.equal(retried.code, 0, retried.stderr);
    const doc = json<RunDoc>(retried);
    assert.equal(doc.run.trigger, 'retry');
    assert.equal(doc.run.parent_run_id, failed.run.id);
    const t = byId(doc);
    assert.equal(t.side.origin_type, 'link');
    assert.equal(t.side.original_task_id, 'side');
    assert.equal(t.side.started_at, byId(failed).side.started_at, 'carried over, not run again');
    for (const id of ['parse', 'load', 'root']) assert.deepEqual([t[id].status, t[id].origin_type], ['completed', 'create'], id);
    const again = await cli(['retry', doc.run.id], ws.dir);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /completed; only a failed or cancelled run can be retried/);
    const byIdRetry = await cli(['retry', failed.run.id, '--json'], ws.dir);
    assert.equal(json<RunDoc>(byIdRetry).run.parent_run_id, failed.run.id);
  });

  it('cancels on SIGINT, writes the history and exits 1', async () => {
    const run = startCli(['run', 'long.apflow.yaml', '--json'], ws.dir);
    await run.stderrIncludes('long in_progress');
    run.kill('SIGINT');
    const r = await run.done;
    assert.equal(r.code, 1, r.stderr);
    const doc = json<RunDoc>(r);
    assert.equal(doc.run.status, 'cancelled');
    assert.deepEqual(doc.tasks.map((t) => [t.id, t.status, t.error]), [
      ['root', 'cancelled', 'Cancelled by SIGINT (Ctrl+C)'],
      ['long', 'cancelled', 'Cancelled by SIGINT (Ctrl+C)'],
    ]);
    const shown = json<RunDoc>(await cli(['show', doc.run.id, '--json'], ws.dir));
    assert.equal(shown.run.status, 'cancelled');
  });

  it('exits at once on a second SIGINT', async () => {
    const run = startCli(['run', 'stubborn.apflow.yaml'], ws.dir);
    await run.stderrIncludes('s in_progress');
    run.kill('SIGINT');
    await run.stderrIncludes('cancelling the run');
    const second = Date.now();
    run.kill('SIGINT');
    const r = await run.done;
    assert.ok(Date.now() - second < 2000, 'did not wait for the 5 s grace period');
    assert.equal(r.code, 130);
  });

  it('waits for another writer of the history, then names it and exits 2', async () => {
    const lock = join(ws.dir, '.apflow', 'history.sqlite.lock');
    await cli(['run', 'ok.apflow.yaml'], ws.dir);
    writeFileSync(lock, String(process.pid));
    const started = Date.now();
    const r = await cli(['run', 'ok.apflow.yaml'], ws.dir);
    assert.equal(r.code, 2);
    assert.ok(Date.now() - started >= 4900, 'waited about 5 s');
    assert.match(r.stderr, new RegExp(`in use by process ${process.pid}`));
  });

  it('exports the apflow task array, or prints the errors and exits 1', async () => {
    const r = await cli(['export', 'ok.apflow.yaml'], ws.dir);
    assert.equal(r.code, 0, r.stderr);
    const tasks = json<Record<string, unknown>[]>(r);
    assert.ok(Array.isArray(tasks));
    assert.deepEqual(tasks.map((t) => t.id), ['root', 'a', 'b']);
    assert.deepEqual(tasks.map((t) => t.priority), [2, 2, 2], 'priority written explicitly (apflow’s creation path would make it 1)');
    assert.ok(tasks.every((t) => !('max_attempts' in t)), 'apflow 0.18 (the default target) has no max_attempts');
    assert.ok(tasks.every((t) => !('timeout' in t)), 'timeout (ext) removed');
    assert.match(r.stderr, /^left out `max_attempts` of task 'b': apflow 0\.18 has no such field$/m);
    assert.match(r.stderr, /^left out `timeout` of task 'b': read only by this runtime$/m);
    assert.deepEqual(tasks[0].schemas, { method: 'ok' }, 'workspace executors kept as schemas.method');
    assert.deepEqual(tasks[0].dependencies, ['a', 'b']);
    assert.equal((await cli(['export', 'ok.apflow.yaml', '--out', 'out.json'], ws.dir)).code, 0);
    assert.deepEqual(JSON.parse(readFileSync(join(ws.dir, 'out.json'), 'utf8')), tasks);
    const on020 = await cli(['export', 'ok.apflow.yaml', '--target', '0.20'], ws.dir);
    assert.equal(on020.code, 0, on020.stderr);
    assert.deepEqual(json<Record<string, unknown>[]>(on020).map((t) => t.max_attempts), [1, 1, 2], 'on 0.20 max_attempts is written explicitly (its column defaults to 3)');
    assert.doesNotMatch(on020.stderr, /max_attempts/);
    const usage = await cli(['export', 'ok.apflow.yaml', '--target', '0.9'], ws.dir);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--target takes an apflow version, 0\.18 or 0\.20/);
    const bad = await cli(['export', 'cycle.apflow.yaml'], ws.dir);
    assert.equal(bad.code, 1);
    assert.equal(bad.stdout, '');
    assert.match(bad.stderr, /^cycle\.apflow\.yaml:\d+:\d+: error dependency-cycle: /m);
  });
});
