// Workspace trust (spec 4.4): the decision, in isolation, and the manifest's capabilities and `when`
// clauses, checked against the context values the Runs view really gives its items.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { runPermission, TRUST_LENS } from '../../client/trust';
import { extension } from './helpers';

describe('workspace trust and the manifest', () => {
  it('runs only in a trusted workspace, from files on disk', () => {
    assert.deepEqual(runPermission({ trusted: true, scheme: 'file' }), { allowed: true });
    const untrusted = runPermission({ trusted: false, scheme: 'file' });
    assert.equal(untrusted.allowed, false);
    if (!untrusted.allowed) {
      assert.equal(untrusted.reason, 'untrusted');
      assert.equal(untrusted.lensTitle, TRUST_LENS);
      assert.equal(untrusted.lensTitle, 'Trust this workspace to run');
      assert.equal(untrusted.lensCommand, 'workbench.trust.manage');
      assert.match(untrusted.message, /untrusted workspace/);
    }
    const virtual = runPermission({ trusted: true, scheme: 'vscode-vfs' });
    assert.equal(virtual.allowed, false);
    if (!virtual.allowed) assert.equal(virtual.reason, 'virtual');
    const both = runPermission({ trusted: false, scheme: 'vscode-vfs' });
    assert.equal(both.allowed === false && both.reason, 'untrusted');
  });

  it('declares limited support for untrusted and virtual workspaces', () => {
    const pkg = extension().packageJSON;
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.equal(pkg.capabilities.virtualWorkspaces.supported, 'limited');
    assert.deepEqual(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations, ['apflow.rest.allowPrivateUrls', 'apflow.python.interpreter', 'apflow.servers', 'apflow.run.redis']);
  });

  it('activates on the language, the commands, the view and a restored graph panel only', () => {
    const events: string[] = extension().packageJSON.activationEvents;
    assert.ok(events.includes('onLanguage:apflow'));
    assert.ok(events.includes('onView:apflowRuns'));
    assert.ok(events.every((e) => /^(onLanguage:apflow(-test)?|onView:apflowRuns|onCommand:apflow\.\w+|onWebviewPanel:apflow\.graph)$/.test(e)), events.join(', '));
  });

  const COMMANDS: Record<string, string> = {
    'apflow.runTree': 'Run Task Tree',
    'apflow.retryRun': 'Retry Failed Tasks',
    'apflow.runTask': 'Run Task with Its Dependencies',
    'apflow.cancelRun': 'Cancel Run',
    'apflow.showTaskRecord': 'Show Task Record (JSON)',
    'apflow.openRun': 'Open Run Page',
    'apflow.showTaskLog': 'Show Task Log',
    'apflow.revealTask': 'Reveal Task in File',
    'apflow.deleteRun': 'Delete Run',
    'apflow.clearHistory': 'Clear Run History',
    'apflow.exportTree': 'Export as apflow JSON',
  };

  it('contributes every command of spec 4.2 with its palette title, and registers it', async () => {
    const contributed = extension().packageJSON.contributes.commands as { command: string; title: string; category: string }[];
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const [id, title] of Object.entries(COMMANDS)) {
      const c = contributed.find((x) => x.command === id);
      assert.ok(c, id);
      assert.equal(`${c.category}: ${c.title}`, `apflow: ${title}`);
      assert.ok(registered.has(id), `${id} is registered`);
    }
    assert.equal(contributed.find((c) => c.command === 'apflow.cancelRun') && (contributed.find((c) => c.command === 'apflow.cancelRun') as { enablement?: string }).enablement, 'apflow.runActive');
  });

  it("has menus whose `when` clauses match the Runs view's context values", () => {
    const menus = extension().packageJSON.contributes.menus as Record<string, { command: string; when?: string }[]>;
    const items = menus['view/item/context'];
    const matches = (command: string, contextValue: string) =>
      items.some((m) => m.command === command && whenMatches(m.when ?? '', { view: 'apflowRuns', viewItem: contextValue, isWorkspaceTrusted: 'true' }));
    // run → Retry (failed/cancelled), Cancel (running), Delete; task → Show Record, Reveal in File, Run Task.
    for (const s of ['failed', 'cancelled']) assert.ok(matches('apflow.retryRun', `run.${s}`), `retry on run.${s}`);
    for (const s of ['completed', 'running']) assert.ok(!matches('apflow.retryRun', `run.${s}`), `no retry on run.${s}`);
    assert.ok(matches('apflow.cancelRun', 'run.running'));
    assert.ok(!matches('apflow.cancelRun', 'run.failed'));
    for (const s of ['completed', 'failed', 'cancelled']) assert.ok(matches('apflow.deleteRun', `run.${s}`));
    for (const s of ['completed', 'failed', 'blocked', 'cancelled', 'pending', 'in_progress']) {
      for (const c of ['apflow.showTaskRecord', 'apflow.revealTask', 'apflow.runTask']) assert.ok(matches(c, `task.${s}`), `${c} on task.${s}`);
    }
    for (const c of ['apflow.showTaskRecord', 'apflow.revealTask', 'apflow.runTask']) assert.ok(!matches(c, 'run.failed'));
    // The run page opens from a run or a task; a task's log only from a task.
    for (const v of ['run.running', 'run.failed', 'task.failed', 'task.completed']) assert.ok(matches('apflow.openRun', v), `openRun on ${v}`);
    assert.ok(matches('apflow.showTaskLog', 'task.failed') && !matches('apflow.showTaskLog', 'run.failed'));
    const palette = menus.commandPalette;
    for (const c of ['apflow.runTree', 'apflow.runTask']) assert.equal(palette.find((m) => m.command === c)?.when, 'editorLangId == apflow && isWorkspaceTrusted');
    assert.equal(palette.find((m) => m.command === 'apflow.exportTree')?.when, 'editorLangId == apflow');
    // Restricted Mode: no menu anywhere offers a run (the editor title's ▶ included); cancel, records and export stay.
    const runMenus = Object.values(menus).flat().filter((m) => ['apflow.runTree', 'apflow.runTask', 'apflow.retryRun'].includes(m.command));
    assert.ok(runMenus.length >= 8);
    for (const m of runMenus) assert.match(m.when ?? '', /(^|&& )isWorkspaceTrusted$/, `${m.command}: ${m.when}`);
  });

  it('has the Runs view in its own activity-bar container, with the welcome text', () => {
    const c = extension().packageJSON.contributes;
    assert.deepEqual(c.viewsContainers.activitybar.map((v: { id: string }) => v.id), ['apflow']);
    assert.deepEqual(c.views.apflow.map((v: { id: string; name: string }) => [v.id, v.name]), [['apflowRuns', 'Runs']]);
    const welcome = new Map(c.viewsWelcome.map((w: { when: string; contents: string }) => [w.when, w.contents]));
    assert.equal(welcome.get('isWorkspaceTrusted'), 'No runs yet. Open an .apflow.yaml file and click ▶ Run task tree above its first line.');
    // In Restricted Mode there is no ▶ Run task tree: the welcome says why and where to trust the folder.
    assert.match(String(welcome.get('!isWorkspaceTrusted')), /Restricted Mode[\s\S]*\(command:workbench\.trust\.manage\)/);
    assert.deepEqual(c.yamlValidation[0].url, './schemas/apflow.schema.json');
    assert.deepEqual(c.jsonValidation[0].url, './schemas/apflow.schema.json');
  });
});

/** Enough of VS Code's `when` language for these menus: &&, ==, =~ /re/, a bare context key. */
function whenMatches(when: string, context: Record<string, string>): boolean {
  return when.split('&&').every((clause) => {
    const c = clause.trim();
    let m = /^(\S+) == (\S+)$/.exec(c);
    if (m) return context[m[1]] === m[2];
    m = /^(\S+) =~ \/(.*)\/$/.exec(c);
    if (m) return new RegExp(m[2]).test(context[m[1]] ?? '');
    if (/^[\w.]+$/.test(c)) return context[c] === 'true';
    throw new Error(`unsupported when clause: ${c}`);
  });
}
