// What the extension asks of the server instead of parsing trees itself (docs/editor-protocol.md):
// apflow/taskLocations, the task lenses built from apflow/runStatus, the per-task limit and trust —
// over real JSON-RPC against the built server.
import assert from 'node:assert/strict';
import type { CodeLens, Hover } from 'vscode-languageserver-protocol/node';
import type { RunStatusParams, TaskLocations } from '../../protocol';
import { FULL_CAPABILITIES, LspClient, positionOf } from './lsp-client';
import { CHAIN, Workspace } from './fixtures';

/** CHAIN plus a task without id, whose name (with a character outside the BMP) is what a run record knows it by. */
const TREE = `${CHAIN}  - name: "Report 📊"
    parent_id: root
    schemas: { method: command_executor }
    inputs: { command: "echo report" }
`;

const TRUSTED = { runs: { trusted: true } };

function titles(lenses: CodeLens[], line: number): (string | undefined)[] {
  return lenses.filter((l) => l.range.start.line === line).map((l) => l.command?.title ?? '(resolved when shown)');
}

function lineOf(text: string, needle: string): number {
  return positionOf(text, needle).line;
}

const FINISHED: Omit<RunStatusParams, 'uri'> = {
  runId: 'run-1',
  running: false,
  tasks: [
    { id: 'load', name: 'Load rows', status: 'failed', title: '✗ failed: exit code 2' },
    { id: 'fetch', name: 'Fetch rows', status: 'completed', durationMs: 120, title: '✓ completed 120 ms' },
    // The runtime generated an id for the task without one: it is found by its name.
    { id: 'a1b2c3', name: 'Report 📊', status: 'blocked', title: '⊘ blocked by load' },
    // An id no task has, and a name whose task has an id of its own: it belongs to no task.
    { id: 'gone', name: 'Parse rows', status: 'completed', title: '✓ completed 5 ms' },
  ],
};

describe('language server: what the extension asks instead of parsing', function () {
  const ws = new Workspace();
  let counter = 0;
  const clients: LspClient[] = [];
  after(async () => {
    await Promise.all(clients.map((c) => c.stop()));
    ws.remove();
  });

  async function start(options: Parameters<typeof LspClient.start>[0] = {}): Promise<LspClient> {
    const client = await LspClient.start(options);
    clients.push(client);
    return client;
  }
  async function open(client: LspClient, text: string, uri = ws.uri(`doc${++counter}.apflow.yaml`)): Promise<string> {
    await client.open(uri, text);
    await client.current(uri);
    return uri;
  }
  const lensesOf = (client: LspClient, uri: string) => client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
  const report = (client: LspClient, uri: string, run = FINISHED) => client.connection.sendNotification('apflow/runStatus', { uri, ...run });

  describe('apflow/taskLocations', () => {
    let client: LspClient;
    before(async () => (client = await start()));

    it('answers every task with its key, executor and LSP ranges (UTF-16), for the current version', async () => {
      const uri = await open(client, TREE);
      const answer = await client.request<TaskLocations>('apflow/taskLocations', { textDocument: { uri } });
      assert.equal(answer.version, 1);
      assert.deepEqual(
        answer.tasks.map((t) => [t.index, t.id, t.name, t.key, t.executor]),
        [
          [0, 'root', 'Root', 'root', 'aggregate_results_executor'],
          [1, 'load', 'Load rows', 'load', 'command_executor'],
          [2, 'parse', 'Parse rows', 'parse', 'command_executor'],
          [3, 'fetch', 'Fetch rows', 'fetch', 'rest_executor'],
          [4, null, 'Report 📊', 'Report 📊', 'command_executor'],
        ],
      );
      const load = answer.tasks[1];
      assert.deepEqual(load.nameKeyRange, { start: { line: lineOf(TREE, 'name: Load rows'), character: 4 }, end: { line: lineOf(TREE, 'name: Load rows'), character: 8 } });
      assert.equal(load.range.start.line, lineOf(TREE, '- id: load'));
      assert.equal(load.range.end.line, lineOf(TREE, '- id: parse'), 'the item runs to the next one');
      const last = answer.tasks[4];
      const lines = TREE.split('\n');
      assert.deepEqual(last.range.end, { line: lines.length - 1, character: 0 }, 'the last item ends at the end of the text');
      assert.equal(last.nameKeyRange.start.line, lineOf(TREE, 'name: "Report'));
    });

    it('follows edits: the version and the positions of the edited text', async () => {
      const uri = await open(client, TREE);
      await client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# 📊 a comment\n' }]);
      const answer = await client.request<TaskLocations>('apflow/taskLocations', { textDocument: { uri } });
      assert.equal(answer.version, 2);
      assert.equal(answer.tasks[1].nameKeyRange.start.line, lineOf(TREE, 'name: Load rows') + 1);
    });

    it('answers for any text, with every range inside the document', async () => {
      const texts = ['', '[', 'tasks: [', 'tasks:\n  - id: a\n  - {', '\r- id: a\r  name: b\r', '- id: x\n  name: "📊\n', `tasks:\n${'  - '.repeat(200)}x\n`];
      for (const text of texts) {
        const uri = await open(client, text);
        const answer = await client.request<TaskLocations>('apflow/taskLocations', { textDocument: { uri } });
        const lines = text.split(/\r\n|\r|\n/);
        const inside = (p: { line: number; character: number }) => p.line < lines.length && p.character <= lines[p.line].length;
        for (const t of answer.tasks) assert.ok([t.range.start, t.range.end, t.nameKeyRange.start, t.nameKeyRange.end].every(inside), `${JSON.stringify(text)}: ${JSON.stringify(t)}`);
        assert.ok(Array.isArray(await lensesOf(client, uri)));
      }
      assert.deepEqual(client.logs.filter((l) => /failed/.test(l)), []);
    });

    it('answers null for a document that is not open, and keeps serving', async () => {
      assert.equal(await client.request('apflow/taskLocations', { textDocument: { uri: ws.uri('never-opened.apflow.yaml') } }), null);
      const uri = await open(client, 'tasks:\n  - id: a\n    schemas: { method: command_executor }\n');
      const answer = await client.request<TaskLocations>('apflow/taskLocations', { textDocument: { uri } });
      assert.deepEqual(answer.tasks.map((t) => t.key), ['a']);
    });
  });

  describe('task lenses for a client that runs trees', () => {
    let client: LspClient;
    const refreshes: number[] = [];
    before(async () => {
      client = await start({ initializationOptions: TRUSTED, capabilities: { ...FULL_CAPABILITIES, workspace: { ...FULL_CAPABILITIES.workspace, codeLens: { refreshSupport: true } } } });
      client.connection.onRequest('workspace/codeLens/refresh', () => {
        refreshes.push(Date.now());
        return null;
      });
    });

    it('puts ▶ Run task above each task, with the document and the task key as arguments', async () => {
      const uri = await open(client, TREE);
      const lenses = await lensesOf(client, uri);
      const runLenses = lenses.filter((l) => l.command?.command === 'apflow.runTask');
      assert.deepEqual(runLenses.map((l) => l.command?.arguments), [[uri, 'root'], [uri, 'load'], [uri, 'parse'], [uri, 'fetch'], [uri, 'Report 📊']]);
      assert.deepEqual(titles(lenses, lineOf(TREE, '- id: load')), ['▶ Run task', '(resolved when shown)']);
    });

    it("adds the newest run's status, matched by id or (for a task without id) by name, and asks the client to refresh", async () => {
      const uri = await open(client, TREE);
      const before = refreshes.length;
      await report(client, uri);
      const lenses = await lensesOf(client, uri);
      assert.deepEqual(titles(lenses, lineOf(TREE, '- id: load')), ['▶ Run task', '✗ failed: exit code 2', '(resolved when shown)']);
      assert.deepEqual(titles(lenses, lineOf(TREE, '- id: fetch')), ['▶ Run task', '✓ completed 120 ms', '(resolved when shown)']);
      assert.deepEqual(titles(lenses, lineOf(TREE, '- name: "Report')), ['▶ Run task', '⊘ blocked by load', '(resolved when shown)']);
      assert.deepEqual(titles(lenses, lineOf(TREE, '- id: parse')), ['▶ Run task', '(resolved when shown)'], 'the record of another id is not this task’s');
      const status = lenses.find((l) => l.command?.title === '⊘ blocked by load');
      assert.equal(status?.command?.command, 'apflow.showTaskRecord');
      assert.deepEqual(status?.command?.arguments, [{ runId: 'run-1', taskId: 'a1b2c3' }]);
      await waitUntil(() => refreshes.length > before, 'a codeLens refresh request');
    });

    it('shows the title-less record by its status, and the hover on a reference its last run', async () => {
      const uri = await open(client, TREE);
      await report(client, uri, { runId: 'run-2', running: false, tasks: [{ id: 'parse', name: 'Parse rows', status: 'completed', durationMs: 2500 }] });
      assert.deepEqual(titles(await lensesOf(client, uri), lineOf(TREE, '- id: parse')), ['▶ Run task', 'completed', '(resolved when shown)']);
      const hover = await client.request<Hover>('textDocument/hover', client.at(uri, positionOf(TREE, '- parse', 3)));
      assert.match((hover.contents as { value: string }).value, /Last run: completed · 2\.5 s$/);
    });

    it('keeps the status with its task when the text above it moves', async () => {
      const uri = await open(client, TREE);
      await report(client, uri);
      const inserted = '  - id: extra\n    schemas: { method: command_executor }\n';
      const at = lineOf(TREE, '- id: load');
      await client.change(uri, [{ range: { start: { line: at, character: 0 }, end: { line: at, character: 0 } }, text: inserted }]);
      const lenses = await lensesOf(client, uri);
      assert.deepEqual(titles(lenses, at), ['▶ Run task', '(resolved when shown)'], 'the new task has no run');
      assert.deepEqual(titles(lenses, at + 2), ['▶ Run task', '✗ failed: exit code 2', '(resolved when shown)']);
    });

    it('leaves ▶ Run task out while a run of the file goes, and forgets a run reported empty', async () => {
      const uri = await open(client, TREE);
      await report(client, uri, { runId: 'run-3', running: true, tasks: [{ id: 'fetch', name: 'Fetch rows', status: 'in_progress', title: '… running' }] });
      const during = await lensesOf(client, uri);
      assert.equal(during.filter((l) => l.command?.command === 'apflow.runTask').length, 0);
      assert.deepEqual(titles(during, lineOf(TREE, '- id: fetch')), ['… running', '(resolved when shown)']);
      await report(client, uri, { runId: '', running: false, tasks: [] });
      const after = await lensesOf(client, uri);
      assert.equal(after.filter((l) => l.command?.command === 'apflow.runTask').length, 5);
      assert.equal(after.filter((l) => l.command?.command === 'apflow.showTaskRecord').length, 0);
    });

    it('ignores malformed run status (skipping bad records) and keeps serving', async () => {
      const uri = await open(client, TREE);
      for (const junk of [null, 42, { uri }, { uri, tasks: 'x' }, { uri, runId: 7, tasks: [{ id: 'load', name: 'Load rows', status: 'failed' }] }]) {
        await client.connection.sendNotification('apflow/runStatus', junk);
      }
      await report(client, uri, { runId: 'run-4', running: false, tasks: [{ id: 'load' } as never, { id: 'load', name: 'Load rows', status: 'failed', title: 7 } as never, { id: 'fetch', name: 'Fetch rows', status: 'completed' }] });
      const lenses = await lensesOf(client, uri);
      assert.equal(lenses.filter((l) => l.command?.command === 'apflow.showTaskRecord').length, 1);
      assert.deepEqual(titles(lenses, lineOf(TREE, '- id: fetch')), ['▶ Run task', 'completed', '(resolved when shown)']);
      assert.ok(client.alive);
      assert.deepEqual(client.logs.filter((l) => /failed/.test(l)), []);
    });

    it('never offers ▶ Run task for a document that is not a file on disk', async () => {
      const uri = await open(client, TREE, 'untitled:Untitled-1');
      await report(client, uri);
      const lenses = await lensesOf(client, uri);
      assert.equal(lenses.filter((l) => l.command?.command === 'apflow.runTask' || l.command?.command === 'apflow.showTaskRecord').length, 0);
      assert.equal(lenses.length, 5, 'the dependency lenses stay');
    });
  });

  describe('a client with a lens provider of its own (initializationOptions.ownLensProvider)', () => {
    it('is not offered codeLensProvider, is still answered, and is told of changes by apflow/lensesChanged', async () => {
      const refreshSupport = { ...FULL_CAPABILITIES, workspace: { ...FULL_CAPABILITIES.workspace, codeLens: { refreshSupport: true } } };
      const client = await start({ initializationOptions: { ...TRUSTED, ownLensProvider: true }, capabilities: refreshSupport });
      let changes = 0;
      client.connection.onNotification('apflow/lensesChanged', () => {
        changes++;
      });
      assert.equal(client.initializeResult.capabilities.codeLensProvider, undefined, 'the client registers its own provider: none for this one to register');
      const uri = await open(client, TREE);
      await report(client, uri);
      const lenses = await lensesOf(client, uri);
      assert.deepEqual(titles(lenses, lineOf(TREE, '- id: load')), ['▶ Run task', '✗ failed: exit code 2', '(resolved when shown)']);
      const dependents = lenses.find((l) => l.command === undefined);
      const resolved = await client.request<CodeLens>('codeLens/resolve', dependents);
      assert.match(resolved.command?.title ?? '', /dependents?/);
      await waitUntil(() => changes > 0, 'an apflow/lensesChanged notification');
      assert.equal(client.lensRefreshes, 0, 'no workspace/codeLens/refresh: it would reach no provider of this client');
    });
  });

  describe('the per-task limit (apflow.codeLens.perTaskLimit)', () => {
    it('above it, lists only the status lenses of the newest run', async () => {
      const client = await start({ initializationOptions: TRUSTED, settings: { apflow: { codeLens: { perTaskLimit: 4 } } } });
      const uri = await open(client, TREE);
      // The settings arrive after initialization (workspace/configuration): until then the default applies.
      await waitUntilAsync(async () => (await lensesOf(client, uri)).length === 0, 'five tasks, no run: no lens at all');
      await report(client, uri);
      const lenses = await lensesOf(client, uri);
      assert.deepEqual(
        lenses.map((l) => [l.range.start.line, l.command?.title]),
        [
          [lineOf(TREE, '- id: load'), '✗ failed: exit code 2'],
          [lineOf(TREE, '- id: fetch'), '✓ completed 120 ms'],
          [lineOf(TREE, '- name: "Report'), '⊘ blocked by load'],
        ],
      );
      const small = await open(client, 'tasks:\n  - id: a\n    schemas: { method: command_executor }\n');
      assert.deepEqual((await lensesOf(client, small)).map((l) => l.command?.title ?? 'deps'), ['▶ Run task', 'deps'], 'at or below it, every lens');
    });

    it('reads the default of 500 when the setting is missing or malformed', async () => {
      const client = await start({ initializationOptions: TRUSTED, settings: { apflow: { codeLens: { perTaskLimit: 'many' } } } });
      const big = ['tasks:', ...Array.from({ length: 501 }, (_, i) => `  - { id: t${i}, schemas: { method: command_executor } }`)].join('\n');
      const uri = await open(client, `${big}\n`);
      assert.equal((await lensesOf(client, uri)).length, 0);
      const under = await open(client, `${big.split('\n').slice(0, 501).join('\n')}\n`);
      assert.equal((await lensesOf(client, under)).filter((l) => l.command?.command === 'apflow.runTask').length, 500);
    });
  });

  describe('trust', () => {
    it('in an untrusted workspace, offers no run lens until the client says it was trusted', async () => {
      const client = await start({ initializationOptions: { runs: { trusted: false } } });
      const uri = await open(client, TREE);
      await report(client, uri);
      const untrusted = await lensesOf(client, uri);
      assert.deepEqual(untrusted.map((l) => l.command?.command), [undefined, undefined, undefined, undefined, undefined], 'only the dependency lenses');
      await client.connection.sendNotification('apflow/workspaceTrust', { trusted: true });
      const trusted = await lensesOf(client, uri);
      assert.equal(trusted.filter((l) => l.command?.command === 'apflow.runTask').length, 5);
      assert.equal(trusted.filter((l) => l.command?.command === 'apflow.showTaskRecord').length, 3);
    });

    it('offers no run lens to a client that cannot run trees (no `runs` in initializationOptions)', async () => {
      const client = await start();
      const uri = await open(client, TREE);
      await report(client, uri);
      await client.connection.sendNotification('apflow/workspaceTrust', { trusted: true });
      const lenses = await lensesOf(client, uri);
      assert.equal(lenses.length, 5);
      assert.ok(lenses.every((l) => l.command === undefined && l.data !== undefined));
    });
  });
});

function waitUntil(test: () => boolean, what: string, timeoutMs?: number): Promise<void> {
  return waitUntilAsync(async () => test(), what, timeoutMs);
}

async function waitUntilAsync(test: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

