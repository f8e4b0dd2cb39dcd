// Reads one task node into the facts every later stage needs: identity, references, executor and
// the spans diagnostics point at. Spans are relative to the task's segment (see findings.ts).
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import { readSimpleItem } from './simple-item';
import { deref, DOCUMENT_SCHEMA, firstKey, isNullNode, keyName, pairOf, pairsOf, scalarText, spanOf, valueOf } from './yaml-nodes';
import type { Span } from './types';

export interface DepFact {
  /** The reference (id or name), or null when the entry has none. */
  ref: string | null;
  required: boolean;
  span: Span | null;
  entrySpan: Span;
}

export interface TaskFacts {
  /**
   * The task's mapping. Facts of a simple item (simple-item.ts) do not keep it — the node trees were
   * 4 KB of the 7 KB each task held — but read it again from the item's text on each access: read it
   * once per request, and use `range` for where the task is.
   */
  readonly node: YAMLMap;
  /** The mapping's range in the task's segment: [start, end of its last value, end with what follows]. */
  readonly range: readonly [number, number, number];
  id: string | null;
  idSpan: Span | null;
  name: string | null;
  nameSpan: Span | null;
  nameKeySpan: Span | null;
  /** The first key of the task mapping: where task-level problems point when there is no name key. */
  firstKeySpan: Span;
  parentRef: string | null;
  parentSpan: Span | null;
  /** `parent_id` present with a non-null value (a task without one is a root). */
  hasParent: boolean;
  deps: DepFact[];
  /** The `dependencies` value (read again from the text like `node`). */
  readonly depsNode: Node | null;
  executor: string | null;
  executorSpan: Span | null;
  priority: number;
  /** Whether `priority` is written (graph checks compare authored priorities only). */
  priorityWritten: boolean;
  /** A `timeout` of the task or under its `inputs` (missing-timeout). */
  hasTimeout: boolean;
  /** Whether the task has a non-empty `inputs` mapping (parent-ordering). */
  hasInputs: boolean;
}

const DEFAULT_PRIORITY = 2;

/** One copy of each id, name and reference string seen lately (bounded: cleared when full). */
const pool = new Map<string, string>();
const POOL_LIMIT = 100_000;

/**
 * The pooled copy of `text`. Ids, names and references are looked up in Maps and compared with each
 * other on every graph check; equal strings that are one object compare by pointer, while strings the
 * yaml parser sliced from different items are compared character by character (3–20× slower graph
 * checks at 10,000 tasks).
 */
function interned(text: string | null): string | null {
  if (text === null) return null;
  const known = pool.get(text);
  if (known !== undefined) return known;
  if (pool.size >= POOL_LIMIT) pool.clear();
  pool.set(text, text);
  return text;
}

/** A scalar read as an id, a name or a reference to one (see scalarText), interned. */
function refText(node: unknown): string | null {
  return interned(scalarText(node));
}

function isSet(node: Node | null): boolean {
  return node !== null && !isNullNode(node);
}

function dependencyFact(entry: Node): DepFact {
  const entrySpan = spanOf(entry) ?? { start: 0, end: 0 };
  const value = deref(entry);
  if (isMap(value)) {
    const refNode = valueOf(value, 'id') ?? valueOf(value, 'name');
    const requiredNode = valueOf(value, 'required');
    const required = !(isScalar(requiredNode) && requiredNode.value === false);
    return { ref: refText(refNode), required, span: spanOf(refNode), entrySpan };
  }
  return { ref: refText(value), required: true, span: spanOf(entry), entrySpan };
}

function executorOf(node: YAMLMap): { executor: string | null; span: Span | null } {
  const fromParams = valueOf(valueOf(node, 'params'), 'executor_id');
  const chosen = fromParams && !isNullNode(fromParams) ? fromParams : valueOf(valueOf(node, 'schemas'), 'method');
  const executor = refText(chosen);
  return { executor: executor === '' ? null : executor, span: executor ? spanOf(chosen) : null };
}

/** The item text a facts object without node trees reads them from (not enumerable: not a fact). */
const ITEM_TEXT = Symbol('item text');
/** The node a facts object without node trees was read from, until releaseNodeTrees. */
const HELD = Symbol('held node');

interface Rereading {
  readonly [ITEM_TEXT]: string;
  [HELD]: YAMLMap | undefined;
}

function mappingOf(facts: Rereading): YAMLMap {
  const held = facts[HELD];
  if (held) return held;
  const read = readSimpleItem(facts[ITEM_TEXT], DOCUMENT_SCHEMA);
  if (!read) throw new Error('the simple-item reader refused a text it had read before');
  return read.node;
}

/** What every such facts object shares: getters that read the tree again (one prototype, one hidden class). */
const REREADING = Object.defineProperties(
  {},
  {
    node: { get: function (this: Rereading) { return mappingOf(this); }, enumerable: true },
    depsNode: { get: function (this: Rereading) { return valueOf(mappingOf(this), 'dependencies'); }, enumerable: true },
  },
);

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** Writes the facts of `node` but its node trees into `facts`: one object per task, not a copy. */
function fillFacts(facts: Partial<Writable<TaskFacts>>, node: YAMLMap, depsNode: Node | null): void {
  const idNode = valueOf(node, 'id');
  const nameNode = valueOf(node, 'name');
  const parentNode = valueOf(node, 'parent_id');
  const priorityNode = valueOf(node, 'priority');
  const { executor, span: executorSpan } = executorOf(node);
  const first = firstKey(node);
  const priorityWritten = isScalar(priorityNode) && typeof priorityNode.value === 'number';
  const inputsNode = valueOf(node, 'inputs');
  facts.range = node.range ?? [0, 0, 0];
  facts.id = refText(idNode);
  facts.idSpan = spanOf(idNode);
  facts.name = refText(nameNode);
  facts.nameSpan = spanOf(nameNode);
  facts.nameKeySpan = spanOf(pairOf(node, 'name')?.key as Node | undefined);
  facts.firstKeySpan = spanOf(first) ?? spanOf(node) ?? { start: 0, end: 0 };
  facts.parentRef = refText(parentNode);
  facts.parentSpan = spanOf(parentNode);
  facts.hasParent = !isNullNode(parentNode);
  facts.deps = isSeq(depsNode) ? depsNode.items.map((entry) => dependencyFact(entry as Node)) : [];
  facts.executor = executor;
  facts.executorSpan = executorSpan;
  facts.priority = priorityWritten ? (priorityNode.value as number) : DEFAULT_PRIORITY;
  facts.priorityWritten = priorityWritten;
  facts.hasTimeout = isSet(valueOf(node, 'timeout')) || isSet(valueOf(inputsNode, 'timeout'));
  facts.hasInputs = isMap(inputsNode) && inputsNode.items.length > 0;
}

/**
 * The facts of a task's mapping. With `itemText`, the text of the simple item (simple-item.ts) that
 * `node` was read from, the facts hold `node` only until releaseNodeTrees — the node trees were 4 KB of
 * the 7 KB each task held — and then read it again from that text when asked.
 */
export function readTaskFacts(node: YAMLMap, itemText?: string): TaskFacts {
  const depsNode = valueOf(node, 'dependencies');
  if (itemText === undefined) {
    const facts: Partial<Writable<TaskFacts>> = { node, depsNode };
    fillFacts(facts, node, depsNode);
    return facts as TaskFacts;
  }
  const lean = Object.defineProperty(Object.create(REREADING) as Rereading, ITEM_TEXT, { value: itemText });
  lean[HELD] = node;
  fillFacts(lean as Partial<Writable<TaskFacts>>, node, depsNode);
  return lean as unknown as TaskFacts;
}

/** Lets facts read with an item text drop the node they hold (before a snapshot can reach them). */
export function releaseNodeTrees(facts: TaskFacts): void {
  if (HELD in facts) (facts as unknown as Rereading)[HELD] = undefined;
}

/**
 * What the whole-file checks read: if this is unchanged, their findings can be reused. Besides the
 * graph itself, the few facts the advice checks read (priority, whether a timeout or any inputs are
 * set): they change rarely, so including them costs little.
 */
export function graphSignature(facts: TaskFacts | null): string {
  if (!facts) return '';
  const deps = facts.deps.map((d) => `${d.ref ?? ''}${d.required ? '!' : '?'}`).join('\u0001');
  return `${structuralSignature(facts)}\u0000${deps}`;
}

/** What the whole-file checks read of a task but its dependency list. */
export function structuralSignature(facts: TaskFacts): string {
  const advice = `${facts.priorityWritten ? facts.priority : ''}/${facts.hasTimeout ? 't' : ''}${facts.hasInputs ? 'i' : ''}`;
  return [facts.id, facts.name, facts.hasParent ? facts.parentRef : '\u0002', facts.executor, advice].join('\u0000');
}

/**
 * Keys of a mapping in order, with their key nodes (non-scalar keys are skipped); with `wanted`, only
 * the keys it accepts (the per-task checks look for a few names among every task's keys: nothing is
 * built for the others).
 */
export function keysOf(node: unknown, wanted?: (name: string) => boolean): { name: string; key: Node; pairSpan: Span }[] {
  const out: { name: string; key: Node; pairSpan: Span }[] = [];
  for (const pair of pairsOf(node)) {
    const name = keyName(pair);
    if (name === null || (wanted && !wanted(name))) continue;
    const keySpan = spanOf(pair.key);
    if (!keySpan) continue;
    const valueSpan = spanOf(pair.value);
    out.push({ name, key: pair.key, pairSpan: { start: keySpan.start, end: valueSpan ? valueSpan.end : keySpan.end } });
  }
  return out;
}
