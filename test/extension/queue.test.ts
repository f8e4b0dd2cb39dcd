// `apflow.run.redis` (issue 15): a run from the editor dispatched to a real `apflow-yaml worker` through a
// real redis-server shows the same live status — the run entry, its tasks, the lenses — and each task's
// record names the worker that ran it.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../client/activate';
import type { RunEntry } from '../../client/runs';
import { startRedis, type RedisServer } from '../fixtures/redis-server';
import { api, extension, fixture, lensTitles, open, runFinished, waitFor, workspaceDir } from './helpers';

const FILE = 'queued.apflow.yaml';
const TREE = `version: 1
tasks:
  - { id: report, name: Report, schemas: { method: aggregate_results_executor }, dependencies: [probe] }
  - { id: probe, name: Probe, parent_id: report, schemas: { method: system_info_executor }, inputs: { resource: cpu } }
`;

describe('runs over queue workers from the editor (apflow.run.redis)', function () {
  this.timeout(60000);
  let a: TestApi;
  let redis: RedisServer;
  let worker: ChildProcess;

  before(async () => {
    a = await api();
    redis = await startRedis();
    writeFileSync(join(workspaceDir(), FILE), TREE);
    // The worker is the CLI built beside the extension's bundles, in the same checkout (the workspace).
    const cli = resolve(extension().extensionPath, 'dist', 'cli.js');
    worker = spawn(process.execPath, [cli, 'worker', '--redis', redis.url, '--queue', 'editor'], { cwd: workspaceDir(), stdio: ['ignore', 'ignore', 'pipe'] });
    await new Promise<void>((done) => {
      let said = '';
      worker.stderr?.on('data', (d) => {
        said += d;
        if (said.includes('takes tasks from')) done();
      });
    });
    const config = vscode.workspace.getConfiguration('apflow');
    await config.update('run.redis', redis.url, vscode.ConfigurationTarget.Workspace);
    await config.update('run.queue', 'editor', vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    const config = vscode.workspace.getConfiguration('apflow');
    await config.update('run.redis', undefined, vscode.ConfigurationTarget.Workspace);
    await config.update('run.queue', undefined, vscode.ConfigurationTarget.Workspace);
    worker?.kill('SIGKILL');
    await redis?.stop();
    rmSync(join(workspaceDir(), FILE), { force: true });
  });

  it('runs the tree on the worker with live status in the Runs view and the lenses', async () => {
    await open(FILE);
    const runId = (await vscode.commands.executeCommand('apflow.runTree', fixture(FILE))) as string;
    assert.equal(typeof runId, 'string', 'the run started');
    const entry = a.runs.get(runId) as RunEntry;
    await runFinished(entry);
    assert.equal(entry.run.status, 'completed', entry.run.error ?? '');
    const probe = entry.tasks?.find((t) => t.id === 'probe');
    assert.match(probe?.attempts?.[0]?.worker ?? '', /^.+:\d+$/, 'the record names the worker');
    assert.equal(probe?.attempts?.[0]?.worker?.endsWith(`:${worker.pid}`), true, 'the worker process ran it');
    await waitFor('the last-run lens', async () => (await lensTitles(fixture(FILE))).some((t) => t.startsWith('last run: completed')));
  });
});
