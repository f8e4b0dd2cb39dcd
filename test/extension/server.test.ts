// "Run on apflow Server…" in a real VS Code (issue 15): against the stand-in for apflow 0.18.1's API
// server, with the token from VS Code's SecretStorage, live status in the run's records and lenses, the
// run recorded with the server, and a refused token that starts nothing.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../client/activate';
import type { RunEntry } from '../../client/runs';
import { startStandIn, type StandIn } from '../support/apflow-server-stand-in';
import { api, fixture, lensTitles, open, runFinished, waitFor, workspaceDir } from './helpers';

const FILE = 'remote.apflow.yaml';
const SLOW = 'remote-slow.apflow.yaml';
const TOKEN = 'editor-stand-in-token';
const TREE = `version: 1
tasks:
  - id: report
    name: Report
    schemas: { method: aggregate_results_executor }
    dependencies: [fetch]
  - id: fetch
    name: Fetch
    parent_id: report
    schemas: { method: aggregate_results_executor }
    inputs: { sleep: 1.5 }
`;

describe('runs on an apflow server from the editor (issue 15)', () => {
  let a: TestApi;
  let server: StandIn;
  const uri = () => fixture(FILE);

  before(async () => {
    a = await api();
    writeFileSync(join(workspaceDir(), FILE), TREE);
    writeFileSync(join(workspaceDir(), SLOW), TREE.replace('sleep: 1.5', 'sleep: 30'));
    server = await startStandIn({ token: TOKEN });
    await open(FILE);
  });
  after(() => server.close());

  it('starts nothing when the stored token is refused', async () => {
    assert.equal(await vscode.commands.executeCommand('apflow.setServerToken', server.url, 'wrong-token'), true);
    const before = a.runs.runs().length;
    assert.equal(await vscode.commands.executeCommand('apflow.runOnServer', uri(), server.url), undefined);
    assert.equal(a.runs.runs().length, before, 'no run was added');
    assert.ok(!server.calls.includes('tasks.create'), 'nothing was submitted');
  });

  it('runs the tree on the server with live status, and records the server and its task ids', async () => {
    assert.equal(await vscode.commands.executeCommand('apflow.setServerToken', server.url, TOKEN), true);
    let firstShown = 0;
    const sub = a.runs.onDidChangeTasks((changes) => {
      if (!firstShown && changes.some((c) => c.entry.tasks?.some((t) => t.status === 'in_progress'))) firstShown = performance.now();
    });
    const runId = (await vscode.commands.executeCommand('apflow.runOnServer', uri(), server.url)) as string;
    assert.equal(typeof runId, 'string', 'the command returns the run id');
    const entry = a.runs.get(runId) as RunEntry;
    assert.equal(entry.run.server, server.url);
    await waitFor('fetch running in the lenses', async () => (await lensTitles(uri())).some((t) => /^\$\([\w~-]+\) running$/.test(t)));
    sub.dispose();
    const emitted = server.emitted.get(`task_start:${entry.tasks?.[1].server_task_id}`) ?? 0;
    // A figure, not an assertion (the benchmark is test/bench/server-run.ts): the editor's first status after the server's event.
    console.log(`first status in the editor ${(firstShown - emitted).toFixed(0)} ms after the stand-in emitted it`);
    await runFinished(entry);
    assert.equal(entry.run.status, 'completed', entry.run.error ?? '');
    const tasks = entry.tasks ?? [];
    assert.deepEqual(tasks.map((t) => [t.id, t.status]), [['report', 'completed'], ['fetch', 'completed']]);
    for (const t of tasks) assert.equal(server.tasks.get(t.server_task_id as string)?.name, t.name);
    const lines = a.outputLines();
    assert.ok(lines.some((l) => l.includes(`${FILE} completed in`)), lines.join('\n'));
  });

  it('cancels the server run with tasks.cancel, and retries it on the same server', async () => {
    const runId = (await vscode.commands.executeCommand('apflow.runOnServer', fixture(SLOW), server.url)) as string;
    const entry = a.runs.get(runId) as RunEntry;
    await waitFor('fetch running on the server', () => entry.tasks?.[1].status === 'in_progress');
    assert.equal(await vscode.commands.executeCommand('apflow.cancelRun', runId), true);
    await runFinished(entry);
    assert.equal(entry.run.status, 'cancelled');
    assert.ok(server.calls.includes('tasks.cancel'));
    assert.equal(server.tasks.get(entry.tasks?.[1].server_task_id as string)?.status, 'cancelled', 'cancelled on the server too');

    const retryId = (await vscode.commands.executeCommand('apflow.retryRun', runId)) as string;
    const retry = a.runs.get(retryId) as RunEntry;
    assert.equal(retry.run.server, server.url, 'the retry goes to the server the run ran on');
    assert.equal(retry.run.parent_run_id, runId);
    await waitFor('the retry running on the server', () => retry.tasks?.[1].status === 'in_progress');
    await vscode.commands.executeCommand('apflow.cancelRun', retryId);
    await runFinished(retry);
  });
});
