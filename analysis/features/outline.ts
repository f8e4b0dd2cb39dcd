// The outline views of a tree (spec 2.3): document symbols nested by parent_id, call hierarchy over
// dependencies (incoming = dependents, outgoing = dependencies), and the static code lens
// `N dependents · M dependencies` above each task.
import type { DocumentState, ParsedTask } from '../state';
import type { TaskFacts } from '../task-facts';
import type { Range, Span } from '../types';
import { graphIndex } from './graph-index';
import { locate } from './locate';
import { targetTask, taskDefinitionSpan } from './navigation';
import { lineStartOf, rangeOf, segmentRange } from './positions';
import { absolute, taskLabel, taskRef } from './tasks';
import { executorInfo } from './executors';

export interface TaskItem {
  task: number;
  /** The id (or name) that finds the task again in a later version of the document. */
  key: string | null;
  name: string;
  /** The executor id. */
  detail: string;
  /** The whole task, from the line of its `-`. */
  range: Range;
  /** Its name (or id). */
  selectionRange: Range;
}

/** A task of the outline and the tasks nested under it; `item` is shared by versions that left it as it was. */
export interface SymbolNode {
  readonly item: TaskItem;
  readonly children: SymbolNode[];
}

/** The task's mapping from the start of its first line, relative to its segment. */
function taskSpan(task: ParsedTask): Span {
  const range = task.facts.range;
  return { start: lineStartOf(task.seg.text, range[0]), end: range[1] };
}

export function taskItem(state: DocumentState, j: number): TaskItem {
  const task = state.tasks[j];
  const { facts } = task;
  const selection = facts.nameSpan ?? facts.idSpan ?? facts.firstKeySpan;
  return {
    task: j,
    key: taskRef(state, j),
    name: taskLabel(state, j),
    detail: facts.executor ?? '',
    range: segmentRange(task.seg, taskSpan(task)),
    selectionRange: segmentRange(task.seg, selection),
  };
}

const MAX_SYMBOL_DEPTH = 50;

/**
 * The outline's item of each task as last computed, with the line its segment started on. An edit keeps
 * the facts of every task it did not touch (moved copies share them), so the next outline recomputes
 * only the edited task and, when lines were added or removed, those after it. The items are plain,
 * never changed after they are built, and shared by the snapshots that list them.
 */
const outlineItems = new WeakMap<TaskFacts, { task: number; line: number; item: TaskItem }>();

function outlineItem(state: DocumentState, j: number): TaskItem {
  const { facts, seg } = state.tasks[j];
  const known = outlineItems.get(facts);
  if (known && known.task === j && known.line === seg.line) return known.item;
  const item = taskItem(state, j);
  outlineItems.set(facts, { task: j, line: seg.line, item });
  return item;
}

/**
 * An outline as built, with what the next version needs to rebuild only what changed: each task's
 * parent as resolved, and the node each task's node hangs in (-1 at the top).
 */
interface BuiltOutline {
  /** Each task's facts and the line its segment started on, which its item was built from. */
  readonly facts: readonly TaskFacts[];
  readonly lines: Int32Array;
  readonly parent: Int32Array;
  readonly nodes: readonly SymbolNode[];
  readonly holder: Int32Array;
  /** Task indexes in the order they were attached: holders before what they hold. */
  readonly order: Int32Array;
  readonly tops: SymbolNode[];
}

/**
 * The last outline of each document, keyed by its header part (shared by the versions of one document
 * whose header an edit left alone, never by two documents).
 */
const lastOutline = new WeakMap<DocumentState['header'], BuiltOutline>();

function sameParents(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Tasks as a tree following parent_id; tasks whose parent does not resolve (or loops) at the top.
 * When the parents are those of the document's last outline, only the nodes of changed items and
 * their ancestors are new (an outline node is never changed once built); otherwise it is built anew.
 */
export function documentSymbols(state: DocumentState): SymbolNode[] {
  const last = lastOutline.get(state.header);
  const n = state.tasks.length;
  const facts = state.tasks.map((t) => t.facts);
  const lines = new Int32Array(n);
  const items = state.tasks.map((task, j) => {
    lines[j] = task.seg.line;
    // The last outline's item where the task kept its place: a pass over arrays, not a lookup per task.
    return last && last.facts[j] === task.facts && last.lines[j] === task.seg.line ? last.nodes[j].item : outlineItem(state, j);
  });
  const built = last && sameParents(last.parent, state.graph.resolution.parent) ? rebuilt(last, items, facts, lines) : buildOutline(state, items, facts, lines);
  lastOutline.set(state.header, built);
  return built.tops;
}

/** `last` with the nodes whose item changed, and their holders up to the top, replaced. */
function rebuilt(last: BuiltOutline, items: readonly TaskItem[], facts: readonly TaskFacts[], lines: Int32Array): BuiltOutline {
  const n = items.length;
  const dirty = new Uint8Array(n);
  let any = false;
  for (let j = 0; j < n; j++) {
    if (last.nodes[j].item === items[j] || dirty[j]) continue;
    any = true;
    for (let k = j; k >= 0 && !dirty[k]; k = last.holder[k]) dirty[k] = 1;
  }
  if (!any) return { ...last, facts, lines };
  const nodes = last.nodes.slice();
  // Holders come before what they hold in `order`: walking it backwards, children are new first.
  for (let o = n - 1; o >= 0; o--) {
    const j = last.order[o];
    if (dirty[j]) nodes[j] = { item: items[j], children: last.nodes[j].children.map((c) => nodes[c.item.task]) };
  }
  const tops = last.tops.map((top) => nodes[top.item.task]);
  return { ...last, facts, lines, nodes, tops };
}

function buildOutline(state: DocumentState, items: readonly TaskItem[], facts: readonly TaskFacts[], lines: Int32Array): BuiltOutline {
  const n = state.tasks.length;
  const { children } = graphIndex(state);
  const { parent } = state.graph.resolution;
  const nodes: SymbolNode[] = items.map((item) => ({ item, children: [] }));
  const holder = new Int32Array(n).fill(-1);
  const order = new Int32Array(n);
  let attached = 0;
  const visited = new Uint8Array(n);
  const tops: SymbolNode[] = [];
  // Iterative, so that a 20,000-deep parent chain cannot overflow the stack; `visited` cuts parent loops.
  // Below MAX_SYMBOL_DEPTH, descendants are listed flat under the deepest shown ancestor: clients and
  // JSON serialisers recurse over the nesting.
  const attach = (root: number) => {
    visited[root] = 1;
    order[attached++] = root;
    tops.push(nodes[root]);
    const stack: { task: number; depth: number; holder: number }[] = [{ task: root, depth: 0, holder: root }];
    while (stack.length) {
      const { task, depth, holder: above } = stack.pop() as (typeof stack)[number];
      const receiver = depth < MAX_SYMBOL_DEPTH ? task : above;
      for (const c of children[task]) {
        if (visited[c]) continue;
        visited[c] = 1;
        order[attached++] = c;
        holder[c] = receiver;
        nodes[receiver].children.push(nodes[c]);
        stack.push({ task: c, depth: depth + 1, holder: receiver });
      }
    }
  };
  for (let j = 0; j < n; j++) if (parent[j] < 0) attach(j);
  for (let j = 0; j < n; j++) if (!visited[j]) attach(j);
  return { facts, lines, parent, nodes, holder, order, tops };
}

// ---- call hierarchy ---------------------------------------------------------------------------------

export interface HierarchyCall {
  item: TaskItem;
  /** The dependency entries that make the call. */
  fromRanges: Range[];
}

export function prepareCallHierarchy(state: DocumentState, offset: number): TaskItem[] {
  const j = targetTask(locate(state, offset));
  return j === null ? [] : [taskItem(state, j)];
}

/** A task again from an item of an earlier version: by its id or name, else by position. */
export function findTask(state: DocumentState, key: string | null, index: number): number | null {
  if (key !== null) {
    const { byId, byName } = state.graph.resolution;
    const found = byId.get(key) ?? byName.get(key);
    if (found !== undefined) return found;
  }
  return index >= 0 && index < state.tasks.length && taskRef(state, index) === key ? index : null;
}

function depRange(state: DocumentState, i: number, dep: number): Range | null {
  const task = state.tasks[i];
  const span = task.facts.deps[dep]?.span ?? task.facts.deps[dep]?.entrySpan;
  return span ? rangeOf(state, absolute(task, span)) : null;
}

/** The tasks that depend on task `j`, each with the entries naming it. */
export function incomingCalls(state: DocumentState, j: number): HierarchyCall[] {
  const calls = new Map<number, Range[]>();
  for (const { task, dep } of graphIndex(state).incoming[j]) {
    const range = depRange(state, task, dep);
    if (range) calls.set(task, [...(calls.get(task) ?? []), range]);
  }
  return [...calls].map(([task, fromRanges]) => ({ item: taskItem(state, task), fromRanges }));
}

/** The tasks task `j` depends on, each with the entries naming it. */
export function outgoingCalls(state: DocumentState, j: number): HierarchyCall[] {
  const calls = new Map<number, Range[]>();
  (state.graph.resolution.depTargets[j] ?? []).forEach((target, dep) => {
    if (target < 0 || target === j) return;
    const range = depRange(state, j, dep);
    if (range) calls.set(target, [...(calls.get(target) ?? []), range]);
  });
  return [...calls].map(([task, fromRanges]) => ({ item: taskItem(state, task), fromRanges }));
}

// ---- code lens --------------------------------------------------------------------------------------

export interface TaskLens {
  task: number;
  key: string | null;
  /** Its executor is an apflow built-in that needs an apflow server (or apflow in the workspace's Python). */
  serverOnly: boolean;
  /** The first line of the task. */
  range: Range;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** One lens per task, above its first line; the title is filled in by `lensTitle` when shown. */
export function codeLenses(state: DocumentState): TaskLens[] {
  return state.tasks.map((task, j) => {
    const start = task.seg.position(task.facts.range[0]);
    const executor = task.facts.executor;
    const serverOnly = executor !== null && executorInfo(state, executor)?.local === false;
    return { task: j, key: taskRef(state, j), serverOnly, range: { start, end: start } };
  });
}

/** `N dependents · M dependencies`, and where they are: the entries naming the task, then the tasks it depends on. */
export function lensDetails(state: DocumentState, j: number): { title: string; locations: Range[] } {
  const incoming = graphIndex(state).incoming[j];
  const dependents = new Set(incoming.map((e) => e.task)).size;
  const targets = (state.graph.resolution.depTargets[j] ?? []).filter((t) => t >= 0 && t !== j);
  const dependencies = state.tasks[j].facts.deps.filter((d) => d.ref !== null).length;
  const locations = [
    ...incoming.map((e) => depRange(state, e.task, e.dep)).filter((r): r is Range => r !== null),
    ...[...new Set(targets)].map((t) => rangeOf(state, taskDefinitionSpan(state, t))),
  ];
  return { title: `${plural(dependents, 'dependent', 'dependents')} · ${plural(dependencies, 'dependency', 'dependencies')}`, locations };
}
