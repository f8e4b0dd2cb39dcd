// Turns quick fixes described by intent (FixSpec) into text edits against the current document,
// respecting how the file is written: block or flow collections, YAML or JSON quoting.
import { isMap, isSeq, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import type { FixSpec, Seg, TaskRef, Anchor } from './findings';
import type { TaskFacts } from './task-facts';
import type { QuickFix, Span, TextEdit } from './types';
import { deref, pairOf, spanOf, valueOf } from './yaml-nodes';

export interface FixContext {
  json: boolean;
  /** Resolves an anchor to its segment and segment-relative span. */
  anchor(at: Anchor): { seg: Seg; span: Span };
  task(ref: TaskRef): { seg: Seg; facts: TaskFacts } | null;
}

interface RelEdit {
  start: number;
  end: number;
  text: string;
}

const PLAIN_SAFE = /^[A-Za-z0-9_./][A-Za-z0-9_./ -]*$/;

/** A string as a scalar of this file: always quoted in JSON, quoted in YAML only when needed. */
export function scalar(value: string, json: boolean): string {
  return json || !PLAIN_SAFE.test(value) || /\s$/.test(value) || ['true', 'false', 'null', 'yes', 'no', '~'].includes(value) || /^[-.\d]/.test(value)
    ? JSON.stringify(value)
    : value;
}

const keyText = (key: string, json: boolean) => (json ? JSON.stringify(key) : key);

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEnd(text: string, offset: number): number {
  const i = text.indexOf('\n', offset);
  return i === -1 ? text.length : i;
}

/** End of the line holding the last character of [start, end), newline included. */
function pastLine(text: string, start: number, end: number): number {
  return Math.min(text.length, lineEnd(text, Math.max(end - 1, start)) + 1);
}

function onlySpaces(text: string): boolean {
  return /^[ \t]*$/.test(text);
}

/** Deletes a flow entry [start, end) together with one neighbouring comma. */
function deleteFlowEntry(text: string, start: number, end: number): RelEdit {
  let after = end;
  while (after < text.length && /[ \t]/.test(text[after])) after++;
  if (text[after] === ',') {
    after++;
    while (after < text.length && /[ \t]/.test(text[after])) after++;
    return { start, end: after, text: '' };
  }
  let before = start;
  while (before > 0 && /[ \t\n\r]/.test(text[before - 1])) before--;
  if (text[before - 1] === ',') return { start: before - 1, end, text: '' };
  return { start, end, text: '' };
}

function deletePair(text: string, span: Span): RelEdit {
  const ls = lineStart(text, span.start);
  const prefix = text.slice(ls, span.start);
  // A block value's range ends after its last line break: nothing of the next line belongs to it.
  const endsLine = span.end > span.start && text[span.end - 1] === '\n';
  const rest = endsLine ? '' : text.slice(span.end, lineEnd(text, span.end)).trim();
  if (onlySpaces(prefix) && (rest === '' || rest.startsWith('#'))) return { start: ls, end: pastLine(text, span.start, span.end), text: '' };
  if (/^[ \t]*-[ \t]+$/.test(prefix)) {
    // The first key of a sequence item: pull the next key up behind the dash.
    const next = pastLine(text, span.start, span.end);
    const column = span.start - ls;
    if (next < text.length && text.slice(next, next + column) === ' '.repeat(column)) return { start: span.start, end: next + column, text: '' };
  }
  return deleteFlowEntry(text, span.start, span.end);
}

function insertKeys(seg: Seg, map: YAMLMap, entries: { key: string; value: string }[], json: boolean): RelEdit {
  const text = seg.text;
  const range = map.range as [number, number, number];
  if (map.flow) {
    const inner = entries.map((e) => `${keyText(e.key, json)}: ${e.value}`).join(', ');
    let at = text.indexOf('{', range[0]) + 1;
    while (at < range[1] && /[ \t\r\n]/.test(text[at])) at++;
    return { start: at, end: at, text: map.items.length ? `${inner}, ` : inner };
  }
  const firstKey = spanOf(map.items[0]?.key as Node | undefined);
  const column = firstKey ? firstKey.start - lineStart(text, firstKey.start) : 0;
  const at = pastLine(text, range[0], range[1]);
  const lead = at === text.length && !text.endsWith('\n') ? '\n' : '';
  const lines = entries.map((e) => `${' '.repeat(column)}${keyText(e.key, json)}: ${e.value}\n`).join('');
  return { start: at, end: at, text: lead + lines };
}

function flowMapping(entries: { key: string; value: string }[], json: boolean): string {
  const inner = entries.map((e) => `${keyText(e.key, json)}: ${e.value}`).join(', ');
  return json ? `{${inner}}` : `{ ${inner} }`;
}

/** Adds entries to a sub-mapping of the task (`inputs`, `schemas`), creating it when absent. */
function addToSubMapping(seg: Seg, facts: TaskFacts, name: string, entries: { key: string; value: string }[], json: boolean): RelEdit {
  const sub = valueOf(facts.node, name);
  if (isMap(sub)) return insertKeys(seg, sub, entries, json);
  return insertKeys(seg, facts.node, [{ key: name, value: flowMapping(entries, json) }], json);
}

function removeDependency(seg: Seg, facts: TaskFacts, dep: number): RelEdit | null {
  const seq = facts.depsNode;
  const entry = facts.deps[dep];
  if (!isSeq(seq) || !entry) return null;
  const text = seg.text;
  if (facts.deps.length === 1) {
    const span = spanOf(seq) as Span;
    if (seq.flow) return { start: span.start, end: span.end, text: '[]' };
    // A block list ends after its last line break: write `dependencies: []` on the key's line and
    // keep that line break, or the next key would be glued to the `[]`.
    const keySpan = spanOf(pairOf(facts.node, 'dependencies')?.key as Node | undefined);
    let end = span.end;
    while (end > span.start && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
    if (!keySpan || text[keySpan.end] !== ':') return { start: span.start, end, text: '[]' };
    return { start: keySpan.end + 1, end, text: ' []' };
  }
  if (seq.flow) return deleteFlowEntry(text, entry.entrySpan.start, entry.entrySpan.end);
  const start = lineStart(text, entry.entrySpan.start);
  return { start, end: pastLine(text, entry.entrySpan.start, entry.entrySpan.end), text: '' };
}

function addDependency(seg: Seg, facts: TaskFacts, ref: string, json: boolean): RelEdit {
  const seq = facts.depsNode;
  const text = seg.text;
  const value = scalar(ref, json);
  if (isSeq(seq) && (seq as YAMLSeq).items.length) {
    const last = facts.deps[facts.deps.length - 1].entrySpan;
    if (seq.flow) return { start: last.end, end: last.end, text: `, ${value}` };
    const first = facts.deps[0].entrySpan;
    const dashLine = lineStart(text, first.start);
    const dashColumn = text.indexOf('-', dashLine) - dashLine;
    const at = pastLine(text, last.start, last.end);
    const lead = at === text.length && !text.endsWith('\n') ? '\n' : '';
    return { start: at, end: at, text: `${lead}${' '.repeat(dashColumn)}- ${value}\n` };
  }
  if (isSeq(seq)) {
    const span = spanOf(seq) as Span;
    return { start: span.start, end: span.end, text: `[${value}]` };
  }
  const pair = facts.node.items.find((p) => (p.key as { value?: unknown } | null)?.value === 'dependencies');
  if (pair) {
    const keySpan = spanOf(pair.key as Node) as Span;
    const valueSpan = spanOf(pair.value as Node | null);
    const start = keySpan.end + (text[keySpan.end] === ':' ? 1 : 0);
    return { start, end: valueSpan ? valueSpan.end : start, text: ` [${value}]` };
  }
  return insertKeys(seg, facts.node, [{ key: 'dependencies', value: `[${value}]` }], json);
}

/**
 * Marks dependency `dep` optional: `required: false` in a mapping entry (replacing `required: true`),
 * a bare reference rewritten as `{ id: ref, required: false }`.
 */
function optionalDependency(seg: Seg, facts: TaskFacts, dep: number, json: boolean): RelEdit | null {
  const entry = facts.deps[dep];
  const node = isSeq(facts.depsNode) ? deref(facts.depsNode.items[dep]) : null;
  if (!entry || !node) return null;
  if (isMap(node)) {
    const required = spanOf(valueOf(node, 'required'));
    if (required) return { start: required.start, end: required.end, text: 'false' };
    return insertKeys(seg, node, [{ key: 'required', value: 'false' }], json);
  }
  if (entry.ref === null || !entry.span) return null;
  return { start: entry.span.start, end: entry.span.end, text: flowMapping([{ key: 'id', value: scalar(entry.ref, json) }, { key: 'required', value: 'false' }], json) };
}

/** `replacement` written the way `original` (a scalar's source) was: double-quoted, single-quoted or plain. */
export function preserveQuotes(original: string, replacement: string, json: boolean): string {
  const quote = original[0];
  if (quote === '"') return JSON.stringify(replacement);
  if (quote === "'") return `'${replacement.replace(/'/g, "''")}'`;
  return scalar(replacement, json);
}

function relEdits(spec: FixSpec, ctx: FixContext): { seg: Seg; edit: RelEdit } | null {
  switch (spec.kind) {
    case 'replace': {
      const { seg, span } = ctx.anchor(spec.at);
      return { seg, edit: { start: span.start, end: span.end, text: preserveQuotes(seg.text.slice(span.start, span.end), spec.text, ctx.json) } };
    }
    case 'delete-pair': {
      const { seg, span } = ctx.anchor(spec.at);
      return { seg, edit: deletePair(seg.text, span) };
    }
    default: {
      const owner = ctx.task(spec.task);
      if (!owner) return null;
      const { seg, facts } = owner;
      const edit =
        spec.kind === 'remove-dependency'
          ? removeDependency(seg, facts, spec.dep)
          : spec.kind === 'add-dependency'
            ? addDependency(seg, facts, spec.ref, ctx.json)
            : spec.kind === 'add-key'
              ? insertKeys(seg, facts.node, [{ key: spec.key, value: spec.number ? spec.value : scalar(spec.value, ctx.json) }], ctx.json)
              : spec.kind === 'set-executor'
                ? addToSubMapping(seg, facts, 'schemas', [{ key: 'method', value: scalar(spec.executor, ctx.json) }], ctx.json)
                : spec.kind === 'optional-dependency'
                  ? optionalDependency(seg, facts, spec.dep, ctx.json)
                  : addToSubMapping(seg, facts, 'inputs', spec.entries, ctx.json);
      return edit && { seg, edit };
    }
  }
}

export function resolveFix(spec: FixSpec, ctx: FixContext): QuickFix | null {
  const resolved = relEdits(spec, ctx);
  if (!resolved) return null;
  const { seg, edit } = resolved;
  const textEdit: TextEdit = { range: { start: seg.position(edit.start), end: seg.position(edit.end) }, newText: edit.text };
  return { title: spec.title, edits: [textEdit], ...(spec.preferred ? { preferred: true } : {}) };
}
