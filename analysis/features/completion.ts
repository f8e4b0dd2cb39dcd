// Completion (spec 2.3): keys valid at the cursor, executor ids, task references that cannot close a
// cycle, enum values, the inputs of the task's executor, and a snippet for a new task. The context is
// read from the text (cursor.ts), so an unfinished line at the cursor still gets completions; the parse
// of the rest of the file supplies the tasks, the graph and the executor of the task being edited.
import type { DocumentState } from '../state';
import { scalar } from '../fixes';
import type { Range } from '../types';
import { TARGETS } from '../target';
import { jsonCursor, yamlCursor, type CursorContext, type WalkLimit } from './cursor';
import { allExecutors, executorInfo, executorMarkdown, inputsFor, whereItRuns, type InputInfo } from './executors';
import { dependentsClosure, descendantsClosure } from './graph-index';
import { lastAtOrBefore, lineStartOf, rangeOf } from './positions';
import { ITEM, keySchema, keysOf, oneLine, PRIORITY_LABELS, scopeOf, withinTask, type Scope } from './scope';
import { taskListPath } from './locate';
import { taskAt, taskRef } from './tasks';
import { keysOf as presentKeys } from '../task-facts';
import { valueOf } from '../yaml-nodes';

export interface CompletionEntry {
  label: string;
  kind: 'key' | 'value' | 'reference' | 'executor' | 'snippet';
  /** One line shown beside the label: short, since the suggest widget wraps it mid-word. */
  detail?: string;
  /** A word or two right of the label in the list (LSP labelDetails): what sets the item apart, e.g. `apflow server`. */
  note?: string;
  /** Markdown. */
  documentation?: string;
  /** Text that replaces `range`; a snippet (with `$1` placeholders) when `snippet` is set. */
  insertText: string;
  snippet: boolean;
  range: Range;
  sortText?: string;
  filterText?: string;
  /** A value follows: the editor may open completion again right after inserting. */
  retrigger?: boolean;
}

export interface CompletionList {
  items: CompletionEntry[];
  /** More candidates exist than were returned: ask again as the user types. */
  isIncomplete: boolean;
}

/** Above this many candidate references, only those matching what is typed are returned. */
const MAX_REFERENCE_ITEMS = 1000;

interface Request {
  state: DocumentState;
  ctx: CursorContext;
  json: boolean;
  /** The task the cursor is in, or -1. */
  self: number;
  range: Range;
}

function escapeSnippet(text: string): string {
  return text.replace(/[\\$}]/g, (c) => `\\${c}`);
}

/** A value as this file writes it at the cursor: bare inside quotes, else quoted when needed. */
function valueText(req: Request, value: unknown): string {
  if (typeof value !== 'string') return JSON.stringify(value);
  if (req.ctx.quoted) return JSON.stringify(value).slice(1, -1);
  return scalar(value, req.json);
}

function entry(req: Request, fields: Omit<CompletionEntry, 'range' | 'snippet'> & { snippet?: boolean }): CompletionEntry {
  return { snippet: false, range: req.range, ...fields };
}

/** The longest `detail` the suggest widget shows on one line beside a label at its default width. */
const DETAIL_MAX = 60;

// ---- keys -------------------------------------------------------------------------------------------

const BLOCK_KEYS = new Set(['schemas', 'params', 'inputs', 'executors', 'input_schema', 'output_schema']);
const VALUE_COMPLETED = new Set(['parent_id', 'priority', 'backoff_strategy', 'schedule_type', 'schedule_enabled', 'required', 'type', 'version', 'apflow_version', 'method', 'executor_id', 'id', 'name']);

function keyInsert(req: Request, scope: Scope, key: string): { text: string; retrigger: boolean } {
  const { ctx, json } = req;
  if (json) return { text: `"${key}": $0`, retrigger: false };
  const written = scalar(key, false);
  if (ctx.flow) return { text: `${written}: $0`, retrigger: false };
  const inner = ' '.repeat(ctx.column + 2);
  if (scope.kind === 'task' && key === 'schemas') return { text: `schemas:\n${inner}method: $0`, retrigger: true };
  if (scope.kind === 'task' && key === 'dependencies') return { text: 'dependencies: [$0]', retrigger: true };
  if (BLOCK_KEYS.has(key)) return { text: `${written}:\n${inner}$0`, retrigger: key === 'inputs' };
  const retrigger = VALUE_COMPLETED.has(key) && !(scope.kind === 'task' && (key === 'id' || key === 'name'));
  return { text: `${written}: $0`, retrigger };
}

function keyEntries(req: Request, scope: Scope, present: Set<string>): CompletionEntry[] {
  return keysOf(scope)
    .filter((key) => !present.has(key))
    .map((key, order) => {
      const schema = keySchema(scope, key);
      const insert = keyInsert(req, scope, key);
      return entry(req, {
        label: key,
        kind: 'key',
        detail: brief(oneLine(schema?.description)),
        documentation: schema?.description,
        insertText: insert.text,
        snippet: true,
        sortText: String(order).padStart(5, '0'),
        retrigger: insert.retrigger,
      });
    });
}

function snippetDefault(input: InputInfo): string {
  if (input.enum?.length) {
    const values = input.enum.map((v) => String(v));
    const first = 'default' in input ? String(input.default) : values[0];
    return `\${1|${[first, ...values.filter((v) => v !== first)].map((v) => v.replace(/[|,\\$}]/g, (c) => `\\${c}`)).join(',')}|}`;
  }
  if (input.type === 'boolean') return `\${1|${String(input.default ?? true)},${String(!(input.default ?? true))}|}`;
  if ('default' in input) return `\${1:${escapeSnippet(typeof input.default === 'string' ? input.default : JSON.stringify(input.default))}}`;
  return '$1';
}

function inputEntries(req: Request, inputs: InputInfo[], present: Set<string>): CompletionEntry[] {
  const { ctx, json } = req;
  return inputs
    .filter((input) => !present.has(input.key))
    .map((input, order) => {
      let text: string;
      const key = json ? `"${input.key}"` : scalar(input.key, false);
      if (!json && !ctx.flow && input.type === 'object' && !('default' in input)) text = `${key}:\n${' '.repeat(ctx.column + 2)}$0`;
      else if (input.type === 'array' && !('default' in input)) text = `${key}: [$1]`;
      else text = `${key}: ${json && (input.type === 'string' || input.enum) ? `"${snippetDefault(input)}"` : snippetDefault(input)}`;
      const facts = [input.type, input.required ? 'required' : 'optional', 'default' in input ? `default ${JSON.stringify(input.default)}` : ''].filter(Boolean);
      return entry(req, {
        label: input.key,
        kind: 'key',
        detail: facts.join(' · '),
        documentation: input.description ?? undefined,
        insertText: text,
        snippet: true,
        sortText: `${input.required ? 0 : 1}${String(order).padStart(5, '0')}`,
      });
    });
}

// ---- values -----------------------------------------------------------------------------------------

function enumEntries(req: Request, values: readonly unknown[], detail: (v: unknown) => string | undefined = () => undefined): CompletionEntry[] {
  return values.map((value, order) =>
    entry(req, { label: String(value), kind: 'value', detail: detail(value), insertText: valueText(req, value), sortText: String(order).padStart(5, '0') }),
  );
}

function executorEntries(req: Request): CompletionEntry[] {
  return allExecutors(req.state).map((info, order) =>
    entry(req, {
      label: info.id,
      kind: 'executor',
      detail: info.declared ? `workspace executor · ${whereItRuns(info)}` : info.registered ? brief(`Python executor${info.description ? ` · ${info.description}` : ''}`) : whereItRuns(info),
      ...(info.local ? {} : { note: 'apflow server' }),
      documentation: executorMarkdown(info, inputsFor(req.state, info.id, null)),
      insertText: valueText(req, info.id),
      // Local executors first: they are the ones a tree can run in the editor.
      sortText: `${info.local ? 0 : 1}${String(order).padStart(5, '0')}`,
    }),
  );
}

/** The one line beside a task reference: its name (the suggest widget wraps a long detail mid-word). */
function referenceDetail(state: DocumentState, j: number): string {
  const { facts } = state.tasks[j];
  return brief(facts.name ?? facts.executor ?? '(no name)');
}

/** The rest of what a reference is, in its documentation. */
function referenceDocumentation(state: DocumentState, j: number): string {
  const { facts } = state.tasks[j];
  const info = facts.executor === null ? null : executorInfo(state, facts.executor);
  const executor = facts.executor === null ? 'none' : `\`${facts.executor}\`${info ? ` — ${whereItRuns(info)}` : ''}`;
  const priority = `${facts.priority}${PRIORITY_LABELS[facts.priority] ? ` (${PRIORITY_LABELS[facts.priority]})` : ''}`;
  return [`**${facts.name ?? '(no name)'}**`, `Executor: ${executor}`, `Priority: ${priority}`].join('  \n');
}

/** At most DETAIL_MAX characters, cut at a word. */
function brief(text: string): string {
  if (text.length <= DETAIL_MAX) return text;
  const cut = text.lastIndexOf(' ', DETAIL_MAX - 1);
  return `${text.slice(0, cut > DETAIL_MAX / 2 ? cut : DETAIL_MAX - 1)}…`;
}

/**
 * Tasks the task `self` may reference: never itself; for a dependency, not those already listed nor any
 * that depends on it (that would close a cycle); for a parent, not its descendants (a parent loop).
 */
function referenceEntries(req: Request, kind: 'dependency' | 'parent', wrap: (text: string) => string = (t) => t): { items: CompletionEntry[]; incomplete: boolean } {
  const { state, self, ctx } = req;
  const n = state.tasks.length;
  let excluded: Uint8Array = new Uint8Array(n);
  if (self >= 0) {
    if (kind === 'parent') excluded = descendantsClosure(state, self);
    else {
      excluded = dependentsClosure(state, self);
      const task = state.tasks[self];
      const rel = ctx.replace.start - task.seg.start;
      const targets = state.graph.resolution.depTargets[self] ?? [];
      task.facts.deps.forEach((dep, k) => {
        const underCursor = dep.span !== null && rel >= dep.span.start && rel <= dep.span.end;
        if (!underCursor && targets[k] >= 0) excluded[targets[k]] = 1;
      });
    }
  }
  const prefix = ctx.prefix.toLowerCase();
  const candidates: number[] = [];
  for (let j = 0; j < n; j++) if (!excluded[j] && taskRef(state, j) !== null) candidates.push(j);
  let chosen = candidates;
  let incomplete = false;
  if (candidates.length > MAX_REFERENCE_ITEMS) {
    chosen = candidates.filter((j) => {
      const t = state.tasks[j].facts;
      return (t.id ?? '').toLowerCase().includes(prefix) || (t.name ?? '').toLowerCase().includes(prefix);
    });
    // The nearest tasks in the file are the likeliest references.
    if (self >= 0) chosen.sort((a, b) => Math.abs(a - self) - Math.abs(b - self));
    incomplete = chosen.length > MAX_REFERENCE_ITEMS;
    chosen = chosen.slice(0, MAX_REFERENCE_ITEMS);
  }
  const width = String(n).length;
  const items = chosen.map((j) => {
    const ref = taskRef(state, j) as string;
    const name = state.tasks[j].facts.name;
    return entry(req, {
      label: ref,
      kind: 'reference',
      detail: referenceDetail(state, j),
      documentation: referenceDocumentation(state, j),
      insertText: wrap(valueText(req, ref)),
      sortText: String(self >= 0 ? Math.abs(j - self) : j).padStart(width, '0'),
      filterText: name && name !== ref ? `${ref} ${name}` : ref,
    });
  });
  return { items, incomplete };
}

function valueEntries(req: Request, scope: Scope, key: string): { items: CompletionEntry[]; incomplete: boolean } {
  const done = (items: CompletionEntry[]) => ({ items, incomplete: false });
  switch (scope.kind) {
    case 'task':
      if (key === 'parent_id') return referenceEntries(req, 'parent');
      if (key === 'dependencies') return referenceEntries(req, 'dependency', (t) => (req.ctx.quoted ? t : `[${t}]`));
      if (key === 'priority') return done(enumEntries(req, [0, 1, 2, 3], (v) => PRIORITY_LABELS[v as number]));
      if (key === 'schedule_enabled') return done(enumEntries(req, [true, false]));
      break;
    case 'schemas':
      if (key === 'method') return done(executorEntries(req));
      break;
    case 'params':
      if (key === 'executor_id') return done(executorEntries(req));
      break;
    case 'root':
      if (key === 'apflow_version') return done(enumEntries(req, TARGETS, (v) => (v === req.state.header.facts.target.target ? `apflow ${String(v)} · the current target` : `apflow ${String(v)}`)));
      break;
    case 'dependency':
      if (key === 'id' || key === 'name') return referenceEntries(req, 'dependency');
      if (key === 'required') return done(enumEntries(req, [true, false], (v) => (v ? 'run only if the dependency completed' : 'run whatever its outcome')));
      break;
    case 'inputs': {
      const input = taskInputs(req).find((i) => i.key === key);
      if (input?.enum) return done(enumEntries(req, input.enum));
      if (input?.type === 'boolean') return done(enumEntries(req, [true, false]));
      if (input && 'default' in input && input.default !== null && typeof input.default !== 'object') return done(enumEntries(req, [input.default], () => 'default'));
      return done([]);
    }
    default:
      break;
  }
  const schema = keySchema(scope, key);
  if (schema?.enum) return done(enumEntries(req, schema.enum.filter((v: unknown) => v !== null)));
  if (schema?.type === 'boolean') return done(enumEntries(req, [true, false]));
  return done([]);
}

// ---- the task being edited --------------------------------------------------------------------------

function taskInputs(req: Request): InputInfo[] {
  if (req.self < 0) return [];
  const task = req.state.tasks[req.self];
  const own = (task.value.schemas as { input_schema?: unknown } | null | undefined)?.input_schema;
  return inputsFor(req.state, task.facts.executor, own);
}

function presentInTask(req: Request, path: string[]): Set<string> {
  const present = new Set(req.ctx.siblings);
  if (req.self >= 0) {
    let node: unknown = req.state.tasks[req.self].facts.node;
    for (const step of path) node = valueOf(node, step);
    for (const { name } of presentKeys(node)) present.add(name);
  }
  return present;
}

function newTaskSnippet(req: Request): CompletionEntry | null {
  if (req.json || req.ctx.flow) return null;
  const { state, ctx } = req;
  const indent = ' '.repeat(ctx.column);
  const root = state.tasks.findIndex((t) => !t.facts.hasParent);
  const rootRef = root >= 0 ? taskRef(state, root) : null;
  const lines = [
    `${ctx.dash ? '' : '- '}id: \${1:new_task}`,
    `name: \${2:New task}`,
    ...(rootRef ? [`parent_id: \${3:${escapeSnippet(scalar(rootRef, false))}}`] : []),
    'schemas:',
    `  method: \${4:command_executor}`,
    'inputs:',
    `  command: \${5:echo hello}`,
  ];
  const pad = ctx.dash ? indent : `${indent}  `;
  return entry(req, {
    label: 'New task',
    kind: 'snippet',
    detail: 'id, name, parent_id, executor and inputs',
    insertText: lines.map((l, i) => (i === 0 ? l : `${pad}${l}`)).join('\n') + '$0',
    snippet: true,
    sortText: '000',
  });
}

// ---- entry point ------------------------------------------------------------------------------------

function cursorAt(state: DocumentState, offset: number, json: boolean): CursorContext | null {
  const listPath = taskListPath(state);
  const self = taskAt(state, offset);
  if (json) {
    if (self >= 0) {
      const task = state.tasks[self];
      return jsonCursor(state.text, offset, task.seg.start + task.facts.range[0], [...listPath, ITEM]);
    }
    const start = state.text.search(/[[{]/);
    return start >= 0 && start < offset ? jsonCursor(state.text, offset, start, []) : null;
  }
  // Walk up no further than the first line of the task item around the cursor.
  let limit: WalkLimit | null = null;
  if (state.mode === 'items') {
    const item = lastAtOrBefore(state.items, offset, (i) => i.seg.start);
    if (item >= 0) limit = { lineStart: state.items[item].seg.start, path: listPath };
  } else if (self >= 0) {
    const task = state.tasks[self];
    const start = task.seg.start + task.facts.range[0];
    limit = { lineStart: lineStartOf(state.text, start), path: listPath };
  }
  return yamlCursor(state.text, offset, limit);
}

export function complete(state: DocumentState, offset: number, json: boolean): CompletionList {
  const ctx = cursorAt(state, offset, json);
  if (!ctx) return { items: [], isIncomplete: false };
  const req: Request = { state, ctx, json, self: taskAt(state, offset), range: rangeOf(state, ctx.replace) };
  const shape = state.header.facts.shape === 'invalid' ? 'mapping' : state.header.facts.shape;
  const none = { items: [] as CompletionEntry[], isIncomplete: false };

  if (ctx.role === 'value') {
    const scope = scopeOf(ctx.path.slice(0, -1), shape);
    const result = valueEntries(req, scope, ctx.path[ctx.path.length - 1]);
    return { items: result.items, isIncomplete: result.incomplete };
  }
  const scope = scopeOf(ctx.path, shape);
  if (ctx.role === 'item') {
    if (scope.kind === 'dependencies') {
      const result = referenceEntries(req, 'dependency');
      return { items: result.items, isIncomplete: result.incomplete };
    }
    if (scope.kind === 'tasks') {
      const snippet = newTaskSnippet(req);
      const keys = keyEntries(req, { kind: 'task' }, new Set());
      return { items: snippet ? [snippet, ...keys] : keys, isIncomplete: false };
    }
    return none;
  }
  // A key.
  const inTask = withinTask(ctx.path, shape);
  switch (scope.kind) {
    case 'inputs':
      return { items: inputEntries(req, taskInputs(req), presentInTask(req, ['inputs'])), isIncomplete: false };
    case 'task':
    case 'schemas':
    case 'params':
    case 'dependency':
      return { items: keyEntries(req, scope, inTask && scope.kind !== 'dependency' ? presentInTask(req, inTask) : new Set(ctx.siblings)), isIncomplete: false };
    case 'root':
    case 'declaration':
      return { items: keyEntries(req, scope, new Set(ctx.siblings)), isIncomplete: false };
    default:
      return none;
  }
}
