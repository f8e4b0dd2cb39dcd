// The pieces of a run on an apflow server that need no server (issue 15): reading apflow's event
// stream, and the submission built from a file (refusals, ids, run-task, retry).
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareServerRun } from '../../../runtime/remote/apflow-server/submission';
import { SseParser } from '../../../runtime/remote/apflow-server/sse';
import type { EarlierTask } from '../../../runtime/carry-over';
import type { RunRecord } from '../../../runtime';

const TREE = `version: 1
tasks:
  - { id: top, name: Top, schemas: { method: aggregate_results_executor }, dependencies: [pull, push] }
  - { id: pull, name: Pull, parent_id: top, schemas: { method: aggregate_results_executor }, inputs: { x: 1 } }
  - { id: push, name: Push, parent_id: top, schemas: { method: aggregate_results_executor }, dependencies: [pull] }
`;

describe('apflow server: the event stream (issue 15)', () => {
  it('reads data lines across chunk boundaries, keepalive comments and CRLF', () => {
    const parser = new SseParser();
    assert.deepEqual(parser.push('data: {"type":'), []);
    assert.deepEqual(parser.push('"task_start"}\n\n: keepalive\r\n\r\ndata: {"type":"stream_end"}'), [
      { kind: 'data', data: '{"type":"task_start"}' },
      { kind: 'comment', text: 'keepalive' },
    ]);
    assert.deepEqual(parser.end(), [{ kind: 'data', data: '{"type":"stream_end"}' }], 'a last message without its blank line still counts');
  });

  it('joins the data lines of one message and ignores fields apflow does not send', () => {
    const parser = new SseParser();
    assert.deepEqual(parser.push('event: x\nid: 3\ndata:one\ndata: two\n\n'), [{ kind: 'data', data: 'one\ntwo' }]);
  });
});

describe('apflow server: the submission (issue 15)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'apflow-server-'));
  const file = join(dir, 'tree.apflow.yaml');
  writeFileSync(join(dir, 'h.mjs'), 'export function h() {}\n');
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('gives every task a fresh UUID and rewrites parents and dependencies to them', async () => {
    const p = await prepareServerRun({ text: TREE, file });
    assert.ok(p.ok);
    const [root, a, b] = p.submission.tasks;
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const t of [root, a, b]) assert.match(String(t.id), uuid);
    assert.equal(root.parent_id, undefined);
    assert.equal(a.parent_id, root.id);
    assert.deepEqual(b.dependencies, [{ id: a.id, required: true }]);
    assert.equal(p.submission.executeId, root.id);
    assert.deepEqual(p.submission.serverIds, [root.id, a.id, b.id]);
    const again = await prepareServerRun({ text: TREE, file });
    assert.ok(again.ok && again.submission.tasks[0].id !== root.id, 'a second run never reuses an id the server holds');
  });

  it('submits the whole tree for a run-task run and executes the task asked for', async () => {
    const p = await prepareServerRun({ text: TREE, file, task: 'push' });
    assert.ok(p.ok);
    assert.equal(p.submission.tasks.length, 3);
    assert.deepEqual(p.plan.tasks.map((t) => t.id), ['pull', 'push']);
    assert.equal(p.submission.executeId, p.submission.tasks[2].id);
  });

  it('refuses hooks and a file for apflow 0.20, before anything is submitted', async () => {
    const hooks = await prepareServerRun({ text: TREE.replace('version: 1\n', 'version: 1\nhooks:\n  pre:\n    - { module: ./h.mjs, export: h }\n'), file });
    assert.ok(!hooks.ok);
    assert.ok(hooks.diagnostics.some((d) => d.code === 'server-unsupported' && /`hooks:`, which an apflow server never calls/.test(d.message)), JSON.stringify(hooks.diagnostics));
    const v20 = await prepareServerRun({ text: TREE, file, target: '0.20' });
    assert.ok(!v20.ok);
    assert.match(v20.diagnostics[0].message, /the file is for apflow 0\.20, whose server cannot execute a task/);
  });

  it('refuses a retry whose remaining tasks would form several trees, and says what to do', async () => {
    const run = { id: 'r1', target_task: null } as RunRecord;
    const done = (id: string, name: string, status: EarlierTask['status'], defHash: string): EarlierTask & { name: string } => ({
      id, name, status, def_hash: defHash, inputs: {}, result: { ok: id }, started_at: 1, completed_at: 2, attempt_count: 1,
    });
    const first = await prepareServerRun({ text: TREE, file });
    assert.ok(first.ok);
    const hash = (i: number) => first.plan.tasks[i].defHash;
    // The root has no dependencies and completed, both children failed: two trees are left.
    const earlier = [done('top', 'Top', 'completed', hash(0)), done('pull', 'Pull', 'failed', hash(1)), done('push', 'Push', 'failed', hash(2))];
    const flat = TREE.replace(', dependencies: [pull, push]', '').replace(', dependencies: [pull]', '');
    const flatPlan = await prepareServerRun({ text: flat, file });
    assert.ok(flatPlan.ok);
    earlier[0].def_hash = flatPlan.plan.tasks[0].defHash;
    const p = await prepareServerRun({ text: flat, file, retryOf: { run, tasks: earlier } });
    assert.ok(!p.ok);
    assert.match(p.diagnostics[0].message, /the retry would submit 2 separate trees \('pull', 'push'\), since the tasks above them completed and are carried over; an apflow server takes one tree with one root: run the tree again with --server instead/);
  });
});
