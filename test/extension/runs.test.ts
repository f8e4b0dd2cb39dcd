// Running from the editor: lenses before, during and after a run, the run's tasks in the Runs view's
// tree data, run diagnostics, retry carrying completed tasks over, run task, cancel, records, export.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../client/activate';
import type { RunEntry } from '../../client/runs';
import type { RunNode, RunsNode, TaskNode } from '../../client/view';
import { api, click, fixture, lensNamed, lensTitles, open, runFinished, runLenses, waitFor } from './helpers';

const FLOW = 'flow.apflow.yaml';

describe('runs from the editor', () => {
  let a: TestApi;
  const uri = () => fixture(FLOW);
  let first: RunEntry;
  let retry: RunEntry;

  before(async () => {
    a = await api();
    await open(FLOW);
  });

  it('runs the tree from the ▶ Run task tree lens, with live lenses and status bar', async () => {
    const lens = await waitFor('▶ Run task tree', () => lensNamed(uri(), '▶ Run task tree'));
    const fullBefore = a.view.stats.fullRefreshes;
    const runId = (await click(lens)) as string;
    assert.equal(typeof runId, 'string', 'the command returns the run id');
    first = a.runs.get(runId) as RunEntry;
    assert.ok(first.live, 'the run is live');
    // During: ■ Cancel and `running · n/4`, fetch `… running`, the status bar counts.
    const during = await waitFor('the running lenses', async () => {
      const titles = await lensTitles(uri());
      return titles.includes('■ Cancel') && titles.includes('$(sync~spin) running') ? titles : undefined;
    });
    assert.ok(during.some((t) => /^running · \d\/4$/.test(t)), during.join(' | '));
    assert.ok(!during.includes('▶ Run task tree'));
    assert.match(a.progress.statusText ?? '', /^\$\(sync~spin\) apflow: \d\/4$/);
    await runFinished(first);
    assert.equal(first.run.status, 'failed');
    // The status-bar item keeps the outcome until the lens above the tree shows it, then goes.
    await waitFor('the lens above the tree to show the outcome', async () => (await lensTitles(uri())).some((t) => t.startsWith('last run: failed')));
    await waitFor('the status-bar item to go', () => a.progress.statusText === undefined);
    // The view was told about the new run once, and about its items one by one.
    assert.ok(a.view.stats.fullRefreshes - fullBefore <= 3, `full refreshes: ${a.view.stats.fullRefreshes - fullBefore}`);
    // The output channel: run start and finish, and the task's own log line prefixed with its id.
    const tag = first.run.id.slice(0, 8);
    const lines = a.outputLines();
    assert.ok(lines.includes(`[${tag}] ▶ run of ${FLOW} started: 4 tasks`), lines.join('\n'));
    assert.ok(lines.includes('[fetch] fetched 3 rows'));
    assert.ok(lines.includes('[parse] first attempt: failing on purpose'));
    assert.ok(lines.some((l) => l.startsWith(`[${tag}] ■ ${FLOW} failed in `) && l.includes('1 completed, 1 failed, 2 blocked (of 4)')), lines.join('\n'));
  });

  it('shows the outcome in the lenses', async () => {
    const lenses = await waitFor('the lenses after the run', async () => {
      const all = await runLenses(uri());
      return all.some((l) => l.command?.title.startsWith('last run:')) ? all : undefined;
    });
    const at = (line: number) => lenses.filter((l) => l.range.start.line === line).map((l) => l.command?.title);
    assert.deepEqual(at(0).slice(0, 2), ['▶ Run task tree', '↻ Retry failed (3)']);
    assert.match(at(0)[2] ?? '', /^last run: failed · 1\/4 completed · \d+(\.\d)? (s|ms)$/);
    assert.deepEqual(at(10), ['▶ Run task', '$(circle-slash) blocked by parse']);
    assert.equal(at(14)[0], '▶ Run task');
    assert.match(at(14)[1] ?? '', /^\$\(pass\) completed 1\.\d s$/);
    assert.deepEqual(at(19), ['▶ Run task', '$(error) failed: upstream returned 503 for parse']);
    assert.deepEqual(at(24), ['▶ Run task', '$(circle-slash) blocked by parse']);
  });

  it('says that the run failed, with what to do next, and reveals the failed task', async () => {
    const shown = await waitFor('the failure notification', () => (a.outcomes.last?.runId === first.run.id ? a.outcomes.last : undefined));
    assert.deepEqual(shown.actions, ['Show failed task', 'Open run', 'Retry failed']);
    assert.equal(shown.message, `apflow: ${FLOW} failed — parse: upstream returned 503 for parse (1 failed, 2 blocked of 4 tasks)`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await shown.act('Show failed task');
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.fsPath, uri().fsPath);
    assert.equal(editor?.selection.start.line, 20, 'on parse');
  });

  it('marks each task in the editor with its status, in colour', async () => {
    await open(FLOW);
    const shown = await waitFor('the status decorations', () => a.decorations.shown.get(uri().fsPath)?.failed === 1 && a.decorations.shown.get(uri().fsPath));
    assert.deepEqual(shown, { completed: 1, failed: 1, blocked: 2 });
  });

  it("lists the run and its tasks (following parent_id) in the Runs view's tree data", async () => {
    const roots = await a.view.getChildren();
    const runNode = roots[0] as RunNode;
    assert.equal(runNode.kind, 'run');
    assert.equal(runNode.entry, first);
    const runItem = a.view.getTreeItem(runNode);
    assert.equal(runItem.label, FLOW);
    assert.match(String(runItem.description), /^#1 · failed · \d+(\.\d)? (s|ms) · (just now|\d+ s ago)$/);
    assert.equal((runItem.iconPath as vscode.ThemeIcon).id, 'testing-failed-icon');
    assert.equal(runItem.contextValue, 'run.failed');
    assert.match(String(runItem.tooltip), /trigger: run/);
    assert.match(String(runItem.tooltip), /tasks: 1 completed, 1 failed, 2 blocked \(of 4\)/);

    const top = (await a.view.getChildren(runNode)) as TaskNode[];
    assert.deepEqual(top.map((n) => label(a, n)), ['report — Build report']);
    const children = (await a.view.getChildren(top[0])) as TaskNode[];
    assert.deepEqual(children.map((n) => label(a, n)), ['fetch — Fetch data', 'parse — Parse data', 'publish — Publish']);
    const items = [top[0], ...children].map((n) => a.view.getTreeItem(n));
    assert.deepEqual(items.map((i) => (i.iconPath as vscode.ThemeIcon).id), ['testing-skipped-icon', 'testing-passed-icon', 'testing-failed-icon', 'testing-skipped-icon']);
    assert.deepEqual(items.map((i) => i.contextValue), ['task.blocked', 'task.completed', 'task.failed', 'task.blocked']);
    assert.equal(items[2].description, 'upstream returned 503 for parse');
    assert.equal(items[3].description, 'blocked by parse');
    assert.match(String(items[2].tooltip), /\(the fixture fails the first run and passes the next\)/, 'the full error');
    assert.match(String(items[2].tooltip), /attempts: 1 of 1/);
    assert.match(String(items[3].tooltip), /^publish — Publish\nblocked by parse\n/, 'the tooltip starts with the whole status');
    // A group says how the tasks under it fared.
    assert.equal(items[0].description, `blocked by ${first.tasks?.[0].blocked_by} · 3 tasks: ✓ 1 · ✗ 1 · ⊘ 1`);
    assert.deepEqual([items[1].command?.command, ...(items[1].command?.arguments ?? [])], ['apflow.openRun', first.run.id, 'fetch'], 'a click opens the run page on the task');
    assert.equal(a.view.getParent(children[0]), top[0]);
    assert.equal(a.view.getParent(top[0]), runNode);
  });

  it('puts run diagnostics on the failed and blocked tasks, and drops one when its task is edited', async () => {
    const runDiagnostics = () => vscode.languages.getDiagnostics(uri()).filter((d) => d.source === 'apflow-run');
    const diagnostics = await waitFor('run diagnostics', () => (runDiagnostics().length === 3 ? runDiagnostics() : undefined));
    const parse = diagnostics.find((d) => d.severity === vscode.DiagnosticSeverity.Error);
    assert.ok(parse);
    assert.equal(parse.message, 'upstream returned 503 for parse');
    assert.deepEqual([parse.range.start.line, parse.range.start.character, parse.range.end.line, parse.range.end.character], [19, 4, 19, 13], 'on the task item (its first line), not a key');
    const infos = diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Information);
    assert.deepEqual(infos.map((d) => d.range.start.line).sort((x, y) => x - y), [10, 24]);
    for (const d of infos) assert.match(d.message, /blocked by 'parse'/);

    // An edit elsewhere moves the diagnostics along; an edit to `parse` removes its own.
    const editor = await open(FLOW);
    await editor.edit((e) => e.insert(new vscode.Position(22, 0), '    priority: 1\n'));
    await waitFor('the diagnostic of the edited task to go', () => runDiagnostics().length === 2);
    const left = runDiagnostics();
    assert.deepEqual(left.map((d) => d.range.start.line).sort((x, y) => x - y), [10, 25], 'publish moved down one line');
  });

  it('retries from the ↻ Retry failed lens: completed tasks are carried over, the rest runs from the buffer', async () => {
    const lens = await waitFor('↻ Retry failed', () => lensNamed(uri(), /^↻ Retry failed/));
    const runId = (await click(lens)) as string;
    retry = a.runs.get(runId) as RunEntry;
    assert.equal(vscode.languages.getDiagnostics(uri()).filter((d) => d.source === 'apflow-run').length, 0, 'run diagnostics cleared when the next run starts');
    await runFinished(retry);
    assert.equal(retry.run.status, 'completed');
    assert.equal(retry.run.trigger, 'retry');
    assert.equal(retry.run.parent_run_id, first.run.id);
    const tasks = retry.tasks ?? [];
    const fetch = tasks.find((t) => t.id === 'fetch');
    assert.equal(fetch?.origin_type, 'link', 'fetch completed before and is unchanged: carried over');
    assert.equal(tasks.find((t) => t.id === 'parse')?.priority, 1, 'the unsaved edit is part of the run');
    assert.ok(tasks.filter((t) => t.id !== 'fetch').every((t) => t.origin_type === 'create' && t.status === 'completed'));
    const titles = await waitFor('the completed summary lens', async () => {
      const t = await lensTitles(uri());
      return t.some((x) => x.startsWith('last run: completed')) ? t : undefined;
    });
    assert.ok(titles.some((t) => /^last run: completed · 4\/4 completed · /.test(t)), titles.join(' | '));
    assert.ok(!titles.some((t) => t.startsWith('↻')), 'no retry after a completed run');
    assert.ok(titles.some((t) => /^\$\(pass\) completed 1\.\d s \(reused\)$/.test(t)), titles.join(' | '));
    assert.equal(a.runs.runs()[0], retry, 'newest first');
    // In the Runs view: numbered, and linked to the run it retried.
    const retryNode = a.view.runNode(retry);
    assert.match(String(a.view.getTreeItem(retryNode).description), /^#2 · completed · .* · ↻ retry of #1$/);
    const [link] = await a.view.getChildren(retryNode);
    const linkItem = a.view.getTreeItem(link);
    assert.equal(linkItem.label, '↻ retry of #1');
    assert.deepEqual(linkItem.command?.arguments, [first.run.id]);
  });

  it("tells the language server the newest run's outcome, for hovers on references", async () => {
    // `dependencies: [fetch, parse, publish]` of report: hover on `parse`.
    const text = await waitFor('a hover with the last run', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri(), new vscode.Position(13, 27));
      const all = (hovers ?? []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      return /Last run: completed/.test(all) ? all : undefined;
    });
    assert.match(text, /Last run: completed · \d+ ms/);
  });

  it('opens a task record as a read-only JSON document', async () => {
    const uriOf = (await vscode.commands.executeCommand('apflow.showTaskRecord', { runId: first.run.id, taskId: 'fetch' })) as vscode.Uri;
    assert.equal(uriOf.scheme, 'apflow-run');
    const document = vscode.window.activeTextEditor?.document;
    assert.equal(document?.uri.toString(), uriOf.toString());
    assert.equal(document?.languageId, 'json');
    const record = JSON.parse(document?.getText() ?? '{}');
    assert.equal(record.task.status, 'completed');
    assert.deepEqual(record.task.inputs, { log: 'fetched 3 rows', sleep_ms: 1500 });
    assert.deepEqual(record.task.result, { fetch: 'done' });
    assert.deepEqual(record.logs, ['fetched 3 rows']);
    assert.deepEqual(record.events.filter((e: { kind: string }) => e.kind === 'status').map((e: { to: string }) => e.to), ['in_progress', 'completed']);
    assert.equal(record.run.id, first.run.id);
    assert.match(record.task.started_at, /^\d{4}-\d\d-\d\dT/);
    // parse's inputs as the run merged them: its own apart from fetch's result.
    const parseUri = (await vscode.commands.executeCommand('apflow.showTaskRecord', { runId: first.run.id, taskId: 'parse' })) as vscode.Uri;
    const parse = JSON.parse((await vscode.workspace.openTextDocument(parseUri)).getText());
    assert.deepEqual([parse.task.inputs, parse.task.upstream_results, parse.task.inputs_note], [{}, { fetch: { fetch: 'done' } }, undefined]);
  });

  it('opens one run page per run, from a run id or a task, and refuses a task the run does not have', async () => {
    assert.equal(await vscode.commands.executeCommand('apflow.openRun', first.run.id, 'parse'), first.run.id);
    await vscode.commands.executeCommand('apflow.showTaskLog', { runId: first.run.id, taskId: 'fetch' });
    assert.deepEqual(a.pages.openRuns, [first.run.id], 'the second command brought the same page forward');
    const label = `${FLOW} · run ${first.run.id.slice(0, 8)} · failed`;
    const pages = await waitFor('the run page tab', () => {
      const found = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label === label);
      return found.length > 0 ? found : undefined;
    });
    assert.equal(pages.length, 1, 'one tab for the run');
    const page = pages[0];
    await assert.rejects(Promise.resolve(a.pages.open(first.run.id, 'no-such-task')), /has no task 'no-such-task'/);
    if (page) await vscode.window.tabGroups.close(page);
  });

  it('reveals a task of a run in its file', async () => {
    await vscode.commands.executeCommand('apflow.revealTask', { runId: first.run.id, taskId: 'parse' });
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.fsPath, uri().fsPath);
    assert.equal(editor?.selection.start.line, 20);
  });

  it('runs one task with its dependencies (▶ Run task)', async () => {
    const lenses = await runLenses(uri());
    const publish = lenses.find((l) => l.command?.title === '▶ Run task' && l.command.arguments?.[1] === 'publish');
    assert.ok(publish, 'the ▶ Run task lens above publish');
    const runId = (await click(publish)) as string;
    const entry = await runFinished(a.runs.get(runId) as RunEntry);
    assert.equal(entry.run.trigger, 'run-task');
    assert.equal(entry.run.status, 'completed');
    assert.deepEqual((entry.tasks ?? []).map((t) => t.id), ['fetch', 'parse', 'publish']);
    // Marked as a single-task run, and the tree's "last run" stays the retry of the whole tree.
    assert.match(String(a.view.getTreeItem(a.view.runNode(entry)).description), /^#3 · completed · .* · ▶ task publish$/);
    const titles = await lensTitles(uri());
    assert.ok(titles.some((t) => t.startsWith('last run: completed · 4/4 completed')), titles.join(' | '));
  });

  it('cancels a run (■ Cancel)', async () => {
    const slow = fixture('slow.apflow.yaml');
    await open('slow.apflow.yaml');
    const runId = (await vscode.commands.executeCommand('apflow.runTree', slow)) as string;
    const entry = a.runs.get(runId) as RunEntry;
    await waitFor('the slow task to start', () => entry.tasks?.find((t) => t.id === 'wait')?.status === 'in_progress');
    const cancel = await waitFor('■ Cancel', () => lensNamed(slow, '■ Cancel'));
    await click(cancel);
    await runFinished(entry, 10000);
    assert.equal(entry.run.status, 'cancelled');
    assert.deepEqual((entry.tasks ?? []).map((t) => t.status), ['cancelled', 'cancelled']);
    const titles = await waitFor('the cancelled summary', async () => {
      const t = await lensTitles(slow);
      return t.some((x) => x.startsWith('last run: cancelled')) ? t : undefined;
    });
    assert.ok(titles.includes('↻ Retry failed (2)'), titles.join(' | '));
    const item = a.view.getTreeItem(a.view.runNode(entry));
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'circle-slash');
    assert.equal(item.contextValue, 'run.cancelled');
  });

  it('refuses to run a tree with errors, and runs nothing', async () => {
    const before = a.runs.runs().length;
    const result = await vscode.commands.executeCommand('apflow.runTree', fixture('cycle.apflow.yaml'));
    assert.equal(result, undefined);
    assert.equal(a.runs.runs().length, before);
  });

  it('exports the tree as an apflow JSON task array', async () => {
    const exported = (await vscode.commands.executeCommand('apflow.exportTree', uri())) as vscode.Uri;
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === exported.toString());
    const tasks = JSON.parse(document?.getText() ?? 'null');
    assert.ok(Array.isArray(tasks));
    assert.deepEqual(tasks.map((t: { id: string }) => t.id), ['report', 'fetch', 'parse', 'publish']);
    // The default target, apflow 0.18, has no max_attempts; priority is always written.
    assert.ok(tasks.every((t: { max_attempts?: number; priority?: number }) => !('max_attempts' in t) && typeof t.priority === 'number'));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('deletes a run', async () => {
    const victim = a.runs.runs().find((e) => e.run.status === 'cancelled') as RunEntry;
    assert.equal(await vscode.commands.executeCommand('apflow.deleteRun', a.view.runNode(victim)), true);
    assert.equal(a.runs.get(victim.run.id), undefined);
    const roots = (await a.view.getChildren()) as RunsNode[];
    assert.ok(!roots.some((n) => n.kind === 'run' && n.entry === victim));
  });
});

function label(a: TestApi, node: RunsNode): string {
  return String(a.view.getTreeItem(node).label);
}
