// Language features of a test file, over its tree's analysis: diagnostics (schema and ids the tree does
// not have), completion of task and executor ids where the file expects one, definition in the tree,
// and hover showing the task a mock or an expectation names. Hosts pass the tree's snapshot (or why
// there is none); positions are LSP's.
import type { CompletionEntry, FeatureLocation, HoverResult } from '../features';
import { lineStarts, positionIn } from '../text';
import type { Diagnostic, Position, Range, Span, TaskDef, TreeModel } from '../types';
import type { TestFile, TestRef } from './model';
import { referenceDiagnostics, treeIds } from './references';

/** The tree a test file names, as its host found it. */
export type TreeView = { ok: true; path: string; name: string; text: string; model: TreeModel } | { ok: false; reason: string };

export function testFileDiagnostics(file: TestFile, tree: TreeView | null): Diagnostic[] {
  if (file.diagnostics.length > 0 || !file.tree || !tree) return file.diagnostics;
  if (!tree.ok) return [{ code: 'unknown-reference', severity: 'error', message: tree.reason, range: file.tree.range, task: null }];
  return referenceDiagnostics(file, treeIds(tree.model), tree.name);
}

const within = (p: Position, r: Range) =>
  (p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character)) &&
  (p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character));

export function refAt(file: TestFile, position: Position): TestRef | null {
  return file.refs.find((r) => within(position, r.range)) ?? null;
}

export function testDefinition(file: TestFile, tree: TreeView, position: Position): FeatureLocation[] {
  const ref = refAt(file, position);
  if (!ref || !tree.ok) return [];
  const at = spanRange(tree.text);
  if (ref.kind === 'task') {
    const def = tree.model.tasks.find((t) => t.id === ref.id);
    return def ? [{ path: tree.path, range: at(def.idSpan ?? def.span) }] : [];
  }
  const decl = tree.model.executors.find((d) => d.id === ref.id);
  if (decl) return [{ path: tree.path, range: at(decl.idSpan) }];
  return tree.model.tasks.filter((t) => t.executor === ref.id && t.executorSpan).map((t) => ({ path: tree.path, range: at(t.executorSpan as Span) }));
}

export function testHover(file: TestFile, tree: TreeView, position: Position): HoverResult | null {
  const ref = refAt(file, position);
  if (!ref || !tree.ok) return null;
  const tasks = ref.kind === 'task' ? tree.model.tasks.filter((t) => t.id === ref.id) : tree.model.tasks.filter((t) => t.executor === ref.id);
  if (tasks.length === 0) return null;
  const intro =
    ref.kind === 'executor' ? `Executor \`${ref.id}\`, used by ${tasks.length === 1 ? 'this task' : `these ${tasks.length} tasks`} of ${tree.name}:\n\n` : '';
  return { markdown: intro + tasks.map(describeTask).join('\n\n---\n\n'), range: ref.range };
}

function describeTask(def: TaskDef): string {
  const lines = [`**${def.key}**${def.name && def.name !== def.key ? ` — ${def.name}` : ''}`];
  if (def.executor) lines.push(`executor \`${def.executor}\``);
  if (def.dependencies.length) lines.push(`depends on ${def.dependencies.map((d) => `\`${d.ref}\`${d.required ? '' : ' (optional)'}`).join(', ')}`);
  const inputs = def.value.inputs;
  if (inputs !== undefined) lines.push(`inputs: \`${JSON.stringify(inputs).slice(0, 200)}\``);
  return lines.join('  \n');
}

type Slot = 'task' | 'executor' | 'mock' | null;

/** Task ids (and `executor:ID` where a mock key goes) to complete at the position, from the tree. */
export function testCompletion(text: string, position: Position, tree: TreeView): CompletionEntry[] {
  if (!tree.ok) return [];
  const lines = text.split(/\r?\n|\r/);
  const line = lines[position.line] ?? '';
  const slot = slotAt(lines, position);
  if (!slot) return [];
  // The word being typed: ids and `executor:` prefixes.
  let start = position.character;
  while (start > 0 && /[\w.:-]/.test(line[start - 1])) start--;
  const range = { start: { line: position.line, character: start }, end: position };
  const tasks = tree.model.tasks.filter((t) => t.id !== null);
  const items: CompletionEntry[] = [];
  if (slot === 'task' || slot === 'mock') {
    for (const t of tasks)
      items.push({ label: t.id as string, kind: 'reference', detail: t.name ?? undefined, insertText: t.id as string, snippet: false, range });
  }
  if (slot === 'executor' || slot === 'mock') {
    const ids = [...new Set([...tree.model.executors.map((d) => d.id), ...tree.model.tasks.flatMap((t) => (t.executor ? [t.executor] : []))])];
    const prefix = slot === 'mock' ? 'executor:' : '';
    for (const id of ids)
      items.push({ label: prefix + id, kind: 'executor', detail: `every task using ${id}`, insertText: prefix + id, snippet: false, range });
  }
  return items;
}

/**
 * What the position expects, read from the indentation of the lines above (the text being typed is
 * rarely valid YAML): a mock key, a task id (inputs, expect.tasks, blocked_by, order, overlap) or an
 * executor id (a unit case's `executor:`).
 */
function slotAt(lines: readonly string[], position: Position): Slot {
  const line = lines[position.line] ?? '';
  const before = line.slice(0, position.character);
  if (/\bblocked_by:\s*[\w.-]*$/.test(before)) return 'task';
  if (/^\s*(?:-\s+)?executor:\s*[\w.-]*$/.test(before)) return 'executor';
  if (/^\s*(?:order|overlap):.*\[/.test(before)) return 'task';
  if (/:/.test(before.replace(/executor:[\w.-]*$/, ''))) return null;
  const indent = /^\s*/.exec(line)?.[0].length ?? 0;
  for (let i = position.line - 1; i >= 0; i--) {
    const match = /^(\s*)(?:-\s+)?([\w]+):\s*(#.*)?$/.exec(lines[i]);
    const other = /^(\s*)\S/.exec(lines[i]);
    if (!other || other[1].length >= indent) continue;
    if (!match) return null;
    if (match[2] === 'mocks') return 'mock';
    if (match[2] === 'tasks') return 'task';
    // A tree case's inputs are by task id; a unit case's are the executor's own.
    if (match[2] === 'inputs') return inUnitCase(lines, i, match[1].length) ? null : 'task';
    return null;
  }
  return null;
}

/** Whether the case holding line `at` (whose keys are indented `indent`) has an `executor:` key. */
function inUnitCase(lines: readonly string[], at: number, indent: number): boolean {
  const key = (line: string) => /^(\s*)(?:-\s+)?([\w]+):/.exec(line);
  let start = at;
  while (start > 0 && !/^\s*-\s/.test(lines[start])) start--;
  for (let i = start; i < lines.length; i++) {
    const k = key(lines[i]);
    const width = /^\s*(?:-\s+)?/.exec(lines[i])?.[0].length ?? 0;
    if (i > start && /^\s*-\s/.test(lines[i]) && width <= indent) break;
    if (k && width === indent && k[2] === 'executor') return true;
  }
  return false;
}

function spanRange(text: string): (span: Span) => Range {
  const starts = lineStarts(text);
  return (span) => ({ start: positionIn(starts, span.start), end: positionIn(starts, span.end) });
}
