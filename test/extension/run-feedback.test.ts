// Figures of a 5,000-task run in the real extension host (issue 13): from the command to the first
// feedback, how often the views hear about the run, whether the status bar, the Runs view and the toast
// agree, and the extension host's event-loop delay meanwhile. Figures are printed, not asserted; what is
// asserted is behaviour: feedback before the run's tasks exist, and one counter everywhere.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { TestApi } from '../../client/activate';
import type { PreparingNode, RunNode } from '../../client/view';
import { api, chainTree, fixture, lensTitles, open, waitFor, workspaceDir } from './helpers';

const N = 5001;
const FILE = 'huge.apflow.yaml';

interface Sample {
  at: number;
  status: string | undefined;
  view: string | undefined;
}

describe(`feedback of a ${N}-task run`, () => {
  let a: TestApi;

  before(async () => {
    a = await api();
    writeFileSync(join(workspaceDir(), FILE), chainTree(N, `${N} tasks`));
  });

  it('says something at once and counts with one counter', async function () {
    this.timeout(180000);
    const uri = fixture(FILE);
    await open(FILE);
    const samples: Sample[] = [];
    const viewText = async (): Promise<string | undefined> => {
      const top = (await a.view.getChildren())[0] as RunNode | PreparingNode | undefined;
      if (!top || (top.kind === 'run' ? top.entry.run.file : top.preparation.file) !== uri.fsPath) return undefined;
      const item = a.view.getTreeItem(top);
      return typeof item.description === 'string' ? item.description : undefined;
    };
    let updates = 0;
    const sub = a.runs.onDidChangeRuns(() => updates++);
    // What every surface says the moment the preparation begins (before the runtime loads and the tree is parsed).
    let preparing: { status?: string; lenses: string[]; top?: string } | undefined;
    let preparedAt = Number.NaN;
    const document = (await open(FILE)).document;
    const prep = a.runs.onDidChangePreparation((p) => {
      if (p.outcome !== undefined || preparing) return;
      preparedAt = performance.now() - started;
      preparing = { status: a.progress.statusText, lenses: a.lenses.provideCodeLenses(document).map((l) => l.command?.title ?? '') };
      void a.view.getChildren().then(([top]) => preparing && (preparing.top = top && String(a.view.getTreeItem(top).description)));
    });
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    let started = performance.now();
    const sampler = setInterval(() => {
      void viewText().then((view) => samples.push({ at: performance.now() - started, status: a.progress.statusText, view }));
    }, 20);
    started = performance.now();
    // The language server's lens answers, and when the run ended and the status bar let go of it.
    const serverAnswers: { requestedAt: number; at: number }[] = [];
    const answers = a.lensRounds.onDidAnswer((x) => x.file === uri.fsPath && x.from === 'server' && serverAnswers.push({ requestedAt: x.requestedAt, at: performance.now() }));
    let endedAt = Number.NaN;
    const ends = a.runs.onDidFinishRun(() => (endedAt = performance.now()));
    const runId = (await vscode.commands.executeCommand('apflow.runTree', uri)) as string;
    const entry = a.runs.get(runId);
    assert.ok(entry, 'the run started');
    const runStarted = performance.now() - started;
    await waitFor('the run to finish', () => entry.live === null, 170000, 50);
    const finished = performance.now() - started;
    await waitFor('the status-bar item to go', () => a.progress.statusText === undefined, 15000, 5);
    const statusGoneAt = performance.now();
    answers.dispose();
    ends.dispose();
    clearInterval(sampler);
    lag.disable();
    sub.dispose();
    prep.dispose();

    const first = samples.find((s) => s.status !== undefined || s.view !== undefined);
    const during = samples.filter((s) => s.at > runStarted && s.at < finished && s.status !== undefined);
    const counter = (text: string | undefined) => /(\d+)\/(\d+)/.exec(text ?? '')?.[1];
    // Samples taken while both show a counter (at the very end the Runs view already says "completed").
    const disagree = during.filter((s) => counter(s.view) !== undefined && counter(s.status) !== counter(s.view)).length;
    const runSeconds = (finished - runStarted) / 1000;
    console.log(
      `    ${N}-task run: every surface told after ${preparedAt.toFixed(0)} ms; a sample first saw feedback after ${first ? first.at.toFixed(0) : '—'} ms (status bar: ${JSON.stringify(first?.status)}, Runs view: ${JSON.stringify(first?.view)}); ` +
        `the run's tasks existed after ${runStarted.toFixed(0)} ms; the run took ${(runSeconds * 1000).toFixed(0)} ms more`,
    );
    console.log(
      `    views told ${updates} times (${(updates / runSeconds).toFixed(1)}/s); status bar and Runs view disagreed in ${disagree} of ${during.length} samples; ` +
        `event-loop delay max ${(lag.max / 1e6).toFixed(0)} ms, p99 ${(lag.percentile(99) / 1e6).toFixed(0)} ms, mean ${(lag.mean / 1e6).toFixed(1)} ms`,
    );
    assert.equal(entry.run.status, 'completed');
    assert.ok(first, 'some surface showed the run');
    assert.ok(preparedAt < runStarted, 'feedback came before the run was prepared');
    assert.deepEqual(preparing, { status: `$(sync~spin) apflow: preparing ${FILE}`, lenses: ['■ Cancel', 'preparing…'], top: 'preparing…' });
    assert.equal(disagree, 0);
    // The status bar kept the outcome until the window had every lens of a request made after the end
    // (VS Code draws a file's lenses together, so "last run" is on screen then)…
    const afterEnd = serverAnswers.filter((x) => x.requestedAt >= endedAt);
    assert.ok(afterEnd.length > 0 && afterEnd[0].at <= statusGoneAt, `server lens answers ${JSON.stringify(serverAnswers)}, run ended ${endedAt}, status bar gone ${statusGoneAt}`);
    // …and the server's status lens on every task, which a tree this big gets only after the run, follows.
    const titles = await waitFor('the task status lenses', async () => {
      const all = await lensTitles(uri);
      return all.filter((t) => t.startsWith('$(pass) completed')).length === N ? all : undefined;
      // Each poll converts some 5,000 lenses in the extension host: not too often.
    }, 30000, 500);
    assert.ok(titles.some((t) => t.startsWith('last run: completed')), titles.slice(0, 5).join(' | '));
    // A big run opens collapsed in the Runs view; its group says how its tasks fared.
    const runNode = a.view.runNode(entry);
    assert.equal(a.view.getTreeItem(runNode).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    const [root] = await a.view.getChildren(runNode);
    const rootItem = a.view.getTreeItem(root);
    assert.equal(rootItem.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.match(String(rootItem.description), new RegExp(`· ${N - 1} tasks: ✓ ${N - 1}$`));
  });

  it('cancels a run while it is being prepared, and starts none', async function () {
    this.timeout(60000);
    const uri = fixture(FILE);
    const before = a.runs.runs().length;
    // Cancelled from the lens's command the moment the preparation shows (the tree is parsed meanwhile).
    let cancelled: Thenable<unknown> | undefined;
    const sub = a.runs.onDidChangePreparation((p) => {
      if (p.outcome === undefined) cancelled ??= vscode.commands.executeCommand('apflow.cancelRun', uri);
    });
    const started = await vscode.commands.executeCommand('apflow.runTree', uri);
    sub.dispose();
    assert.equal(await cancelled, true);
    assert.equal(started, undefined);
    assert.equal(a.runs.runs().length, before);
    assert.equal(a.runs.preparing().length, 0);
    await waitFor('the status-bar item to go', () => a.progress.statusText === undefined || !a.progress.statusText.includes('preparing'));
  });
});
