// Settings apply without a reload: concurrency (read when a run starts), retention (the history is
// re-opened and pruned), the per-task lens limit (read by the language server) and the trace level
// (followed by the language client).
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../client/activate';
import type { RunEntry } from '../../client/runs';
import { api, fixture, lenses, open, runFinished, waitFor, workspaceDir } from './helpers';

const PARALLEL = [
  'version: 1',
  'executors:',
  '  ok: { module: ./exec.mjs, export: ok }',
  'tasks:',
  '  - id: all',
  '    name: All',
  '    schemas: { method: aggregate_results_executor }',
  '    dependencies: [a, b, c]',
  ...['a', 'b', 'c'].flatMap((id) => [`  - id: ${id}`, `    name: Task ${id}`, '    parent_id: all', '    schemas: { method: ok }', '    inputs: { sleep_ms: 300 }']),
  '',
].join('\n');

describe('settings', () => {
  let a: TestApi;
  const config = () => vscode.workspace.getConfiguration('apflow');

  before(async () => {
    a = await api();
    writeFileSync(join(workspaceDir(), 'parallel.apflow.yaml'), PARALLEL);
  });

  after(async () => {
    for (const key of ['run.concurrency', 'history.maxRuns', 'codeLens.perTaskLimit', 'trace.server']) await config().update(key, undefined, vscode.ConfigurationTarget.Workspace);
  });

  async function maxParallel(): Promise<number> {
    const runId = (await vscode.commands.executeCommand('apflow.runTree', fixture('parallel.apflow.yaml'))) as string;
    const entry = await runFinished(a.runs.get(runId) as RunEntry);
    assert.equal(entry.run.status, 'completed');
    const spans = (entry.tasks ?? []).filter((t) => t.id !== 'all').map((t) => [t.started_at as number, t.completed_at as number]);
    return Math.max(...spans.map(([s]) => spans.filter(([s2, e2]) => s2 <= s && s < e2).length));
  }

  it('apflow.run.concurrency applies to the next run', async () => {
    await config().update('run.concurrency', 1, vscode.ConfigurationTarget.Workspace);
    assert.equal(await maxParallel(), 1);
    await config().update('run.concurrency', 3, vscode.ConfigurationTarget.Workspace);
    assert.equal(await maxParallel(), 3);
  });

  it('apflow.history.maxRuns prunes the history', async () => {
    assert.ok(a.runs.runs().length > 2);
    await config().update('history.maxRuns', 2, vscode.ConfigurationTarget.Workspace);
    await waitFor('the history to be pruned to 2 runs', () => a.runs.isLoaded && a.runs.runs().length === 2);
    await maxParallel();
    assert.equal(a.runs.runs().length, 2);
    await config().update('history.maxRuns', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('apflow.codeLens.perTaskLimit leaves only the newest run’s status above each task of a larger file', async () => {
    const uri = fixture('parallel.apflow.yaml');
    await open('parallel.apflow.yaml');
    const kinds = async () => {
      const all = await lenses(uri);
      const count = (test: (l: vscode.CodeLens) => boolean) => all.filter(test).length;
      return {
        tree: count((l) => l.command?.title === '▶ Run task tree'),
        run: count((l) => l.command?.title === '▶ Run task'),
        status: count((l) => l.command?.title.startsWith('$(pass) completed') === true),
        dependencies: count((l) => l.command?.command === 'apflow.showReferences'),
      };
    };
    const all = { tree: 1, run: 4, status: 4, dependencies: 4 };
    await waitFor('every lens of the 4 tasks', async () => JSON.stringify(await kinds()) === JSON.stringify(all));
    await config().update('codeLens.perTaskLimit', 3, vscode.ConfigurationTarget.Workspace);
    await waitFor('only the status lenses above the tasks', async () => JSON.stringify(await kinds()) === JSON.stringify({ ...all, run: 0, dependencies: 0 }));
    await config().update('codeLens.perTaskLimit', undefined, vscode.ConfigurationTarget.Workspace);
    await waitFor('every lens again', async () => JSON.stringify(await kinds()) === JSON.stringify(all));
  });

  it('apflow.trace.server is followed by the language client', async () => {
    await config().update('trace.server', 'verbose', vscode.ConfigurationTarget.Workspace);
    // The client's trace level (vscode-languageserver-protocol's Trace: Off 0, Messages 1, Compact 2, Verbose 3).
    const trace = () => (a.client as unknown as { _trace: number })._trace;
    await waitFor('the client trace to be verbose', () => trace() === 3);
    await config().update('trace.server', 'messages', vscode.ConfigurationTarget.Workspace);
    await waitFor('the client trace to be messages', () => trace() === 1);
    await config().update('trace.server', 'off', vscode.ConfigurationTarget.Workspace);
    await waitFor('the client trace to be off', () => trace() === 0);
  });
});
