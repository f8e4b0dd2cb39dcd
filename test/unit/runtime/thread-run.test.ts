// A run in a worker thread (runtime/thread-run): the host's copy of the run must be the embedded run as
// its listeners see it — the same events in the same order, the same records at the end — and must
// refuse, cancel, discard and record like it. The worker runs the sources (worker.ts) for real.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalHistory } from '../../../runtime/history/local';
import { RunRecorder } from '../../../runtime/history/recorder';
import type { LiveRun } from '../../../runtime/live-run';
import { prepareRun } from '../../../runtime/preflight';
import { TaskRun } from '../../../runtime/run';
import { launchInThread, type ThreadLaunch } from '../../../runtime/thread-run';
import type { RunRequest } from '../../../runtime/preflight';
import { buildIfStale } from '../../cli/cli-helpers';
import { startRedis } from '../../fixtures/redis-server';

const WORKER = join(__dirname, '../../../runtime/thread-run/worker.ts');

const TREE = `executors:
  ok: { module: ./exec.mjs, export: ok }
  chatty: { module: ./exec.mjs, export: chatty }
  flaky: { module: ./exec.mjs, export: flaky }
tasks:
  - id: root
    name: Root
    schemas: { method: aggregate_results_executor }
    dependencies: [a, b, c]
  - id: a
    name: A
    parent_id: root
    schemas: { method: chatty }
    inputs: { word: hello }
  - id: b
    name: B
    parent_id: root
    schemas: { method: flaky }
    max_attempts: 2
    backoff_strategy: fixed
    backoff_base_seconds: 0.1
    dependencies: [a]
  - id: c
    name: C
    parent_id: root
    schemas: { method: ok }
    dependencies: [{ id: b, required: false }]
`;

const EXEC = `export const ok = (inputs) => ({ got: Object.keys(inputs).sort() });
export const chatty = (inputs, context) => { context.log('saying ' + inputs.word + '\\n'); context.progress(0.5); return { said: inputs.word }; };
export const flaky = () => { throw new Error('flaky fails'); };
export const wait = (inputs, context) => new Promise((resolve) => context.signal.addEventListener('abort', () => resolve('stopped')));
`;

/**
 * What a listener of every event sees, in order (the run-independent parts). Not the state of the record
 * at each event: the host applies a batch's records before its events, so they may show a later state.
 */
function transcript(run: LiveRun): string[] {
  const seen: string[] = [];
  run.on('run-started', (e) => seen.push(`run-started ${e.tasks.length}`));
  run.on('task-status', (e) => seen.push(`${e.task.id} ${e.from}→${e.to}`));
  run.on('task-blocked', (e) => seen.push(`${e.task.id} blocked by ${e.blockedBy}`));
  run.on('task-progress', (e) => seen.push(`${e.task.id} progress ${e.progress}`));
  // A failure's stack names the module with a cache-busting query that differs between loads.
  run.on('task-log', (e) => seen.push(`${e.task.id} log ${JSON.stringify(e.text.replace(/\?v=[\d.]+/g, ''))}`));
  run.on('task-attempt', (e) => seen.push(`${e.task.id} attempt ${e.attempt}: ${e.error}`));
  run.on('run-finished', (e) => seen.push(`run-finished ${e.run.status}`));
  return seen;
}

/** The records without what differs from one run to the next (ids of the run, times). */
function comparable(run: LiveRun) {
  const { id: _id, started_at: _s, finished_at: _f, ...record } = run.record;
  const tasks = run.tasks.map(({ created_at: _c, started_at: _st, updated_at: _u, completed_at: _co, task_tree_id: _t, attempts, ...rest }) => ({ ...rest, attempts: attempts?.map((a) => a.status) }));
  return { record, tasks };
}

describe('runtime: a run in a worker thread', () => {
  let dir: string;
  let file: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'apflow-thread-run-'));
    writeFileSync(join(dir, 'exec.mjs'), EXEC);
    file = join(dir, 'tree.apflow.yaml');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const request = (text: string, extra: Partial<RunRequest> = {}): RunRequest => {
    writeFileSync(file, text);
    return { text, file, env: process.env, allowPrivateUrls: false, ...extra };
  };
  const launch = (text: string, extra: Partial<RunRequest> = {}): Promise<ThreadLaunch> => launchInThread({ run: request(text, extra), concurrency: 1 }, WORKER);
  const ready = async (text: string) => {
    const launched = await launch(text);
    assert.equal(launched.kind, 'ready', JSON.stringify(launched));
    return (launched as Extract<ThreadLaunch, { kind: 'ready' }>).run;
  };

  it('shows its listeners what the embedded run shows them, in the same order, on the same record objects', async () => {
    const preflight = await prepareRun(request(TREE));
    assert.ok(preflight.ok);
    const embedded = new TaskRun(preflight.plan, { concurrency: 1 });
    const expected = transcript(embedded);
    await embedded.start();

    const threaded = await ready(TREE);
    const records = [...threaded.tasks];
    const seen = transcript(threaded);
    const result = await threaded.start();
    assert.deepEqual(seen, expected);
    assert.ok(seen.includes('b attempt 1: flaky fails') && seen.includes('a log "saying hello\\n"'), 'the transcript has logs and attempts');
    assert.deepEqual(comparable(threaded), comparable(embedded));
    assert.equal(result.run, threaded.record);
    assert.ok(threaded.tasks.every((t, i) => t === records[i]), 'the records are updated in place');
  });

  it('is recorded in the history like the embedded run', async () => {
    const history = await LocalHistory.open({ path: join(dir, 'history.sqlite'), mode: 'write' });
    try {
      const run = await ready(TREE);
      const recorder = new RunRecorder(history, run);
      await run.start();
      await recorder.written();
      const [summary] = await history.listRuns({ limit: 1 });
      assert.deepEqual([summary.id, summary.status, summary.counts.completed, summary.counts.failed], [run.record.id, 'failed', 2, 1]);
      const stored = await history.tasksOf(run.record.id);
      assert.deepEqual(stored.map((t) => [t.id, t.status, t.attempt_count]), run.tasks.map((t) => [t.id, t.status, t.attempt_count]));
    } finally {
      await history.close();
    }
  });

  it('refuses a tree with errors, and names an unknown task, without a run', async () => {
    const refused = await launch('tasks:\n  - id: a\n    name: A\n    schemas: { method: aggregate_results_executor }\n    dependencies: [a]\n');
    assert.equal(refused.kind, 'refused');
    if (refused.kind === 'refused') assert.deepEqual(refused.diagnostics.map((d) => d.code), ['self-dependency']);
    const unknown = await launch(TREE, { task: 'nope' });
    assert.deepEqual(unknown, { kind: 'error', message: `there is no task 'nope' in ${file}` });
  });

  it('cancels: a waiting task is cancelled with the reason, the run ends cancelled', async () => {
    const run = await ready(TREE.replace('export: ok }', 'export: wait }'));
    const done = run.start();
    run.on('task-status', (e) => e.task.id === 'c' && e.to === 'in_progress' && run.cancel('stopped by the test', 100));
    const result = await done;
    assert.equal(result.run.status, 'cancelled');
    assert.equal(result.run.error, 'stopped by the test');
    assert.deepEqual(run.tasks.map((t) => t.status), ['cancelled', 'completed', 'failed', 'cancelled']);
  });

  it('lets a run that never starts go: its worker ends', async () => {
    const run = await ready(TREE);
    let started = false;
    run.on('run-started', () => (started = true));
    await run.discard();
    assert.equal(started, false);
    assert.deepEqual(run.tasks.map((t) => t.status), ['pending', 'pending', 'pending', 'pending']);
  });

  it("passes what the run's queue has to say to the host's log, from inside the worker (a real redis-server, no worker yet)", async () => {
    // The runtime's bundle, as the extension loads it: from the sources, the worker's lazy import of the
    // queue module is Node's own ESM import, which does not resolve TypeScript folders.
    buildIfStale();
    const redis = await startRedis();
    try {
      const lines: string[] = [];
      const launched = await launchInThread({ run: request(TREE), concurrency: 1, queue: { redis: redis.url, queue: 'thread-notes', workspaceDir: dir } }, join(__dirname, '../../../dist/runtime-host.js'), (line) => lines.push(line));
      assert.equal(launched.kind, 'ready', JSON.stringify(launched));
      if (launched.kind === 'ready') await launched.run.discard();
      assert.equal(lines.length, 1, lines.join('\n'));
      assert.match(lines[0], /^no worker is connected to .*thread-notes.* yet: the tasks wait until one starts/);
    } finally {
      await redis.stop();
    }
  });
});
