// Thin helpers over the `yaml` package's node API, so that the rest of the core reads as the format
// rather than as parser plumbing.
import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, visit, type Alias, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Span } from './types';

/** The alias limit of spec 1: an alias bomb becomes an error, not a hang. */
export const MAX_ALIAS_COUNT = 100;

export function parseYaml(text: string): Document.Parsed {
  // uniqueKeys: false — duplicate keys are reported by us; no source tokens (3× the memory);
  // logLevel: 'error' — no process warnings (e.g. for a mapping used as a key) on the CLI's stderr or
  // in the editor's log: problems are diagnostics.
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false, keepSourceTokens: false, strict: false, logLevel: 'error' });
  if (text.includes('*')) resolveAliases(doc);
  if (text.includes('<<')) expandMergeKeys(doc);
  return doc;
}

/** The schema `yaml` gives every document parseYaml reads, for nodes built without it (simple-item.ts). */
export const DOCUMENT_SCHEMA = parseYaml('').schema;

/** The node each alias of a parsed document stands for (filled by parseYaml, read by `deref`). */
const aliasTargets = new WeakMap<Alias, Node>();

/**
 * One pass in document order: an alias stands for the last node with its anchor before it (the
 * yaml package's rule; its `Alias.resolve` walks the whole document per alias instead).
 */
function resolveAliases(doc: Document.Parsed): void {
  const anchors = new Map<string, Node>();
  visit(doc, {
    Alias(_, alias) {
      const target = anchors.get(alias.source);
      if (target) aliasTargets.set(alias, target);
    },
    Node(_, node) {
      const anchor = (node as { anchor?: string }).anchor;
      if (anchor) anchors.set(anchor, node);
    },
  });
}

/**
 * The node an alias stands for, or the node itself. Readers look through aliases one step at a time,
 * never recursively through a whole value, so an alias bomb costs nothing here: `toJS` with the alias
 * limit is what reports it.
 */
export function deref(node: unknown): Node | null {
  if (isAlias(node)) return aliasTargets.get(node) ?? null;
  return (node as Node | null | undefined) ?? null;
}

const isMergePair = (pair: Pair): boolean => isScalar(pair.key) && pair.key.value === '<<' && !pair.key.type?.startsWith('QUOTE');

/**
 * `<<` merge keys (spec 1 allows them): the merged pairs are appended to the mapping (its own keys,
 * then earlier sources, win), so that every reader of the node tree sees the keys a task really has.
 * The pairs are shared, not copied: a diagnostic on a merged value points where it is written. A
 * `<<` whose value is not a mapping (or a list of them) is left alone and reported as a key.
 */
function expandMergeKeys(doc: Document.Parsed): void {
  const maps: YAMLMap[] = [];
  visit(doc, {
    Map(_, map) {
      if (map.items.some(isMergePair)) maps.push(map);
    },
  });
  const done = new Set<YAMLMap>();
  const expand = (map: YAMLMap, depth: number): void => {
    if (done.has(map) || depth > MAX_ALIAS_COUNT) return;
    done.add(map);
    const sources: YAMLMap[] = [];
    for (const pair of map.items) {
      if (!isMergePair(pair)) continue;
      const entries = isSeq(pair.value) ? pair.value.items : [pair.value];
      for (const entry of entries) {
        const source = deref(entry);
        if (!isMap(source)) return;
        expand(source, depth + 1);
        sources.push(source);
      }
    }
    const own = map.items.filter((pair) => !isMergePair(pair));
    const seen = new Set(own.map((pair) => (isScalar(pair.key) ? pair.key.value : pair.key)));
    const merged = sources.flatMap((source) => source.items.filter((pair) => !isMergePair(pair)));
    for (const pair of merged) {
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      if (seen.has(key)) continue;
      seen.add(key);
      own.push(pair);
    }
    map.items = own;
  };
  for (const map of maps) expand(map, 0);
}

export function spanOf(node: Node | null | undefined): Span | null {
  const range = node?.range;
  return range ? { start: range[0], end: range[1] } : null;
}

/** The key of a mapping pair, as a string when it is a plain scalar key. */
export function keyName(pair: Pair): string | null {
  const key = pair.key;
  if (isScalar(key) && (typeof key.value === 'string' || typeof key.value === 'number')) return String(key.value);
  return null;
}

export function pairsOf(node: unknown): Pair<Node, Node>[] {
  const map = deref(node);
  return isMap(map) ? (map.items as Pair<Node, Node>[]) : [];
}

/** The first pair with key `name` (keys may repeat: duplicates are reported elsewhere). */
export function pairOf(map: unknown, name: string): Pair<Node, Node> | undefined {
  // A loop rather than find(): called for a dozen keys of every task, without a closure each time.
  for (const pair of pairsOf(map)) if (keyName(pair) === name) return pair;
  return undefined;
}

export function valueOf(map: unknown, name: string): Node | null {
  const pair = pairOf(map, name);
  return pair && isNodeLike(pair.value) ? deref(pair.value) : null;
}

function isNodeLike(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && 'range' in value;
}

/**
 * A scalar read as a reference-like string: strings as they are; numbers and booleans as written
 * (their type is reported by the schema check, and coercing them avoids cascading reference errors).
 */
export function scalarText(node: unknown): string | null {
  if (!isScalar(node)) return null;
  const value = node.value;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(node.source ?? value);
  return null;
}

export function isNullNode(node: unknown): boolean {
  return node == null || (isScalar(node) && node.value === null);
}

export interface PathHit {
  /** The node at the path, when it exists. */
  node: Node | null;
  /** The key node of the last step, when the last step is a mapping key. */
  key: Node | null;
}

/** Follows a JSON pointer-like list of keys and indexes through the node tree. */
export function nodeAtPath(root: Node, path: readonly string[]): PathHit {
  let node: Node | null = root;
  let key: Node | null = null;
  for (const step of path) {
    node = deref(node);
    if (isMap(node)) {
      const pair: Pair<Node, Node> | undefined = pairOf(node, step);
      if (!pair) return { node: null, key: null };
      key = isNodeLike(pair.key) ? pair.key : null;
      node = isNodeLike(pair.value) ? pair.value : null;
    } else if (isSeq(node)) {
      const item: unknown = node.items[Number(step)];
      key = null;
      node = isNodeLike(item) ? item : null;
    } else {
      return { node: null, key: null };
    }
    if (!node && !key) return { node: null, key: null };
  }
  return { node, key };
}

export function firstKey(map: YAMLMap): Node | null {
  const pair = map.items[0];
  return isPair(pair) && isNodeLike(pair.key) ? pair.key : null;
}

/** Splits an ajv instance path ("/a/0/b") into its steps, unescaping JSON pointer escapes. */
export function pointerSteps(pointer: string): string[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}
