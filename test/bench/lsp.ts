// Language-server benchmark (issues 3 and 9): start-up, didOpen → diagnostics, one-character edits →
// their diagnostics end to end (debounce included, with the outline and lens requests an editor sends
// after each change), sent as incremental and as full-document changes, adding and deleting a task,
// completion, memory, and the same edits against yaml-language-server with the format's JSON Schema.
// Each figure of issue 9 is printed with its target. Prints figures; asserts nothing.
//   node -r esbuild-register test/bench/lsp.ts
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Position } from 'vscode-languageserver-protocol/node';
import { FULL_CAPABILITIES, fileUriOf, LspClient, ROOT } from '../lsp/lsp-client';
import { generateTree, withBrokenReference } from './generate';
import { mib, percentile, summary, target } from './stats';

interface Stats {
  samples: number[];
  p50: number;
}

function stats(samples: number[]): Stats {
  return { samples, p50: percentile(samples, 50) };
}

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
const show = (s: Stats) => summary(s.samples);

function positionAt(text: string, offset: number): Position {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, character: offset - lineStart };
}

/**
 * Where to type (offsets into the text): inside a command string, at the end of a task's name (both
 * leave the graph checks alone), and inside a dependency reference (it stops resolving: the graph
 * checks re-run).
 */
function editSites(text: string): { value: number; name: number; dependency: number } {
  const middle = text.length >> 1;
  const value = text.indexOf('command: "echo ', middle) + 'command: "echo '.length;
  const name = text.indexOf('\n', text.indexOf('name: Task ', middle));
  const dependency = text.indexOf('dependencies: [t', middle) + 'dependencies: [t'.length;
  return { value, name, dependency };
}

/** How edits reach the server: as ranges, as the whole new text (what some clients send), or unversioned (yaml-language-server). */
type Sync = 'incremental' | 'full' | 'unversioned';

/** The server's resident set now and at its peak (Linux; null elsewhere). */
function processMemory(pid: number | undefined): { rss: number; peak: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kib('VmRSS'), peak: kib('VmHWM') };
  } catch {
    return null;
  }
}

const ourServer = () => LspClient.start({ nodeArgs: ['--expose-gc'] });

async function openAndWait(client: LspClient, uri: string, text: string, languageId?: string): Promise<number> {
  const started = performance.now();
  await client.open(uri, text, languageId);
  await client.nextDiagnostics(uri, 600_000);
  return performance.now() - started;
}

/**
 * Types a character at `offset` of `text` and deletes it again, alternately (an even count leaves the
 * text as it was); returns edit → diagnostics latencies.
 */
async function typeAndMeasure(client: LspClient, uri: string, text: string, offset: number, count: number, followUps: boolean, sync: Sync = 'incremental'): Promise<{ edits: Stats; followUps: Stats | null }> {
  const latencies: number[] = [];
  const after: number[] = [];
  const at = positionAt(text, offset);
  const end = { line: at.line, character: at.character + 1 };
  const typed = text.slice(0, offset) + 'x' + text.slice(offset);
  for (let i = 0; i < count; i++) {
    const insert = i % 2 === 0;
    const change = sync === 'full' ? { text: insert ? typed : text } : insert ? { range: { start: at, end: at }, text: 'x' } : { range: { start: at, end }, text: '' };
    const started = performance.now();
    const next = sync === 'unversioned' ? client.nextDiagnostics(uri, 600_000) : null;
    const version = await client.change(uri, [change]);
    await (next ?? client.waitForDiagnostics(uri, (p) => p.version === version, 600_000));
    latencies.push(performance.now() - started);
    if (followUps) {
      // What an editor asks for after each change.
      const asked = performance.now();
      await Promise.all([
        client.request('textDocument/documentSymbol', { textDocument: { uri } }),
        client.request('textDocument/codeLens', { textDocument: { uri } }),
      ]);
      after.push(performance.now() - asked);
    }
  }
  return { edits: stats(latencies), followUps: followUps ? stats(after) : null };
}

async function measureStartup(): Promise<Stats> {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    const client = await LspClient.start();
    samples.push(performance.now() - started);
    await client.stop();
  }
  return stats(samples);
}

async function serverMemory(client: LspClient): Promise<{ rss: number; heapUsed: number }> {
  return client.request('apflow/serverStatus', { collectGarbage: true });
}

/** A new task inserted after the task around `line`, then deleted again. */
async function addAndDelete(client: LspClient, uri: string, text: string, count: number): Promise<Stats> {
  const at = positionAt(text, text.indexOf('\n  - id:', text.length >> 1) + 1);
  const task = ['  - id: bench_new', '    name: Bench new task', '    parent_id: root', '    priority: 2', '    schemas: { method: command_executor }', '    inputs:', '      command: "echo new"', '    dependencies: [g0]', ''].join('\n');
  const lines = task.split('\n').length - 1;
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const change =
      i % 2 === 0
        ? { range: { start: at, end: at }, text: task }
        : { range: { start: at, end: { line: at.line + lines, character: 0 } }, text: '' };
    const started = performance.now();
    const version = await client.change(uri, [change]);
    await client.waitForDiagnostics(uri, (p) => p.version === version, 600_000);
    samples.push(performance.now() - started);
  }
  return stats(samples);
}

async function completionAtDependency(client: LspClient, uri: string, text: string, count: number): Promise<{ stats: Stats; items: number }> {
  const listAt = text.indexOf('dependencies: [t', text.length >> 1) + 'dependencies: ['.length;
  const position = positionAt(text, listAt);
  const samples: number[] = [];
  let items = 0;
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const result = await client.request<{ items: unknown[] }>('textDocument/completion', { textDocument: { uri }, position });
    samples.push(performance.now() - started);
    items = result.items.length;
  }
  return { stats: stats(samples), items };
}

async function yamlLanguageServer(size: number, text: string, edits: number): Promise<Stats | null> {
  const bin = join(ROOT, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');
  const schema = fileUriOf(join(ROOT, 'schemas', 'apflow.schema.json'));
  const yaml = { validate: true, hover: true, completion: true, schemaStore: { enable: false }, schemas: { [schema]: ['*.apflow.yaml'] } };
  let client: LspClient | null = null;
  try {
    // It needs workspace folder support, or its `initialized` handler fails before it reads its settings.
    const capabilities = { ...FULL_CAPABILITIES, workspace: { ...FULL_CAPABILITIES.workspace, workspaceFolders: true } };
    client = await LspClient.start({ command: [bin, '--stdio'], settings: { yaml }, capabilities });
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { yaml } });
    // Make sure it validates against the schema before timing it.
    const probe = fileUriOf(join(ROOT, 'probe.apflow.yaml'));
    await client.open(probe, 'tasks:\n  - id: a\n    name: A\n    priority: 9\n', 'yaml');
    const schemaApplied = await client.waitForDiagnostics(probe, (p) => p.diagnostics.length > 0, 10000).then(
      () => true,
      () => false,
    );
    await client.close(probe);
    if (!schemaApplied) throw new Error('it does not apply the schema (no diagnostic for priority: 9)');
    const uri = fileUriOf(join(ROOT, `bench-${size}.apflow.yaml`));
    const open = await openAndWait(client, uri, text, 'yaml');
    const result = await typeAndMeasure(client, uri, text, editSites(text).value, edits, false, 'unversioned');
    console.log(`  yaml-language-server ${size} tasks: open ${fmt(open)}, one-character edit → diagnostics ${show(result.edits)}`);
    return result.edits;
  } catch (error) {
    console.log(`  yaml-language-server ${size} tasks: failed: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  } finally {
    await client?.stop();
  }
}

interface EditKind {
  label: string;
  site: keyof ReturnType<typeof editSites>;
  sync: Sync;
  /** Issue 9's target at 10,000 tasks, p50 in ms. */
  target?: number;
}

/** Typing in a task's name, with or without an unknown reference in the file. */
const NAME_EDIT_TARGET = 10;

const EDITS: EditKind[] = [
  { label: 'one-character edit in a value', site: 'value', sync: 'incremental', target: 10 },
  { label: 'the same edit sent as the whole document', site: 'value', sync: 'full', target: 20 },
  { label: 'one-character edit in a task name', site: 'name', sync: 'incremental', target: NAME_EDIT_TARGET },
  { label: 'one-character edit in a dependency (graph checks re-run)', site: 'dependency', sync: 'incremental', target: 25 },
  { label: 'the same dependency edit sent as the whole document', site: 'dependency', sync: 'full', target: 25 },
];

const TARGETS_AT = 10000;
const FOLLOW_UP_TARGET = 20;
const OPEN_TARGET = 1000;
const RSS_TARGET = 250 * 2 ** 20;
const RATIO_TARGET = 100;

/** `sizes`: which tree sizes to measure (default all three). */
export async function lspBench(sizes: number[] = [1000, 10000, 50000]): Promise<void> {
  console.log('language server (dist/server.js over stdio)');
  console.log(`  start → initialize answered: ${show(await measureStartup())}`);
  const ours = new Map<number, Stats[]>();
  const plan = [
    { size: 1000, edits: 100, theirs: 10 },
    { size: 10000, edits: 100, theirs: 5 },
    { size: 50000, edits: 30, theirs: 0 },
  ].filter((p) => sizes.includes(p.size));
  for (const { size, edits } of plan) {
    const { text } = generateTree(size);
    const targets = size === TARGETS_AT;
    const client = await ourServer();
    try {
      const uri = fileUriOf(join(ROOT, `bench-${size}.apflow.yaml`));
      const open = await openAndWait(client, uri, text);
      const opened = client.diagnostics.get(uri)?.diagnostics.length ?? 0;
      const memory = await serverMemory(client);
      console.log(`  ${size} tasks (${(text.length / 2 ** 20).toFixed(1)} MiB): didOpen → first diagnostics ${fmt(open)}${targets ? ` ${target(open, OPEN_TARGET)}` : ''} (${opened} diagnostics); RSS ${mib(memory.rss)}, heap ${mib(memory.heapUsed)}`);
      const sites = editSites(text);
      const measured: Stats[] = [];
      for (const kind of EDITS) {
        const result = await typeAndMeasure(client, uri, text, sites[kind.site], edits, true, kind.sync);
        const after = result.followUps as Stats;
        measured.push(result.edits);
        const goal = (s: Stats, limit: number | undefined) => (targets && limit ? ` ${target(s.p50, limit)}` : '');
        console.log(`    ${kind.label} → diagnostics: ${show(result.edits)}${goal(result.edits, kind.target)}; then documentSymbol + codeLens: ${show(after)}${goal(after, FOLLOW_UP_TARGET)}`);
      }
      ours.set(size, measured);
      const afterTyping = processMemory(client.child.pid);
      if (afterTyping) {
        console.log(`    server RSS after ${EDITS.length * edits} edits, each followed by outline and lenses: ${mib(afterTyping.rss)}, peak ${mib(afterTyping.peak)}${targets ? ` ${target(afterTyping.peak, RSS_TARGET, mib)}` : ''}`);
      }
      if (size === 10000) {
        console.log(`    adding or deleting a task → diagnostics: ${show(await addAndDelete(client, uri, text, 40))}`);
        const completion = await completionAtDependency(client, uri, text, 50);
        console.log(`    completion at a dependency position: ${show(completion.stats)} (${completion.items} items)`);
        // The editor benchmark's tree: its unknown reference's message suggests names, which a name edit
        // could change (analysis/name-edit.ts).
        const broken = withBrokenReference(text);
        const brokenUri = fileUriOf(join(ROOT, `bench-${size}-broken.apflow.yaml`));
        await openAndWait(client, brokenUri, broken);
        const renamed = await typeAndMeasure(client, brokenUri, broken, editSites(broken).name, edits, false);
        console.log(`    one-character edit in a task name while the file has an unknown reference → diagnostics: ${show(renamed.edits)} ${target(renamed.edits.p50, NAME_EDIT_TARGET)}`);
        await client.close(brokenUri);
        const before = await serverMemory(client);
        await typeAndMeasure(client, uri, text, sites.value, 200, false);
        const after = await serverMemory(client);
        console.log(`    heap after 200 more edits: ${mib(after.heapUsed)} (growth ${((after.heapUsed - before.heapUsed) / 2 ** 20).toFixed(1)} MiB), RSS ${mib(after.rss)}`);
      }
    } finally {
      await client.stop();
    }
  }
  console.log('yaml-language-server 1.25 (same files, same edits, the format’s JSON Schema via yaml.schemas)');
  for (const { size, theirs } of plan) {
    if (!theirs) continue;
    const result = await yamlLanguageServer(size, generateTree(size).text, theirs);
    const mine = ours.get(size);
    if (!result || !mine) continue;
    const ratios = EDITS.map((kind, i) => {
      const ratio = result.p50 / mine[i].p50;
      return `1/${ratio.toFixed(0)} ${kind.label}${ratio >= RATIO_TARGET ? '' : ' (aim 1/100)'}`;
    });
    console.log(`    ratio ours/theirs at ${size} tasks (p50): ${ratios.join('; ')}`);
  }
}

if (require.main === module) {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  lspBench(sizes.length ? sizes : undefined).catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
