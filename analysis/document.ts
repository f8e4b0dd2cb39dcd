// The document model and its incremental maintenance (guides/performance.md). A file whose task
// list can be split safely is parsed one task item at a time; after an edit only the touched items
// are re-parsed, the others keep their parse and merely move (as copies: a state that a snapshot may
// hold is never changed, see state.ts), and the whole-file graph checks re-run
// only when an id, name, parent_id, dependency, executor or the header changed. Anything unusual
// (JSON, flow style, anchors, several documents, tabs) falls back to parsing the whole file.
import { isMap, isSeq, visit, type Document, type Node } from 'yaml';
import { graphFindings } from './checks/global';
import { inputProblems } from './checks/inputs';
import { taskLocalFindings } from './checks/task-local';
import { finding, rebased, Seg, type Finding } from './findings';
import { resolveAll, stronglyConnected } from './graph';
import { readHeader, type HeaderFacts } from './header';
import { workspaceInputSchema } from './python/executors';
import { NO_PYTHON } from './python/types';
import { compileUserSchema } from './schema-check';
import { nameEditIsInert, withNameEdit } from './name-edit';
import { deepestLine, isStackOverflow, isStackOverflowMessage, TOO_DEEP } from './nesting';
import { layout, splitItems, type ItemRange } from './segment';
import type { DocumentOptions, DocumentState, GraphState, HeaderPart, Item, ParsedTask } from './state';
import { resolveTarget, sameTarget, type ApflowTarget, type ResolvedTarget } from './target';
import type { PythonView } from './types';
import { findSuppressions } from './suppress';
import { graphSignature, readTaskFacts, releaseNodeTrees, structuralSignature } from './task-facts';
import { commonPrefix, commonSuffix, detached, withLoneCarriageReturnsAsNewlines } from './text';
import { readSimpleItem } from './simple-item';
import { DOCUMENT_SCHEMA, MAX_ALIAS_COUNT, parseYaml, spanOf } from './yaml-nodes';


function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function hasAnchorsOrAliases(doc: Document.Parsed, text: string): boolean {
  if (!text.includes('&') && !text.includes('*')) return false;
  let found = false;
  visit(doc, {
    Alias() {
      found = true;
      return visit.BREAK;
    },
    Node(_, node) {
      if ((node as { anchor?: string }).anchor) {
        found = true;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

function syntaxFindings(doc: Document.Parsed, seg: Seg): Finding[] {
  const out: Finding[] = [];
  let tooDeep = false;
  for (const e of doc.errors) {
    // The parser caught its own stack overflow (once per level it unwinds through): say once what it means.
    const overflow = e.code === 'RESOURCE_EXHAUSTION' && isStackOverflowMessage(e.message);
    if (overflow && tooDeep) continue;
    tooDeep ||= overflow;
    out.push(finding('yaml-syntax', overflow ? TOO_DEEP : e.message.split('\n')[0], { seg, span: { start: e.pos[0], end: Math.max(e.pos[1], e.pos[0]) } }, null));
  }
  return out;
}

/** A task read from `node`; facts read from a simple item's `simpleText` keep no node trees. */
function parseTask(node: Node, value: unknown, seg: Seg, target: ResolvedTarget, simpleText?: string): ParsedTask | null {
  if (!isMap(node)) return null;
  const facts = readTaskFacts(node, simpleText);
  const data = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const local = taskLocalFindings(facts, data, seg, target);
  releaseNodeTrees(facts);
  return { seg, facts, value: data, local, signature: graphSignature(facts), declared: null };
}

function notAMapping(node: Node | null, seg: Seg): Finding {
  return finding('schema', 'each task must be a mapping (id, name, schemas, …)', { seg, span: spanOf(node) ?? { start: 0, end: seg.text.length } }, null);
}

/** Parses one task item (its own text, starting at a line start) on its own. */
function parseItem(source: string, start: number, line: number, target: ResolvedTarget): Item {
  const text = detached(source);
  const seg = new Seg(text, start, line);
  const simple = readSimpleItem(text, DOCUMENT_SCHEMA);
  if (simple) {
    const task = parseTask(simple.node, simple.value, seg, target, text);
    return { seg, findings: [], task, suppressions: [], hasAnchors: false };
  }
  const doc = parseYaml(text);
  const findings = syntaxFindings(doc, seg);
  const root = doc.contents;
  const node = isSeq(root) ? (root.items[0] as Node | null) : null;
  let value: unknown = null;
  try {
    value = (doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown[] | null)?.[0];
  } catch {
    // An alias this item cannot resolve: the whole file is then parsed at once.
  }
  const task = node ? parseTask(node, value, seg, target) : null;
  if (!task) findings.push(notAMapping(node, seg));
  return { seg, findings, task, suppressions: findSuppressions(text, () => seg.lineTable()), hasAnchors: hasAnchorsOrAliases(doc, text) };
}

function parseHeader(text: string, taskItems: number | null, option: ApflowTarget | undefined): HeaderPart {
  const copy = detached(text);
  const seg = new Seg(copy, 0, 0);
  const doc = parseYaml(copy);
  const findings = syntaxFindings(doc, seg);
  let facts: HeaderFacts;
  try {
    doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    facts = readHeader(doc, seg, taskItems, option);
  } catch (error) {
    if (isStackOverflow(error)) throw error;
    findings.push(finding('yaml-syntax', `${error instanceof Error ? error.message : String(error)} (at most ${MAX_ALIAS_COUNT} aliases are resolved)`, { seg, span: { start: 0, end: Math.min(copy.length, copy.indexOf('\n') === -1 ? copy.length : copy.indexOf('\n')) } }, null));
    return unreadableHeader(seg, doc, findings, findSuppressions(copy, () => seg.lineTable()), option);
  }
  return { seg, doc, facts, findings, suppressions: findSuppressions(copy, () => seg.lineTable()), hasAnchors: hasAnchorsOrAliases(doc, copy), option };
}

/** A header from which nothing can be read: the file is reported by `findings` alone. */
function unreadableHeader(seg: Seg, doc: Document.Parsed, findings: Finding[], suppressions: HeaderPart['suppressions'], option: ApflowTarget | undefined): HeaderPart {
  const facts: HeaderFacts = { shape: 'invalid', version: undefined, description: null, executors: [], hooks: [], requiredEnv: [], declaredTarget: null, target: resolveTarget(null, option), tasksAnchorSpan: { start: 0, end: 0 }, findings: [] };
  return { seg, doc, facts, findings, suppressions, hasAnchors: true, option };
}

/** A file nested so deeply that reading it overflowed the stack: one yaml-syntax error at its deepest line. */
function tooDeep(text: string, option: ApflowTarget | undefined): HeaderPart {
  const seg = new Seg(text, 0, 0);
  return unreadableHeader(seg, parseYaml(''), [finding('yaml-syntax', TOO_DEEP, { seg, span: deepestLine(text) }, null)], [], option);
}

/** The whole file as one document (the safe fall-back). */
function parseWhole(text: string, option: ApflowTarget | undefined): { header: HeaderPart; items: Item[] } {
  const header = parseHeader(text, null, option);
  if (header.facts.shape === 'invalid') return { header, items: [] };
  const root = header.doc.contents;
  const list = isSeq(root) ? root : isMap(root) ? root.get('tasks', true) : null;
  if (!isSeq(list)) return { header, items: [] };
  const data = header.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown;
  const values = (Array.isArray(data) ? data : (data as { tasks?: unknown[] } | null)?.tasks) ?? [];
  const items = list.items.map((node, i): Item => {
    const task = parseTask(node as Node, values[i], header.seg, header.facts.target);
    return { seg: header.seg, findings: task ? [] : [notAMapping(node as Node, header.seg)], task, suppressions: [], hasAnchors: false };
  });
  return { header, items };
}

/**
 * The whole-file checks. `previous`: the graph before an edit, whose resolution is reused where ids
 * and names did not change (graph.ts); `dependenciesOnly`: the edit changed nothing but dependency
 * lists, so the checks that read none keep their findings.
 */
function computeGraph(tasks: readonly ParsedTask[], header: HeaderPart, options: DocumentOptions, fileDir: string | null, python: PythonView, previous?: GraphState, dependenciesOnly = false): GraphState {
  const facts = tasks.map((t) => t.facts);
  const resolution = resolveAll(facts, previous?.resolution);
  const components = stronglyConnected(resolution.edges, previous && { edges: previous.resolution.edges, components: previous.components });
  const ctx = { tasks: facts, resolution, components, header: header.facts, headerSeg: header.seg, fileDir, env: options.env, python };
  const byCheck = graphFindings(ctx, dependenciesOnly ? previous?.byCheck : undefined);
  return { python, resolution, components, findings: byCheck.flat(), byCheck };
}

function isNotable(item: Item): boolean {
  const task = item.task;
  return item.findings.length > 0 || item.suppressions.length > 0 || (task !== null && (task.local.length > 0 || (task.declared?.findings.length ?? 0) > 0));
}

function notableItems(items: readonly Item[]): Set<Item> {
  return new Set(items.filter(isNotable));
}

function tasksOf(items: readonly Item[]): ParsedTask[] {
  const tasks: ParsedTask[] = [];
  for (const item of items) if (item.task) tasks.push(item.task);
  return tasks;
}

/** The item whose range contains `offset` (items are sorted and contiguous). */
function itemIndexAt(items: readonly Item[], offset: number): number {
  let lo = 0;
  let hi = items.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (items[mid].seg.start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function itemEnd(items: readonly Item[], i: number, textLength: number): number {
  return i + 1 < items.length ? items[i + 1].seg.start : textLength;
}

/** `item` at another offset and line: a copy, so that the snapshots that hold the item keep its place. */
function moveItem(item: Item, start: number, line: number): Item {
  if (item.seg.start === start && item.seg.line === line) return item;
  const from = item.seg;
  const seg = from.moved(start, line);
  // Object literals rather than spreads: thousands of items move on every keystroke.
  const t = item.task;
  const declared = t?.declared ? { key: t.declared.key, findings: rebased(t.declared.findings, from, seg) } : null;
  const task: ParsedTask | null = t && { seg, facts: t.facts, value: t.value, local: rebased(t.local, from, seg), signature: t.signature, declared };
  return { seg, findings: rebased(item.findings, from, seg), task, suppressions: item.suppressions, hasAnchors: item.hasAnchors };
}

/**
 * The items for `ranges` of `text`, starting at `line`: an item whose text is unchanged is taken from
 * `reusable` (moved to its new place), any other is parsed.
 */
function placeItems(text: string, ranges: ItemRange[], reusable: Map<string, Item>, line: number, target: ResolvedTarget): { items: Item[]; endLine: number } {
  const items = ranges.map((range) => {
    const source = text.slice(range.start, range.end);
    const old = reusable.get(source);
    if (old) reusable.delete(source);
    const item = old ? moveItem(old, range.start, line) : parseItem(source, range.start, line, target);
    line += countNewlines(item.seg.text);
    return item;
  });
  return { items, endLine: line };
}

/**
 * invalid-inputs against workspace executor schemas, per task and cached by the schema it used: a
 * task whose cached result is for another schema (or none) gets a copy with the right one.
 */
function withDeclaredInputs(items: readonly Item[], schemaOf: (executor: string) => ReturnType<typeof workspaceInputSchema>): Item[] {
  return items.map((item) => {
    const t = item.task;
    if (!t) return item;
    const found = t.facts.executor === null ? null : schemaOf(t.facts.executor);
    const key = found ? `${t.facts.executor}\u0000${found.key}` : null;
    if ((t.declared?.key ?? null) === key) return item;
    let declared: ParsedTask['declared'] = null;
    if (found && key !== null) {
      const schema = compileUserSchema(found.schema);
      declared = { key, findings: inputProblems(schema, `\`${t.facts.executor}\``, t.facts, t.value.inputs, t.facts.node.get('inputs', true) as Node | null, t.seg) };
    }
    return { ...item, task: { ...t, declared } };
  });
}

export class DocumentModel {
  private state: DocumentState | null = null;
  private readonly fileDir: string | null;
  /** Whether the last update re-ran the whole-file checks (for tests and benchmarks). */
  lastUpdateRecomputedGraph = false;

  constructor(private readonly options: DocumentOptions) {
    const slash = Math.max(options.fileName.lastIndexOf('/'), options.fileName.lastIndexOf('\\'));
    this.fileDir = slash >= 0 ? options.fileName.slice(0, slash) || '/' : null;
  }

  private get isJson(): boolean {
    return /\.json$/i.test(this.options.fileName);
  }

  current(): DocumentState | null {
    return this.state;
  }

  /** Brings the model up to `text`, re-parsing as little as possible. Never changes an earlier state. */
  update(source: string): DocumentState {
    const text = withLoneCarriageReturnsAsNewlines(source);
    const previous = this.state;
    if (previous && previous.mode === 'full' && previous.text === text && previous.header.option === this.option) return previous;
    let next: DocumentState;
    try {
      next = (previous?.mode === 'items' && this.incremental(previous, text)) || this.fresh(text, previous);
    } catch (error) {
      if (!isStackOverflow(error)) throw error;
      const header = tooDeep(text, this.option);
      next = { text, mode: 'full', indent: 0, header, items: [], tasks: [], graph: this.graph([], header, this.pythonView()), notable: new Set() };
    }
    this.state = next;
    return next;
  }

  /**
   * Re-runs the whole-file checks, e.g. after a workspace executor module appeared or disappeared;
   * everything when the host's target changed (the task checks depend on it).
   */
  refresh(): DocumentState | null {
    if (!this.state) return null;
    if (this.state.header.option !== this.option) return this.update(this.state.text);
    const python = this.pythonView();
    const items = withDeclaredInputs(this.state.items, this.schemas(this.state.header.facts, python));
    const tasks = tasksOf(items);
    this.state = { ...this.state, items, tasks, notable: notableItems(items), graph: this.graph(tasks, this.state.header, python) };
    return this.state;
  }

  /** The host's target as it is now (the setting may change while the document is open). */
  private get option(): ApflowTarget | undefined {
    return this.options.env.target;
  }

  private graph(tasks: readonly ParsedTask[], header: HeaderPart, python: PythonView, previous?: GraphState, dependenciesOnly = false): GraphState {
    this.lastUpdateRecomputedGraph = true;
    return computeGraph(tasks, header, this.options, this.fileDir, python, previous, dependenciesOnly);
  }

  private pythonView(): PythonView {
    return this.options.env.python?.(this.fileDir) ?? NO_PYTHON;
  }

  private schemas(header: HeaderFacts, python: PythonView): (executor: string) => ReturnType<typeof workspaceInputSchema> {
    return (executor) => workspaceInputSchema(executor, header, python);
  }

  private fresh(text: string, previous: DocumentState | null): DocumentState {
    const python = this.pythonView();
    const lay = this.isJson ? null : layout(text);
    if (lay) {
      const headerText = text.slice(0, lay.items[0].start);
      const option = this.option;
      const header =
        previous?.mode === 'items' && previous.header.seg.text === headerText && previous.header.option === option ? previous.header : parseHeader(headerText, lay.items.length, option);
      const target = header.facts.target;
      // An item's checks depend on the target: keep the old parses only while it stays the same.
      const reusable = new Map<string, Item>();
      if (previous?.mode === 'items' && sameTarget(previous.header.facts.target, target)) for (const item of previous.items) reusable.set(item.seg.text, item);
      const placed = placeItems(text, lay.items, reusable, countNewlines(headerText), target).items;
      if (!header.hasAnchors && !placed.some((i) => i.hasAnchors)) {
        const items = withDeclaredInputs(placed, this.schemas(header.facts, python));
        const tasks = tasksOf(items);
        const graph = this.graph(tasks, header, python);
        return { text, mode: 'items', indent: lay.indent, header, items, tasks, graph, notable: notableItems(items) };
      }
    }
    const whole = parseWhole(text, this.option);
    const { header } = whole;
    const items = withDeclaredInputs(whole.items, this.schemas(header.facts, python));
    const tasks = tasksOf(items);
    const graph = this.graph(tasks, header, python);
    return { text, mode: 'full', indent: 0, header, items, tasks, graph, notable: notableItems(items) };
  }

  /** Re-parses only the items an edit touched; null when the edit needs a fresh look at the layout. */
  private incremental(previous: DocumentState, text: string): DocumentState | null {
    if (previous.header.option !== this.option) return null;
    const old = previous.text;
    const prefix = commonPrefix(old, text);
    if (prefix === old.length && old.length === text.length) return previous;
    const suffix = commonSuffix(old, text, prefix);
    const oldEnd = old.length - suffix;
    const delta = text.length - old.length;
    const { items, header } = previous;
    // An edit that reaches the header, or the very start of the first item, may change the layout.
    if (prefix - 1 < items[0].seg.start) return null;
    let first = itemIndexAt(items, prefix - 1);
    // Text inserted in the indentation of an item's first line (a pasted comment or blank line) ends
    // up in the item before it: re-split from there rather than give up on the edit.
    if (first > 0 && prefix - items[first].seg.start <= previous.indent) first--;
    const last = oldEnd >= old.length ? items.length - 1 : itemIndexAt(items, oldEnd);
    const regionStart = items[first].seg.start;
    const regionEnd = itemEnd(items, last, old.length) + delta;
    const ranges = splitItems(text, regionStart, regionEnd, previous.indent);
    if (!ranges) return null;

    const replaced = items.slice(first, last + 1);
    const byText = new Map(replaced.map((item) => [item.seg.text, item]));
    const firstLine = items[first].seg.line;
    const placed = placeItems(text, ranges, byText, firstLine, header.facts.target);
    if (placed.items.some((item) => item.hasAnchors)) return null;
    const fresh = withDeclaredInputs(placed.items, this.schemas(header.facts, previous.graph.python));
    const oldLines = replaced.reduce((n, item) => n + countNewlines(item.seg.text), 0);
    const lineDelta = placed.endLine - firstLine - oldLines;

    // New arrays and moved copies for everything after the edit: the previous state stays as it was.
    const next: Item[] = items.slice(0, first);
    next.push(...fresh);
    const notable = new Set<Item>();
    for (const item of previous.notable) if (item.seg.start < regionStart) notable.add(item);
    for (const item of fresh) if (isNotable(item)) notable.add(item);
    for (let i = last + 1; i < items.length; i++) {
      const moved = moveItem(items[i], items[i].seg.start + delta, items[i].seg.line + lineDelta);
      if (previous.notable.has(items[i])) notable.add(moved);
      next.push(moved);
    }
    const tasks = tasksOf(next);

    const oldTasks = tasksOf(replaced);
    const newTasks = tasksOf(fresh);
    const firstTask = oldTasks.length ? previous.tasks.indexOf(oldTasks[0]) : -1;
    const renamed = (i: number) => nameEditIsInert(previous.graph, previous.tasks, firstTask + i, oldTasks[i].facts, newTasks[i].facts);
    const graphChanged = oldTasks.length !== newTasks.length || newTasks.some((t, i) => t.signature !== oldTasks[i].signature && !renamed(i));
    let graph = previous.graph;
    if (graphChanged) {
      const dependenciesOnly = oldTasks.length === newTasks.length && newTasks.every((t, i) => t.signature === oldTasks[i].signature || structuralSignature(t.facts) === structuralSignature(oldTasks[i].facts));
      graph = this.graph(tasks, header, previous.graph.python, previous.graph, dependenciesOnly);
    }
    else {
      this.lastUpdateRecomputedGraph = false;
      newTasks.forEach((t, i) => {
        if (t.signature !== oldTasks[i].signature) graph = withNameEdit(graph, firstTask + i, oldTasks[i].facts, t.facts);
      });
    }
    return { text, mode: 'items', indent: previous.indent, header, items: next, tasks, graph, notable };
  }
}
