// The graph view in the extension host: the panel opens for a tree and draws it (its webview reports
// the paint), one panel per file, and during a 2,001-task run it receives status batches at the
// RunService's pace while the extension host stays responsive. Figures are printed, not asserted.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../client/activate';
import type { RunEntry } from '../../client/runs';
import { api, fixture, open, runFinished, waitFor, workspaceDir } from './helpers';

const GROUPS = 40;
const MEMBERS = 49;
/** The root, its groups and their members. */
const N = 1 + GROUPS * (1 + MEMBERS);

/** A root over the groups; each member waits for the one before it in its group. */
function groupedTree(): string {
  const lines = ['version: 1', 'executors:', '  ok: { module: ./exec.mjs, export: ok }', 'tasks:', '  - id: root', '    name: Root', '    schemas: { method: aggregate_results_executor }'];
  for (let g = 0; g < GROUPS; g++) {
    lines.push(`  - id: g${g}`, `    name: Group ${g}`, '    parent_id: root', '    schemas: { method: aggregate_results_executor }');
    for (let m = 0; m < MEMBERS; m++) {
      lines.push(`  - id: g${g}m${m}`, `    name: Member ${m} of group ${g}`, `    parent_id: g${g}`, '    schemas: { method: ok }', ...(m > 0 ? [`    dependencies: [g${g}m${m - 1}]`] : []));
    }
  }
  return `${lines.join('\n')}\n`;
}

describe('the graph view', () => {
  let a: TestApi;

  before(async () => {
    a = await api();
    writeFileSync(join(workspaceDir(), 'grouped.apflow.yaml'), groupedTree());
  });

  it('opens one panel per file, draws it, and follows a run without stalling the extension host', async function () {
    this.timeout(120000);
    const uri = fixture('grouped.apflow.yaml');
    await open('grouped.apflow.yaml');
    const panel = (await vscode.commands.executeCommand('apflow.showGraph', uri)) as ReturnType<TestApi['graphs']['show']>;
    assert.equal(a.graphs.panelFor(uri), panel);
    assert.equal(await vscode.commands.executeCommand('apflow.showGraph', uri), panel, 'asking again brings back the same panel');
    const paint = await waitFor('the webview to draw the graph', () => panel.lastPaint ?? undefined, 60000);
    // The root's 2,000 tasks start in one closed box.
    assert.equal(paint.nodes, 1);
    console.log(`      graph of ${N} tasks: request → first paint ${paint.sinceRequestMs.toFixed(0)} ms (layout ${paint.layoutMs.toFixed(0)} ms)`);

    const runId = (await vscode.commands.executeCommand('apflow.runTree', uri)) as string | undefined;
    assert.ok(runId, `the run did not start: ${a.outputLines().slice(-5).join(' | ')}`);
    // From here the run goes on: the extension host's event-loop lag (how late a 10 ms timer fires)
    // while the graph follows it. (Starting the run — its pre-flight — is the runtime's, not measured here.)
    let lag = 0;
    let last = performance.now();
    const probe = setInterval(() => {
      const now = performance.now();
      lag = Math.max(lag, now - last - 10);
      last = now;
    }, 10);
    const before = { ...panel.sent };
    const started = performance.now();
    const entry = await runFinished(a.runs.get(runId) as RunEntry, 100000);
    await waitFor('the last status batch', () => panel.sent.lastAt > 0 && performance.now() - panel.sent.lastAt > 300, 5000);
    clearInterval(probe);
    assert.equal(entry.run.status, 'completed');
    const messages = panel.sent.status - before.status;
    const seconds = (panel.sent.lastAt - started) / 1000;
    // Every task's change reached the panel: at least one entry per task (a reset batch, or the changes).
    assert.ok(panel.sent.entries - before.entries >= N, `${panel.sent.entries - before.entries} entries for ${N} tasks`);
    assert.ok(messages >= 2, `${messages} status messages`);
    console.log(
      `      a ${N}-task run of ${((entry.run.finished_at as number) - entry.run.started_at).toFixed(0)} ms: ${messages} status messages over ${seconds.toFixed(1)} s ` +
        `(${(messages / Math.max(seconds, 0.001)).toFixed(1)}/s), ${panel.sent.entries - before.entries} task entries; extension host lag at most ${lag.toFixed(0)} ms (${loadavg()[0].toFixed(1)} load average)`,
    );
    panel.panel.dispose();
    assert.equal(a.graphs.panelFor(uri), undefined, 'a closed panel is forgotten');
  });
});
