// `run --server` and `retry` of a server run (issue 15), through the built CLI against the stand-in for
// apflow 0.18.1's API server (test/support): the run, its history, auth, the server's errors, refusals,
// cancel, a lost event stream, and a retry that submits only the failed branch.
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitInputs } from '../../client/run-page/model';
import { LocalHistory } from '../../runtime/history/local';
import { startStandIn, type StandIn, type StandInOptions } from '../support/apflow-server-stand-in';
import { buildIfStale, cli, DECLARATIONS, json, startCli, workspace } from './cli-helpers';

const TOKEN = 'stand-in-secret-token';

const tree = (parse: string) => `version: 1
tasks:
  - id: report
    name: Report
    schemas: { method: aggregate_results_executor }
    dependencies: [fetch, parse]
  - id: fetch
    name: Fetch
    parent_id: report
    schemas: { method: aggregate_results_executor }
    inputs: { sleep: 0.2 }
  - id: parse
    name: Parse
    parent_id: report
    schemas: { method: aggregate_results_executor }
    dependencies: [fetch]
    inputs: { ${parse} }
`;

interface RunDoc {
  run: { id: string; status: string; error: string | null; server?: string; parent_run_id: string | null };
  tasks: { id: string; status: string; error: string | null; result: unknown; inputs: Record<string, unknown>; blocked_by: string | null; server_task_id?: string; origin_type: string }[];
}

describe('CLI: run on an apflow server (issue 15)', function () {
  this.timeout(30000);
  let ws: ReturnType<typeof workspace>;
  let server: StandIn | null = null;
  before(buildIfStale);
  beforeEach(() => (ws = workspace({ 'tree.apflow.yaml': tree('sleep: 0.1') })));
  afterEach(async () => {
    await server?.close();
    server = null;
    ws.cleanup();
  });

  const serve = async (options: StandInOptions = {}) => (server = await startStandIn({ token: TOKEN, ...options }));
  const run = (args: string[], env: NodeJS.ProcessEnv = { APFLOW_TOKEN: TOKEN }) => cli(['run', 'tree.apflow.yaml', '--history', 'h.sqlite', ...args], ws.dir, env);

  it('runs the tree on the server and records the server and its task ids, never the token', async () => {
    const s = await serve();
    const r = await run(['--server', s.url, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const doc = json<RunDoc>(r);
    assert.equal(doc.run.status, 'completed');
    assert.equal(doc.run.server, s.url);
    assert.deepEqual(doc.tasks.map((t) => [t.id, t.status]), [['report', 'completed'], ['fetch', 'completed'], ['parse', 'completed']]);
    // The server holds the tasks under fresh UUIDs; the record names each.
    for (const t of doc.tasks) assert.equal(s.tasks.get(t.server_task_id as string)?.name, t.id === 'report' ? 'Report' : t.id === 'fetch' ? 'Fetch' : 'Parse');
    // The aggregated result is keyed by the file's ids, as a local run's is.
    assert.deepEqual(Object.keys((doc.tasks[0].result as { results: object }).results), ['fetch', 'parse']);
    const shown = json<RunDoc>(await cli(['show', doc.run.id, '--history', 'h.sqlite', '--json'], ws.dir));
    assert.equal(shown.run.server, s.url);
    assert.deepEqual(shown.tasks.map((t) => t.server_task_id), doc.tasks.map((t) => t.server_task_id));
    assert.ok(!readFileSync(join(ws.dir, 'h.sqlite')).includes(TOKEN), 'the token is not in the history');
    // The server merged the inputs on its side: the run page shows them as received, and says why.
    const history = await LocalHistory.open({ path: join(ws.dir, 'h.sqlite'), mode: 'read' });
    const [report] = await history.tasksOf(doc.run.id);
    await history.close();
    const inputs = splitInputs(report, doc.run);
    assert.deepEqual(inputs.own, report.inputs);
    assert.match(inputs.unsplit ?? '', /^The apflow server merged its dependencies’ results into these inputs/);
    assert.ok(!r.stdout.includes(TOKEN) && !r.stderr.includes(TOKEN));
  });

  it('takes the token from the variable --token-env names, and refuses a wrong one before submitting (exit 2)', async () => {
    const s = await serve();
    assert.equal((await run(['--server', s.url, '--token-env', 'MY_TOKEN'], { MY_TOKEN: TOKEN })).code, 0);
    const refused = await run(['--server', s.url], { APFLOW_TOKEN: 'wrong' });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /run refused: the apflow server at http:\/\/127\.0\.0\.1:\d+ refused the token \(Invalid or expired JWT token\)\. Check the token in the environment variable APFLOW_TOKEN/);
    const missing = await run(['--server', s.url], {});
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /refused the token \(Missing Authorization header[^)]*\)\. No token was given\./);
    assert.equal(s.calls.filter((c) => c === 'tasks.create').length, 1, 'only the run with the right token submitted anything');
  });

  it('refuses what the server cannot run, naming the task, before submitting (exit 2)', async () => {
    const s = await serve();
    writeFileSync(join(ws.dir, 'tree.apflow.yaml'), `version: 1\n${DECLARATIONS}tasks:\n  - id: root\n    name: Root\n    schemas: { method: ok }\n    timeout: 5\n`);
    const r = await run(['--server', s.url]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /server-unsupported: task 'root' uses the workspace JavaScript executor 'ok', which an apflow server cannot run/);
    assert.match(r.stderr, /server-unsupported: task 'root' sets `timeout`, which apflow ignores/);
    assert.deepEqual(s.calls, []);
  });

  it('refuses a server that does not speak apflow 0.18 API, such as apflow 0.20', async () => {
    const s = await serve({ notApflow018: true });
    const r = await run(['--server', s.url]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /does not speak apflow 0\.18's JSON-RPC API \(GET \/tasks\/methods answered HTTP 404\)\. Only apflow 0\.18's server is supported/);
  });

  it("shows the server's errors as run errors: a failed execute, a failed task and what it blocks", async () => {
    const broken = await serve({ executeError: 'database is locked' });
    const r = await run(['--server', broken.url, '--json']);
    assert.equal(r.code, 1);
    assert.equal(json<RunDoc>(r).run.error, 'the apflow server answered tasks.execute with Internal error: database is locked');
    await broken.close();

    const s = await serve();
    writeFileSync(join(ws.dir, 'tree.apflow.yaml'), tree('fail: "parser crashed"'));
    const failed = json<RunDoc>(await run(['--server', s.url, '--json']));
    assert.equal(failed.run.status, 'failed');
    assert.equal(failed.run.error, "task 'parse' failed: parser crashed; 1 blocked");
    assert.deepEqual(failed.tasks.map((t) => [t.id, t.status, t.blocked_by]), [['report', 'pending', 'parse'], ['fetch', 'completed', null], ['parse', 'failed', null]]);
  });

  it('retries a failed server run on the same server with only the failed branch, the carried result merged in', async () => {
    const s = await serve();
    writeFileSync(join(ws.dir, 'tree.apflow.yaml'), tree('fail: "parser crashed"'));
    const first = json<RunDoc>(await run(['--server', s.url, '--json']));
    writeFileSync(join(ws.dir, 'tree.apflow.yaml'), tree('sleep: 0.05'));
    const before = s.tasks.size;
    const r = await cli(['retry', '--last', '--history', 'h.sqlite', '--json'], ws.dir, { APFLOW_TOKEN: TOKEN });
    assert.equal(r.code, 0, r.stderr);
    const retry = json<RunDoc>(r);
    assert.equal(retry.run.parent_run_id, first.run.id);
    assert.equal(retry.run.server, s.url);
    assert.deepEqual(retry.tasks.map((t) => [t.id, t.status, t.origin_type]), [['report', 'completed', 'create'], ['fetch', 'completed', 'link'], ['parse', 'completed', 'create']]);
    const submitted = [...s.tasks.values()].slice(before);
    assert.deepEqual(submitted.map((t) => t.name), ['Report', 'Parse'], 'fetch is carried over, not submitted again');
    const parse = submitted[1];
    assert.deepEqual(parse.dependencies, [], 'the carried dependency is not one on the server');
    assert.deepEqual(parse.inputs.fetch, { results: { sleep: 0.2 } }, "fetch's result reached parse as the server would merge it");
    assert.equal(retry.tasks[1].server_task_id, undefined, 'a carried task has no task on the server in this run');
  });

  it('cancels on Ctrl-C with tasks.cancel, and records the run cancelled', async () => {
    const s = await serve();
    writeFileSync(join(ws.dir, 'tree.apflow.yaml'), tree('sleep: 30'));
    const child = startCli(['run', 'tree.apflow.yaml', '--history', 'h.sqlite', '--server', s.url, '--json'], ws.dir, { APFLOW_TOKEN: TOKEN });
    await child.stderrIncludes('parse in_progress');
    child.kill('SIGINT');
    const r = await child.done;
    assert.equal(r.code, 1, r.stderr);
    const doc = json<RunDoc>(r);
    assert.equal(doc.run.status, 'cancelled');
    assert.deepEqual(doc.tasks.map((t) => [t.id, t.status]), [['report', 'cancelled'], ['fetch', 'completed'], ['parse', 'cancelled']]);
    assert.ok(s.calls.includes('tasks.cancel'));
    assert.equal(s.tasks.get(doc.tasks[2].server_task_id as string)?.status, 'cancelled', 'the task is cancelled on the server');
  });

  it('reports a lost event stream and records the run interrupted', async () => {
    const s = await serve({ dropStreamAfter: 2, fullStream: true });
    writeFileSync(join(ws.dir, 'tree.apflow.yaml'), tree('sleep: 30'));
    const r = await run(['--server', s.url, '--json']);
    assert.equal(r.code, 1, r.stderr);
    const doc = json<RunDoc>(r);
    assert.match(doc.run.error ?? '', /^interrupted: lost the connection to the apflow server at http:\/\/127\.0\.0\.1:\d+ \(.+\); the tree may still be running on the server \(task [0-9a-f-]{36}\)$/);
    assert.equal(doc.run.status, 'failed');
    assert.ok(doc.tasks.every((t) => t.status !== 'in_progress' && t.status !== 'pending'), 'no task is left running in the record');
    assert.match(doc.tasks[1].error ?? '', /^interrupted: lost the connection/);
  });

  it('says which options do not go with --server', async () => {
    const r = await run(['--server', 'http://127.0.0.1:9', '--concurrency', '2']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "apflow-yaml run: --concurrency applies to runs on this machine; a run on an apflow server uses the server's own\n");
    const t = await run(['--token-env', 'X']);
    assert.equal(t.stderr, 'apflow-yaml run: --token-env goes with --server URL\n');
  });
});
