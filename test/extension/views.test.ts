// The Runs view around the runs of the previous suite: live item-by-item updates, and the welcome
// view once the history is cleared (tested last in views since it empties the history).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../client/activate';
import type { RunEntry } from '../../client/runs';
import { REFRESH_GAP_MS, VSCODE_TREE_DEBOUNCE_MS, type RunNode, type TaskNode } from '../../client/view';
import { api, fixture, runFinished } from './helpers';

describe('Runs view', () => {
  let a: TestApi;

  before(async () => {
    a = await api();
  });

  it('updates the items of a live run one by one, not by refreshing the whole view, with pauses VS Code lets through', async () => {
    const changed: unknown[] = [];
    const at: number[] = [];
    const sub = a.view.onDidChangeTreeData((e) => {
      changed.push(e);
      at.push(performance.now());
    });
    const runId = (await vscode.commands.executeCommand('apflow.runTree', fixture('flow.apflow.yaml'))) as string;
    const entry = a.runs.get(runId) as RunEntry;
    const runNode = (await a.view.getChildren()).find((n) => n.kind === 'run' && n.entry === entry) as RunNode;
    // As VS Code asks: the run's item (a small run opens expanded), its children, theirs.
    a.view.getTreeItem(runNode);
    const [report] = (await a.view.getChildren(runNode)) as TaskNode[];
    a.view.getTreeItem(report);
    await a.view.getChildren(report);
    await runFinished(entry);
    await new Promise((r) => setTimeout(r, REFRESH_GAP_MS + 200));
    sub.dispose();
    const whole = changed.filter((e) => e === undefined).length;
    const items = changed.filter((e) => Array.isArray(e)).flat() as unknown[];
    assert.ok(whole <= 2, `whole-view refreshes during a run: ${whole} (only its preparation's and the new run's arrival)`);
    assert.ok(items.includes(runNode), 'the run item was refreshed');
    assert.ok(items.some((n) => (n as TaskNode).kind === 'task'), 'task items were refreshed');
    // VS Code redraws a view only after a 200 ms pause in its change events: closer ones would hold
    // every redraw back until the run ends. (A timer never fires early, so this cannot fail by load.)
    const gaps = at.slice(1).map((t, i) => t - at[i]);
    assert.ok(gaps.length > 0 && gaps.every((g) => g > VSCODE_TREE_DEBOUNCE_MS), `gaps between change events: ${gaps.map((g) => g.toFixed(0)).join(', ')} ms`);
  });

  it('reveals a run (what the status bar item and the summary lens do)', async () => {
    await vscode.commands.executeCommand('apflow.showRun', a.runs.runs()[0].run.id);
    assert.equal(a.treeView.visible, true);
    assert.equal((a.treeView.selection[0] as RunNode | undefined)?.entry, a.runs.runs()[0]);
  });

  it('shows the welcome view when the history is empty (Clear Run History)', async () => {
    const cleared = (await vscode.commands.executeCommand('apflow.clearHistory', { confirm: false })) as number;
    assert.ok(cleared > 0);
    assert.deepEqual(await a.view.getChildren(), []);
  });
});
