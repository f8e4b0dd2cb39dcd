// Hands the document state out: findings become positioned diagnostics (suppression comments
// applied, quick fixes turned into edits), and the parsed tasks become the plain TreeModel.
import type { DocumentState, ParsedTask } from './state';
import type { Anchor, Finding, Seg, Slot, TaskRef } from './findings';
import { resolveFix, type FixContext } from './fixes';
import { resolveRef, type Resolution } from './graph';
import { taskKey } from './identity';
import { fileSuppressed } from './suppress';
import type { TaskFacts } from './task-facts';
import type { Diagnostic, Range, Span, TaskDef, TreeModel } from './types';
import { spanOf, valueOf } from './yaml-nodes';

/** The line holding the start of the task's item, from its `-` (or the task's start) to the line end. */
function itemLineSpan(text: string, facts: TaskFacts): Span {
  const start = facts.range[0];
  let from = start;
  while (from > 0 && text[from - 1] === ' ') from--;
  if (text[from - 1] === '-') from--;
  else from = start;
  let end = text.indexOf('\n', start);
  if (end === -1) end = text.length;
  if (text[end - 1] === '\r') end--;
  return { start: from, end };
}

/** Where a slot points in the task's segment (`text` is the segment's text). */
export function slotSpan(facts: TaskFacts, slot: Slot, text: string): Span {
  const nameKey = facts.nameKeySpan ?? facts.firstKeySpan;
  if (typeof slot === 'object') {
    const dep = facts.deps['dep' in slot ? slot.dep : slot.depEntry];
    if (!dep) return nameKey;
    return 'dep' in slot ? (dep.span ?? dep.entrySpan) : dep.entrySpan;
  }
  switch (slot) {
    case 'nameKey':
      return nameKey;
    case 'id':
      return facts.idSpan ?? nameKey;
    case 'name':
      return facts.nameSpan ?? nameKey;
    case 'parent':
      return facts.parentSpan ?? nameKey;
    case 'executor':
      return facts.executorSpan ?? nameKey;
    case 'priority':
      return spanOf(valueOf(facts.node, 'priority')) ?? nameKey;
    case 'task': {
      return { start: facts.range[0], end: facts.range[1] };
    }
    case 'itemLine':
      return itemLineSpan(text, facts);
  }
}

/** The range of a segment-relative span, kept inside the segment (a parser may point past the end). */
function rangeOf(seg: Seg, span: Span): Range {
  const end = Math.max(0, Math.min(span.end, seg.text.length));
  return { start: seg.position(Math.min(span.start, end)), end: seg.position(end) };
}

class Resolver {
  constructor(
    private readonly state: DocumentState,
    private readonly owner: ParsedTask | null,
  ) {}

  task(ref: TaskRef): ParsedTask | null {
    return ref === 'self' ? this.owner : (this.state.tasks[ref] ?? null);
  }

  anchor(at: Anchor): { seg: Seg; span: Span } {
    if ('seg' in at) return at;
    const task = this.task(at.task);
    if (!task) return { seg: this.state.header.seg, span: { start: 0, end: 0 } };
    return { seg: task.seg, span: slotSpan(task.facts, at.slot, task.seg.text) };
  }
}

function toDiagnostic(f: Finding, state: DocumentState, owner: ParsedTask | null, json: boolean): Diagnostic {
  const resolver = new Resolver(state, owner);
  const { seg, span } = resolver.anchor(f.at);
  const diagnostic: Diagnostic = { code: f.code, severity: f.severity, message: f.message, range: rangeOf(seg, span), task: f.task };
  if (f.related?.length) {
    diagnostic.related = f.related.map((r) => {
      const at = resolver.anchor(r.at);
      return { range: rangeOf(at.seg, at.span), message: r.message };
    });
  }
  if (f.unnecessary) diagnostic.unnecessary = true;
  if (f.fixes?.length) {
    const ctx: FixContext = { json, anchor: (at) => resolver.anchor(at), task: (ref) => resolver.task(ref) };
    const fixes = f.fixes.map((spec) => resolveFix(spec, ctx)).filter((fix) => fix !== null);
    if (fixes.length) diagnostic.fixes = fixes;
  }
  return diagnostic;
}

/** Lines whose diagnostics are suppressed: line → the codes suppressed, or null for every code. */
function suppressedLines(state: DocumentState): Map<number, Set<string> | null> {
  const lines = new Map<number, Set<string> | null>();
  const add = (seg: Seg, entries: DocumentState['header']['suppressions']) => {
    for (const s of entries) {
      const line = seg.line + s.line;
      const existing = lines.get(line);
      if (s.codes === null || existing === null) lines.set(line, null);
      else lines.set(line, new Set([...(existing ?? []), ...s.codes]));
    }
  };
  add(state.header.seg, state.header.suppressions);
  for (const item of state.notable) if (item.suppressions.length) add(item.seg, item.suppressions);
  return lines;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function diagnosticsOf(state: DocumentState, json: boolean): Diagnostic[] {
  const out: Diagnostic[] = [];
  const push = (findings: readonly Finding[], owner: ParsedTask | null) => {
    for (const f of findings) out.push(toDiagnostic(f, state, owner, json));
  };
  push(state.header.findings, null);
  push(state.header.facts.findings, null);
  for (const item of state.notable) {
    if (item.findings.length) push(item.findings, item.task);
    const task = item.task;
    if (task) {
      if (task.local.length) push(task.local, task);
      if (task.declared?.findings.length) push(task.declared.findings, task);
    }
  }
  push(state.graph.findings, null);

  const wholeFile = fileSuppressed(state.text);
  const lines = suppressedLines(state);
  const kept =
    wholeFile || lines.size
      ? out.filter((d) => {
          if (d.code === 'yaml-syntax') return true;
          if (wholeFile) return false;
          const codes = lines.get(d.range.start.line);
          return codes === undefined || (codes !== null && !codes.has(d.code));
        })
      : out;
  return kept.sort(
    (a, b) =>
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      compare(a.code, b.code) ||
      compare(a.message, b.message) ||
      a.range.end.line - b.range.end.line ||
      a.range.end.character - b.range.end.character,
  );
}

function absolute(seg: Seg, span: Span | null): Span | null {
  return span && { start: seg.start + span.start, end: seg.start + span.end };
}

function taskDef(resolution: Resolution, t: ParsedTask, index: number): TaskDef {
  const { facts, seg } = t;
  const parent = resolution.parent[index];
  return {
    index,
    id: facts.id,
    name: facts.name,
    key: taskKey(facts, index),
    parentRef: facts.hasParent ? facts.parentRef : null,
    parent: parent >= 0 ? parent : null,
    dependencies: facts.deps.flatMap((d, k) => {
      if (d.ref === null) return [];
      const target = resolution.depTargets[index][k];
      return [{ ref: d.ref, required: d.required, target: target >= 0 ? target : null, span: absolute(seg, d.span ?? d.entrySpan) as Span, entrySpan: absolute(seg, d.entrySpan) as Span }];
    }),
    executor: facts.executor,
    priority: facts.priority,
    value: t.value,
    span: absolute(seg, slotSpan(facts, 'task', seg.text)) as Span,
    idSpan: absolute(seg, facts.idSpan),
    nameSpan: absolute(seg, facts.nameSpan),
    nameKeySpan: absolute(seg, facts.nameKeySpan),
    parentSpan: absolute(seg, facts.parentSpan),
    executorSpan: absolute(seg, facts.executorSpan),
  };
}

export function modelOf(state: DocumentState): TreeModel {
  // The closures below hold the tasks and the graph, not the state: holding the state would keep each
  // version's whole text alive until a full collection (+100 MiB resident at 10,000 tasks over 100 edits).
  const { header, tasks: parsed } = state;
  const { resolution } = state.graph;
  let tasks: TaskDef[] | undefined;
  return {
    shape: header.facts.shape,
    version: header.facts.version,
    target: header.facts.target.target,
    description: header.facts.description,
    get tasks() {
      tasks ??= parsed.map((t, i) => taskDef(resolution, t, i));
      return tasks;
    },
    executors: header.facts.executors.map((d) => ({
      id: d.id,
      module: d.module,
      exportName: d.exportName,
      python: d.python,
      description: d.description,
      inputSchema: d.inputSchema,
      idSpan: absolute(header.seg, d.idSpan) as Span,
      moduleSpan: absolute(header.seg, d.moduleSpan),
      pythonSpan: absolute(header.seg, d.pythonSpan),
    })),
    hooks: header.facts.hooks.map(({ list, module, exportName, python }) => ({ list, module, exportName, python })),
    requiredEnv: header.facts.requiredEnv,
    resolve(ref: string) {
      const i = resolveRef(resolution, ref);
      return i >= 0 ? this.tasks[i] : undefined;
    },
  };
}
