// The language features of spec 2.3 over JSON-RPC against the built server, at exact positions
// (fixtures mark the cursor with `|`).
import assert from 'node:assert/strict';
import type {
  CallHierarchyIncomingCall,
  CallHierarchyItem,
  CallHierarchyOutgoingCall,
  CodeLens,
  CompletionItem,
  CompletionList,
  DocumentSymbol,
  Hover,
  Location,
  Position,
  Range,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { cursor, LspClient, positionOf } from './lsp-client';
import { CHAIN, SPEC_EXAMPLE, Workspace } from './fixtures';

describe('language server: features', function () {
  let client: LspClient;
  let ws: Workspace;
  let counter = 0;

  before(async () => {
    ws = new Workspace();
    client = await LspClient.start();
  });
  after(async () => {
    await client.stop();
    ws.remove();
  });

  /** Opens `text` as a new document and waits for its diagnostics. */
  async function open(text: string, name = `doc${++counter}.apflow.yaml`): Promise<string> {
    const uri = ws.uri(name);
    await client.open(uri, text);
    await client.current(uri);
    return uri;
  }

  async function complete(source: string, name?: string): Promise<{ items: CompletionItem[]; list: CompletionList; position: Position }> {
    const { text, position } = cursor(source);
    const uri = await open(text, name);
    const list = await client.request<CompletionList>('textDocument/completion', client.at(uri, position));
    await client.close(uri);
    return { items: list.items, list, position };
  }

  const labels = (items: CompletionItem[]) => items.map((i) => i.label);
  const sorted = (items: CompletionItem[]) => [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label)).map((i) => i.label);

  describe('completion', () => {
    it('offers the keys a task may still have, each with a one-line description', async () => {
      const { items, position } = await complete(CHAIN.replace('    name: Parse rows\n', '    name: Parse rows\n    |\n'));
      const present = ['id', 'name', 'parent_id', 'schemas', 'inputs', 'dependencies'];
      for (const key of present) assert.ok(!labels(items).includes(key), key);
      for (const key of ['priority', 'params', 'max_attempts', 'backoff_strategy', 'timeout', 'schedule_type', 'user_id']) assert.ok(labels(items).includes(key), key);
      assert.ok(!labels(items).includes('status'), 'runtime fields are not offered');
      const priority = items.find((i) => i.label === 'priority') as CompletionItem;
      // The detail is one short line (the suggest widget wraps a long one mid-word); the documentation has it all.
      assert.equal(priority.detail, 'Among tasks ready at the same time, lower runs first: 0…');
      assert.match(JSON.stringify(priority.documentation), /0 urgent, 1 high, 2 normal, 3 low/);
      assert.deepEqual(priority.textEdit, { range: { start: position, end: position }, newText: 'priority: $0' });
      assert.equal(priority.insertTextFormat, 2);
      assert.equal(priority.command?.command, 'editor.action.triggerSuggest');
    });

    it('replaces a half-typed key on a line that does not parse yet', async () => {
      const { items, position } = await complete(CHAIN.replace('    name: Load rows\n', '    name: Load rows\n    backo|\n'));
      const backoff = items.find((i) => i.label === 'backoff_strategy') as CompletionItem;
      assert.deepEqual((backoff.textEdit as { range: Range }).range, { start: { line: position.line, character: 4 }, end: position });
    });

    it('offers executor ids, built-in and declared, with their description and where they run', async () => {
      const { items } = await complete(SPEC_EXAMPLE.replace('{ method: command_executor }', '{ method: |command_executor }'));
      assert.equal(items.length, 17);
      assert.deepEqual(sorted(items).slice(0, 5), ['format_report', 'aggregate_results_executor', 'system_info_executor', 'command_executor', 'rest_executor']);
      const byLabel = new Map(items.map((i) => [i.label, i]));
      assert.equal(byLabel.get('command_executor')?.detail, 'runs locally');
      assert.equal(byLabel.get('llm_executor')?.detail, 'needs an apflow server');
      // Server-only executors are marked in the list itself, right of the label; local ones are not.
      assert.deepEqual(byLabel.get('llm_executor')?.labelDetails, { description: 'apflow server' });
      assert.equal(byLabel.get('command_executor')?.labelDetails, undefined);
      assert.equal(byLabel.get('format_report')?.detail, 'workspace executor · runs locally');
      const doc = (byLabel.get('command_executor')?.documentation as { value: string }).value;
      assert.match(doc, /Runs a shell command/);
      assert.match(doc, /\| `command` \| string \| yes \|  \|/);
      assert.match(doc, /\| `timeout` \| number \| no \| `30` \|/);
      // The whole word under the cursor is replaced.
      const edit = byLabel.get('rest_executor')?.textEdit as { range: Range; newText: string };
      assert.equal(edit.range.end.character - edit.range.start.character, 'command_executor'.length);
    });

    it('offers executor ids in block style and in params.executor_id', async () => {
      const block = await complete(CHAIN.replace('method: rest_executor', 'method: re|'));
      assert.ok(labels(block.items).includes('rest_executor'));
      const params = await complete(CHAIN.replace('    priority: 0\n', '    priority: 0\n    params: { executor_id: | }\n'));
      assert.equal(params.items.length, 16);
    });

    it('offers dependencies: every task except itself, those already listed and those that would close a cycle', async () => {
      // parse depends on fetch; root → load → parse: root and load depend on parse, so they would close a cycle.
      const { items } = await complete(CHAIN.replace('      - Fetch rows\n', '      - Fetch rows\n      - |\n'));
      assert.deepEqual(labels(items), []);
      const fetch = await complete(CHAIN.replace('      url: "http://127.0.0.1:9/rows"\n', '      url: "http://127.0.0.1:9/rows"\n    dependencies: [|]\n'));
      assert.deepEqual(labels(fetch.items), []);
      const freeText = CHAIN + '  - id: extra\n    name: Extra\n    parent_id: root\n    schemas: { method: command_executor }\n    inputs: { command: "true" }\n    dependencies: [parse, |]\n';
      const extra = await complete(freeText);
      assert.deepEqual(labels(extra.items).sort(), ['fetch', 'load', 'root']);
      const fetchItem = extra.items.find((i) => i.label === 'fetch') as CompletionItem;
      assert.equal(fetchItem.detail, 'Fetch rows');
      assert.match(JSON.stringify(fetchItem.documentation), /Executor: `rest_executor` — runs locally.*Priority: 0 \(urgent\)/);
      assert.equal(fetchItem.filterText, 'fetch Fetch rows');
    });

    it('offers dependency references in a flow mapping entry and `required` values', async () => {
      const text = CHAIN + '  - id: extra\n    name: Extra\n    parent_id: root\n    schemas: { method: command_executor }\n    inputs: { command: "true" }\n    dependencies:\n      - { id: |, required: false }\n';
      assert.deepEqual(labels((await complete(text)).items).sort(), ['fetch', 'load', 'parse', 'root']);
      const required = await complete(text.replace('{ id: |, required: false }', '{ id: load, required: | }'));
      assert.deepEqual(labels(required.items), ['true', 'false']);
    });

    it('offers parent_id references except the task and its descendants', async () => {
      const text = CHAIN.replace('  - id: root\n    name: Root\n', '  - id: root\n    name: Root\n    parent_id: |\n');
      assert.deepEqual(labels((await complete(text)).items), []);
      const load = await complete(CHAIN.replace('    name: Load rows\n    parent_id: root\n', '    name: Load rows\n    parent_id: |\n'));
      // Nearest tasks first.
      assert.deepEqual(sorted(load.items), ['root', 'parse', 'fetch']);
    });

    it('offers priorities with their labels, and the enums of the format', async () => {
      const priority = await complete(CHAIN.replace('    priority: 0\n', '    priority: |\n'));
      assert.deepEqual(priority.items.map((i) => `${i.label} ${i.detail}`), ['0 urgent', '1 high', '2 normal', '3 low']);
      const backoff = await complete(CHAIN.replace('    priority: 0\n', '    priority: 0\n    backoff_strategy: |\n'));
      assert.deepEqual(labels(backoff.items), ['fixed', 'exponential', 'linear']);
      const schedule = await complete(CHAIN.replace('    priority: 0\n', '    priority: 0\n    schedule_type: |\n'));
      assert.deepEqual(labels(schedule.items), ['once', 'interval', 'cron', 'daily', 'weekly', 'monthly']);
    });

    it('offers the inputs of the executor, required first, with the default as snippet value, and input enums', async () => {
      const rest = await complete(CHAIN.replace('      url: "http://127.0.0.1:9/rows"\n', '      |\n'));
      assert.deepEqual(labels(rest.items).slice(0, 1), ['url']);
      const method = rest.items.find((i) => i.label === 'method') as CompletionItem;
      assert.equal((method.textEdit as { newText: string }).newText, 'method: ${1|GET,POST,PUT,DELETE,PATCH|}');
      const timeout = rest.items.find((i) => i.label === 'timeout') as CompletionItem;
      assert.equal((timeout.textEdit as { newText: string }).newText, 'timeout: ${1:30}');
      assert.match(String(timeout.detail), /^number · optional · default 30/);
      const resource = await complete(SPEC_EXAMPLE.replace('inputs: { resource: cpu }', 'inputs: { resource: | }'));
      assert.deepEqual(labels(resource.items), ['cpu', 'memory', 'disk', 'all']);
    });

    it('offers a snippet for a new task on a new list item, and the top-level keys', async () => {
      const { items } = await complete(CHAIN + '  - |\n');
      const snippet = items[0];
      assert.equal(snippet.label, 'New task');
      assert.equal(
        (snippet.textEdit as { newText: string }).newText,
        'id: ${1:new_task}\n    name: ${2:New task}\n    parent_id: ${3:root}\n    schemas:\n      method: ${4:command_executor}\n    inputs:\n      command: ${5:echo hello}$0',
      );
      const top = await complete(`|\n${CHAIN}`);
      assert.deepEqual(labels(top.items), ['version', 'apflow_version', 'description', 'executors', 'hooks', 'env']);
    });

    it('completes apflow_version with the lines, quoted, marking the current target', async () => {
      const { items } = await complete(`apflow_version: |\n${CHAIN}`);
      assert.deepEqual(labels(items), ['0.18', '0.20']);
      assert.deepEqual(items.map((i) => (i.textEdit as { newText: string }).newText), ['"0.18"', '"0.20"']);
      assert.deepEqual(items.map((i) => i.detail), ['apflow 0.18 · the current target', 'apflow 0.20']);
    });

    it('offers the executors of the file’s target only, marking those that need an apflow server', async () => {
      const on018 = await complete(CHAIN.replace('method: rest_executor', 'method: |'));
      assert.ok(labels(on018.items).includes('command_executor'));
      assert.equal(on018.items.find((i) => i.label === 'llm_executor')?.detail, 'needs an apflow server');
      const on020 = await complete(`apflow_version: "0.20"\n${CHAIN.replace('method: rest_executor', 'method: |')}`);
      assert.deepEqual(labels(on020.items).sort(), ['aggregate_results_executor', 'apflow_api_executor', 'rest_executor', 'send_email_executor']);
    });

    it('completes in a JSON file', async () => {
      const json = '{"tasks": [{"id": "a", "name": "A", "schemas": {"method": "|"}}]}';
      const { items } = await complete(json, 'flow.apflow.json');
      assert.ok(labels(items).includes('command_executor'));
      assert.equal((items.find((i) => i.label === 'command_executor')?.textEdit as { newText: string }).newText, 'command_executor');
    });
  });

  describe('hover', () => {
    async function hover(source: string): Promise<Hover | null> {
      const { text, position } = cursor(source);
      const uri = await open(text);
      const result = await client.request<Hover | null>('textDocument/hover', client.at(uri, position));
      await client.close(uri);
      return result;
    }
    const value = (h: Hover | null) => (h?.contents as { value: string }).value;

    it('on an executor id: description, input table, where it runs', async () => {
      const h = await hover(SPEC_EXAMPLE.replace('{ method: command_executor }', '{ method: comm|and_executor }'));
      assert.match(value(h), /^\*\*command_executor\*\*\n\nRuns a shell command; fails on a non-zero exit code\.\n\nBuilt into apflow 0\.18\. Runs locally in the embedded runtime\./);
      assert.match(value(h), /`cwd` and `env`: read only by this runtime; apflow ignores them/);
      assert.match(value(h), /On apflow: apflow runs it only when its process has `APFLOW_STDIO_ALLOW_COMMAND=1`/);
      assert.match(value(h), /\| input \| type \| required \| default \|/);
      const start = positionOf(SPEC_EXAMPLE, 'method: command_executor', 8);
      assert.deepEqual(h?.range, { start, end: { line: start.line, character: start.character + 16 } });
      const remote = await hover(CHAIN.replace('method: rest_executor', 'method: llm_ex|ecutor'));
      assert.match(value(remote), /Needs an apflow server/);
      const crew = value(await hover(CHAIN.replace('method: rest_executor', 'method: crewai_ex|ecutor')));
      assert.match(crew, /From `params` \(apflow passes them to the executor's constructor\):\n\n\| param \| type \| required \| default \|\n\|---\|---\|---\|---\|\n\| `works` \| object \| yes \|/);
      const on020 = value(await hover(`apflow_version: "0.20"\n${SPEC_EXAMPLE.replace('{ method: command_executor }', '{ method: comm|and_executor }')}`));
      assert.match(on020, /Built into apflow 0\.18 only: not into apflow 0\.20, this file's target\./);
    });

    it('says nothing on an unknown executor or reference: the diagnostic in the same hover already says it', async () => {
      assert.equal(await hover(CHAIN.replace('method: rest_executor', 'method: rest_exec|utr')), null);
      assert.equal(await hover(CHAIN.replace('      - load', '      - lo|ax')), null);
    });

    it('shows the target on a task and on apflow_version', async () => {
      const task = value(await hover(`apflow_version: "0.20"\n${CHAIN.replace('      - load', '      - lo|ad')}`));
      assert.match(task, /\nTarget: apflow 0\.20 \(from `apflow_version`\)  \n/);
      const key = value(await hover(`apflow_ver|sion: "0.20"\n${CHAIN}`));
      assert.match(key, /^\*\*apflow_version\*\*\n\n\(ext\) The apflow line/);
      assert.match(key, /This file: apflow 0\.20 \(from `apflow_version`\)\.$/);
    });

    it('on a hook list: when it runs and how it is called (issue 12)', async () => {
      const tree = (list: string) => `hooks:\n  ${list}:\n    - python: hooks.py:f\n${CHAIN}`;
      assert.match(value(await hover(tree('p|re'))), /Run in order for every task after the dependency merge and before its executor, as `hook\(task\)`/);
      assert.match(value(await hover(tree('po|st'))), /for every task that completed, before its dependents start, as `hook\(task, inputs, result\)`/);
      assert.match(value(await hover(tree('on_tree_fa|iled'))), /when the run ended with a failed, blocked or cancelled task/);
    });

    it('on a reference: the target’s name, executor and dependencies', async () => {
      const h = await hover(CHAIN.replace('      - load', '      - lo|ad'));
      assert.equal(
        value(h),
        '**Load rows** (`load`)  \nExecutor: `command_executor` — runs locally  \nTarget: apflow 0.18 (the default; set `apflow_version` to change it)  \nPriority: 2 (normal)  \nDepends on: `parse`  \nNeeded by: `root`  \nParent: `root`',
      );
    });

    it('on a reference, the last run status and duration the client reported', async () => {
      const { text, position } = cursor(CHAIN.replace('      - load', '      - lo|ad'));
      const uri = await open(text);
      await client.connection.sendNotification('apflow/runStatus', { uri, runId: 'r1', running: false, tasks: [{ id: 'load', name: 'Load rows', status: 'failed', durationMs: 1250 }] });
      const h = await client.request<Hover>('textDocument/hover', client.at(uri, position));
      assert.match(value(h), /Last run: failed · 1\.3 s$/);
      await client.close(uri);
    });

    it('on keys: what they mean, the merge rule on dependencies, scheduling not run locally', async () => {
      assert.match(value(await hover(CHAIN.replace('    priority: 0', '    prio|rity: 0'))), /^\*\*priority\*\*\n\nAmong tasks ready/);
      const deps = value(await hover(CHAIN.replace('    dependencies:\n      - parse', '    depen|dencies:\n      - parse')));
      assert.match(deps, /Their results are merged into this task’s inputs/);
      assert.match(deps, /the later dependency wins/);
      assert.match(deps, /stored under the dependency’s id/);
      const schedule = value(await hover(CHAIN.replace('    priority: 0\n', '    priority: 0\n    schedule_ty|pe: daily\n')));
      assert.match(schedule, /the embedded runtime does not schedule/);
      const input = value(await hover(CHAIN.replace('      url: "http', '      u|rl: "http')));
      assert.equal(input, '**url** — string · required\n\nThe URL to call.');
    });

    it('says nothing on plain values', async () => {
      assert.equal(await hover(CHAIN.replace('"echo load"', '"echo |load"')), null);
    });
  });

  describe('navigation', () => {
    let uri: string;
    before(async () => {
      ws.write('executors/format-report.mjs', 'export default () => ({});\n');
      uri = await open(SPEC_EXAMPLE, 'nav.apflow.yaml');
    });
    after(() => client.close(uri));
    const at = (needle: string, delta = 0, n = 0) => client.at(uri, positionOf(SPEC_EXAMPLE, needle, delta, n));
    const lines = (locations: Location[]) => locations.map((l) => `${l.range.start.line}:${l.range.start.character}-${l.range.end.character}`);
    /** `line:start-end` of the `n`th `needle`, skipping `delta` characters and spanning `length`. */
    const span = (needle: string, delta: number, length: number, n = 0) => {
      const p = positionOf(SPEC_EXAMPLE, needle, delta, n);
      return `${p.line}:${p.character}-${p.character + length}`;
    };

    it('goes from a reference to the task, from an executor id to its declaration, from a module to its file', async () => {
      assert.deepEqual(lines(await client.request<Location[]>('textDocument/definition', at('[cpu', 2))), [span('id: cpu', 4, 3)]);
      assert.deepEqual(lines(await client.request<Location[]>('textDocument/definition', at('{ id: report', 7))), [span('id: report', 4, 6)]);
      assert.deepEqual(lines(await client.request<Location[]>('textDocument/definition', at('method: format_report', 10))), [span('format_report:', 0, 13)]);
      const module = await client.request<Location[]>('textDocument/definition', at('./executors', 3));
      assert.deepEqual(module.map((l) => l.uri), [ws.uri('executors/format-report.mjs')]);
      assert.deepEqual(await client.request<Location[]>('textDocument/definition', at('method: aggregate', 10)), []);
    });

    it('finds the references of a task from its id or any reference to it, with or without its definition', async () => {
      const all = await client.request<Location[]>('textDocument/references', { ...at('id: report', 5), context: { includeDeclaration: true } });
      assert.deepEqual(lines(all), [span('id: report', 4, 6), ...[0, 1, 2, 3].map((n) => span('parent_id: report', 11, 6, n)), span('{ id: report', 6, 6)]);
      const fromReference = await client.request<Location[]>('textDocument/references', { ...at('parent_id: report', 12, 2), context: { includeDeclaration: false } });
      assert.deepEqual(lines(fromReference), lines(all).slice(1));
      const executor = await client.request<Location[]>('textDocument/references', { ...at('system_info_executor', 3), context: { includeDeclaration: true } });
      assert.deepEqual(lines(executor), [span('system_info_executor', 0, 20), span('system_info_executor', 0, 20, 1)]);
    });

    it('renames a task id everywhere it is written as an id', async () => {
      const prepared = await client.request<{ range: Range; placeholder: string }>('textDocument/prepareRename', at('[cpu', 1));
      const cpu = positionOf(SPEC_EXAMPLE, '[cpu', 1);
      assert.deepEqual(prepared, { range: { start: cpu, end: { line: cpu.line, character: cpu.character + 3 } }, placeholder: 'cpu' });
      const edit = await client.request<WorkspaceEdit>('textDocument/rename', { ...at('id: cpu', 5), newName: 'processor' });
      assert.deepEqual(
        edit.changes?.[uri].map((e) => `${e.range.start.line}:${e.range.start.character} ${e.newText}`),
        [span('id: cpu', 4, 0).replace(/-.*/, ' processor'), `${cpu.line}:${cpu.character} processor`],
      );
    });

    it('refuses a position that is not a task id, name or reference, and an id that is taken', async () => {
      assert.equal(await client.request('textDocument/prepareRename', at('priority: 1', 2)), null);
      await assert.rejects(client.request('textDocument/rename', { ...at('id: cpu', 5), newName: 'memory' }), /'memory' is already the id of task 'Memory info'/);
      await assert.rejects(client.request('textDocument/rename', { ...at('id: cpu', 5), newName: 'Disk usage' }), /already the name of task 'Disk usage'/);
    });

    it('outlines the tasks as a tree following parent_id, with the executor as detail', async () => {
      const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
      assert.deepEqual(
        symbols.map((s) => [s.name, s.detail, s.kind, (s.children ?? []).map((c) => `${c.name}/${c.detail}`)]),
        [['Build report', 'aggregate_results_executor', 12, ['CPU info/system_info_executor', 'Memory info/system_info_executor', 'Disk usage/command_executor', 'Format report/format_report']]],
      );
      const report = positionOf(SPEC_EXAMPLE, '  - id: report');
      assert.deepEqual(symbols[0].range, { start: report, end: positionOf(SPEC_EXAMPLE, '  - id: cpu') });
      assert.equal(span('name: Build report', 6, 12), `${symbols[0].selectionRange.start.line}:${symbols[0].selectionRange.start.character}-${symbols[0].selectionRange.end.character}`);
    });

    it('shows dependents as incoming calls and dependencies as outgoing calls', async () => {
      const [item] = await client.request<CallHierarchyItem[]>('textDocument/prepareCallHierarchy', at('id: report', 5));
      assert.equal(item.name, 'Build report');
      const incoming = await client.request<CallHierarchyIncomingCall[]>('callHierarchy/incomingCalls', { item });
      const at2 = (r: Range) => `${r.start.line}:${r.start.character}-${r.end.character}`;
      assert.deepEqual(incoming.map((c) => [c.from.name, c.fromRanges.map(at2)]), [['Format report', [span('{ id: report', 6, 6)]]]);
      const outgoing = await client.request<CallHierarchyOutgoingCall[]>('callHierarchy/outgoingCalls', { item });
      assert.deepEqual(outgoing.map((c) => [c.to.name, c.fromRanges.map(at2)]), [
        ['CPU info', [span('[cpu', 1, 3)]],
        ['Memory info', [span(' memory,', 1, 6)]],
        ['Disk usage', [span(' disk]', 1, 4)]],
      ]);
    });

    it('puts `N dependents · M dependencies` above each task, opening its references', async () => {
      const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
      assert.deepEqual(lenses.map((l) => l.range.start.line), [0, 1, 2, 3, 4].map((n) => positionOf(SPEC_EXAMPLE, '  - id:', 0, n).line));
      const resolved = await Promise.all(lenses.map((l) => client.request<CodeLens>('codeLens/resolve', l)));
      assert.deepEqual(resolved.map((l) => l.command?.title), ['1 dependent · 3 dependencies', '1 dependent · 0 dependencies', '1 dependent · 0 dependencies', '1 dependent · 0 dependencies', '0 dependents · 1 dependency']);
      const [command] = resolved;
      assert.equal(command.command?.command, 'apflow.showReferences');
      const [target, position, locations] = command.command?.arguments as [string, Position, Location[]];
      assert.equal(target, uri);
      assert.deepEqual(position, positionOf(SPEC_EXAMPLE, 'id: report'));
      assert.deepEqual(lines(locations), [span('{ id: report', 6, 6), span('id: cpu', 4, 3), span('id: memory', 4, 6), span('id: disk', 4, 4)]);
    });
  });

  describe('rename by name', () => {
    it('renames references written as the task’s name when the name is renamed, and leaves the id alone', async () => {
      const uri = await open(CHAIN);
      const edit = await client.request<WorkspaceEdit>('textDocument/rename', { ...client.at(uri, positionOf(CHAIN, '- Fetch rows', 4)), newName: 'Fetch all rows' });
      const where = (needle: string, delta: number) => {
        const p = positionOf(CHAIN, needle, delta);
        return `${p.line}:${p.character}`;
      };
      assert.deepEqual(edit.changes?.[uri].map((e) => `${e.range.start.line}:${e.range.start.character} ${e.newText}`), [
        `${where('name: Fetch rows', 6)} Fetch all rows`,
        `${where('- Fetch rows', 2)} Fetch all rows`,
      ]);
      // fetch is never referenced by its id.
      const byId = await client.request<WorkspaceEdit>('textDocument/rename', { ...client.at(uri, positionOf(CHAIN, 'id: fetch', 5)), newName: 'download' });
      assert.deepEqual(byId.changes?.[uri].map((e) => `${e.range.start.line}:${e.range.start.character} ${e.newText}`), [`${where('id: fetch', 4)} download`]);
      await client.close(uri);
    });
  });
});
