// Spec 4.3: the Runs view stays responsive with 200 runs of 1,000 tasks in the history. The history is
// written here with the runtime's own history code, then the extension re-opens it; the extension host's
// event loop is sampled throughout (the database lives in a worker, so it should barely notice).
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { TestApi } from '../../client/activate';
import type { RunEntry } from '../../client/runs';
import type { RunNode } from '../../client/view';
import { LocalHistory } from '../../runtime/history/local';
import { fixedTaskJson, runRow, taskRow } from '../../runtime/history/rows';
import type { RunRecord, TaskRecord } from '../../runtime/types';
import { api, fixture, runFinished } from './helpers';

const RUNS = 200;
const TASKS = 1000;

async function seed(path: string): Promise<void> {
  const history = await LocalHistory.open({ path, mode: 'write', maxRuns: RUNS });
  const t0 = Date.now() - RUNS * 60_000;
  for (let r = 0; r < RUNS; r++) {
    const started = t0 + r * 60_000;
    const run: RunRecord = {
      id: randomUUID(), file: fixture(`seeded-${r % 10}.apflow.yaml`).fsPath, tree_hash: 'f'.repeat(64), description: null, trigger: 'run',
      parent_run_id: null, status: r % 3 === 0 ? 'failed' : 'completed', started_at: started, finished_at: started + 5000, error: null, target_task: null,
    };
    const tasks: TaskRecord[] = [];
    for (let i = 0; i < TASKS; i++) {
      const failed = run.status === 'failed' && i === 7;
      tasks.push({
        id: i === 0 ? 'root' : `t${i}`, parent_id: i === 0 ? null : 'root', user_id: null, name: `Task ${i}`, status: failed ? 'failed' : 'completed', priority: 2,
        inputs: { n: i }, schemas: { method: 'ok' }, params: null, result: failed ? null : { [`t${i}`]: 'done' }, error: failed ? 'boom\nstack' : null,
        dependencies: i > 1 ? [{ id: `t${i - 1}`, required: true }] : [], progress: 1, created_at: started, started_at: started + i, updated_at: started + i + 3,
        completed_at: started + i + 3, origin_type: 'create', original_task_id: null, has_references: false, task_tree_id: 'root', has_children: i === 0,
        max_attempts: 1, attempt_count: 1, blocked_by: null, def_hash: 'd'.repeat(32), position: i,
      });
    }
    history.apply({ runs: [runRow(run)], tasks: tasks.map((t) => taskRow(run.id, t, fixedTaskJson(t))), events: [], finished: [] });
  }
  await history.close();
}

/** Largest gap between 5 ms ticks of the extension host's event loop while `work` runs. */
async function lagDuring<T>(work: () => Promise<T>): Promise<{ value: T; maxLagMs: number }> {
  let last = performance.now();
  let maxLagMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxLagMs = Math.max(maxLagMs, now - last - 5);
    last = now;
  }, 5);
  try {
    return { value: await work(), maxLagMs };
  } finally {
    clearInterval(timer);
  }
}

describe(`a history of ${RUNS} runs of ${TASKS} tasks`, () => {
  let a: TestApi;

  before(async function () {
    this.timeout(180000);
    a = await api();
    const started = performance.now();
    await a.runs.reopen(seed);
    console.log(`    seeded ${RUNS} × ${TASKS} tasks and re-opened the history in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  });

  it('lists the runs and expands one quickly, without stalling the extension host', async () => {
    const { value: roots, maxLagMs: rootLag } = await lagDuring(async () => {
      const started = performance.now();
      const nodes = await a.view.getChildren();
      nodes.forEach((n) => a.view.getTreeItem(n));
      return { nodes, ms: performance.now() - started };
    });
    const run = roots.nodes[5] as RunNode;
    const { value: expand, maxLagMs: expandLag } = await lagDuring(async () => {
      const started = performance.now();
      const [root] = await a.view.getChildren(run);
      const children = await a.view.getChildren(root);
      children.forEach((n) => a.view.getTreeItem(n));
      return { count: children.length + 1, ms: performance.now() - started };
    });
    console.log(`    Runs view: ${roots.nodes.length} runs in ${roots.ms.toFixed(0)} ms (event-loop lag ≤ ${rootLag.toFixed(0)} ms); a run's ${expand.count} tasks in ${expand.ms.toFixed(0)} ms (lag ≤ ${expandLag.toFixed(0)} ms)`);
    assert.equal(roots.nodes.length, RUNS);
    assert.equal(expand.count, TASKS);
    assert.ok(roots.ms < 2000 && expand.ms < 2000);
    assert.ok(rootLag < 250 && expandLag < 250, 'the extension host keeps answering');
  });

  it('runs a tree and writes it into the big history without stalling the extension host', async function () {
    this.timeout(60000);
    const { value: entry, maxLagMs } = await lagDuring(async () => {
      const runId = (await vscode.commands.executeCommand('apflow.runTree', fixture('other.apflow.yml'))) as string;
      return runFinished(a.runs.get(runId) as RunEntry);
    });
    console.log(`    a run recorded into the big history: ${(entry.run.finished_at as number) - entry.run.started_at} ms, event-loop lag ≤ ${maxLagMs.toFixed(0)} ms`);
    assert.equal(entry.run.status, 'completed');
    assert.ok(a.runs.runs().length <= RUNS, 'retention keeps 200');
    assert.ok(maxLagMs < 250);
  });
});
