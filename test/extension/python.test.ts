// Issue 12's "done when" in the editor: the fixture project laid out as apflow's guide recommends
// (workspace/python-project: executors/data, executors/api, executors/storage, hooks.py) runs through
// the extension's command with a real python3: live status reaches every task, each task's log lines
// reach the run's output, and the pre-hook's change of the inputs is in the history's record. Then an
// executor registered in the workspace's Python, used without a declaration, runs too.
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RunEntry } from '../../client/runs';
import { api, extension, fixture, lensTitles, open, runFinished, waitFor, workspaceDir } from './helpers';

const PIPELINE = 'python-project/pipeline.apflow.yaml';

describe('Python executors and hooks from the editor', () => {
  it('runs the guide-layout project: live status, logs per task, hooks applied', async () => {
    const a = await api();
    await open(PIPELINE);
    const uri = fixture(PIPELINE);
    await waitFor('the run lens', async () => (await lensTitles(uri)).includes('▶ Run task tree'));
    // The fixture's pre-hook holds each task while this file exists: the whole run can take less
    // than 150 ms, too short to be sure of seeing a task running.
    const hold = join(workspaceDir(), 'python-project', '.hold');
    writeFileSync(hold, '');
    let runId: string;
    let entry: RunEntry;
    try {
      runId = (await vscode.commands.executeCommand('apflow.runTree', uri)) as string;
      entry = a.runs.get(runId) as RunEntry;
      assert.ok(entry.live, 'the run is live');
      // Live: the first task is shown running while the Python host runs it.
      const during = await waitFor('a running task in the lenses', async () => {
        const titles = await lensTitles(uri);
        return titles.some((t) => /^\$\([\w~-]+\) running$/.test(t)) ? titles : undefined;
      });
      assert.ok(during.includes('■ Cancel'), during.join(' | '));
    } finally {
      rmSync(hold, { force: true });
    }
    await runFinished(entry);
    assert.equal(entry.run.status, 'completed', entry.run.error ?? '');
    assert.deepEqual(entry.tasks?.map((t) => [t.id, t.status]), [
      ['fetch', 'completed'],
      ['normalize', 'completed'],
      ['save', 'completed'],
    ]);
    const after = await waitFor('the lenses after the run', async () => {
      const titles = await lensTitles(uri);
      return titles.some((t) => t.startsWith('last run: completed')) ? titles : undefined;
    });
    assert.equal(after.filter((t) => t.startsWith('$(pass) completed')).length, 3, after.join(' | '));

    // Each Python task's print output, under its own task; the post-hook's line too.
    const lines = a.outputLines();
    for (const line of ['[fetch] fetching user 1', '[normalize] normalized ada@example.org', "[save] Save user: ['rows', 'table']"]) {
      assert.ok(lines.includes(line), `missing ${line} in:\n${lines.join('\n')}`);
    }

    // The pre-hook's inputs are what the history recorded.
    const recordUri = (await vscode.commands.executeCommand('apflow.showTaskRecord', { runId, taskId: 'fetch' })) as vscode.Uri;
    const document = await vscode.workspace.openTextDocument(recordUri);
    const record = JSON.parse(document.getText());
    assert.equal(record.task.inputs.stamped_by, 'stamp_inputs');
    assert.equal(record.task.inputs.user_id, '1');
    assert.ok(record.logs.includes('fetching user 1'), JSON.stringify(record.logs));
    assert.deepEqual(
      record.task.hooks.map((h: { list: string; hook: string }) => [h.list, h.hook]),
      [
        ['pre', 'hooks.py:stamp_inputs'],
        ['post', 'hooks.py:log_result'],
      ],
    );
    assert.deepEqual(record.task.result, { id: '1', name: 'Ada Lovelace', email: ' Ada@Example.org ' });
  });

  it('runs an executor registered in the workspace’s Python without a declaration, through apflow’s registry', async () => {
    const a = await api();
    // apflow cannot be installed where the tests run: python3 gets the stand-in of its registry
    // (test/fixtures/apflow-standin), through the environment the extension hands its runs.
    const saved = process.env.PYTHONPATH;
    process.env.PYTHONPATH = join(extension().extensionPath, 'test', 'fixtures', 'apflow-standin');
    const dir = join(workspaceDir(), 'registered-demo');
    // The tree is not beside the executor: the run finds it by reading the workspace folder, as the language server does.
    mkdirSync(join(dir, 'executors'), { recursive: true });
    mkdirSync(join(dir, 'trees'));
    writeFileSync(
      join(dir, 'executors', 'shout.py'),
      'from apflow import BaseTask, executor_register\n\n\n@executor_register()\nclass Shout(BaseTask):\n    id = "shout"\n\n    async def execute(self, inputs):\n        return {"text": inputs["text"].upper()}\n',
    );
    writeFileSync(join(dir, 'trees', 'shout.apflow.yaml'), 'tasks:\n  - id: shout\n    name: Shout\n    schemas: { method: shout }\n    inputs: { text: hello }\n');
    try {
      const runId = (await vscode.commands.executeCommand('apflow.runTree', fixture('registered-demo/trees/shout.apflow.yaml'))) as string;
      assert.equal(typeof runId, 'string', 'the run was not refused');
      const entry = await runFinished(a.runs.get(runId) as RunEntry);
      assert.equal(entry.run.status, 'completed', entry.run.error ?? '');
      assert.deepEqual(entry.tasks?.[0].result, { text: 'HELLO' });
    } finally {
      if (saved === undefined) delete process.env.PYTHONPATH;
      else process.env.PYTHONPATH = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
