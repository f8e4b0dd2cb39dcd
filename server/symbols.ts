// The outline as LSP document symbols. Hierarchical symbols are written as JSON pieces from per-task
// fragments kept across versions: the core shares a task's outline item between versions that left
// the task as it was, so after an edit only the edited tasks (and, when lines moved, those after
// them) are written again (server/serialized.ts sends the bytes as they are). `detail` (the executor id)
// is left out when the task names none: an empty detail says nothing. A capped outline
// (server/outline-cap.ts) ends with one summary symbol saying how many tasks it leaves out.
import { SymbolKind, type DocumentSymbol, type SymbolInformation } from 'vscode-languageserver/node';
import type { Range, SymbolNode, TaskItem } from '../analysis';
import type { CappedOutline } from './outline-cap';
import { SerializedResult, type JsonPieces } from './serialized';

/** A task in outlines and the call hierarchy. */
export const TASK_SYMBOL = SymbolKind.Function;

/** Each item's symbol fields as JSON, without the closing brace (children may follow). */
const fragments = new WeakMap<TaskItem, Buffer>();

function rangeJson({ start, end }: Range): string {
  return `{"start":{"line":${start.line},"character":${start.character}},"end":{"line":${end.line},"character":${end.character}}}`;
}

function fragment(item: TaskItem): Buffer {
  let bytes = fragments.get(item);
  if (bytes === undefined) {
    const detail = item.detail ? `,"detail":${JSON.stringify(item.detail)}` : '';
    bytes = Buffer.from(`{"name":${JSON.stringify(item.name)}${detail},"kind":${TASK_SYMBOL},"range":${rangeJson(item.range)},"selectionRange":${rangeJson(item.selectionRange)}`);
    fragments.set(item, bytes);
  }
  return bytes;
}

const COMMA = Buffer.from(',');
const OPEN_LIST = Buffer.from('[');
const CLOSE_LIST = Buffer.from(']');
const CLOSE = Buffer.from('}');
const OPEN_CHILDREN = Buffer.from(',"children":[');
const CLOSE_CHILDREN = Buffer.from(']}');

/** `items` separated by commas. */
function commaSeparated(items: readonly JsonPieces[]): JsonPieces[] {
  const out: JsonPieces[] = [];
  items.forEach((item, i) => {
    if (i) out.push(COMMA);
    out.push(item);
  });
  return out;
}

/** The JSON of each outline node already written. */
const nodes = new WeakMap<SymbolNode, JsonPieces>();

/** The JSON of each item's whole subtree as last written, with the JSON of its children it was written from. */
const subtrees = new WeakMap<TaskItem, { children: readonly JsonPieces[]; json: JsonPieces }>();

function samePieces(a: readonly JsonPieces[], b: readonly JsonPieces[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A node and its descendants as JSON pieces. The core shares the nodes of subtrees an edit left
 * alone, and a capped outline's new node at the cut has the children of the last version: neither is
 * written again. After a one-task edit only that task and its ancestors get new pieces.
 */
function nodeJson(node: SymbolNode): JsonPieces {
  const known = nodes.get(node);
  if (known !== undefined) return known;
  const json = subtreeJson(node);
  nodes.set(node, json);
  return json;
}

function subtreeJson(node: SymbolNode): JsonPieces {
  const head = fragment(node.item);
  // The core nests at most 50 deep, so this recursion is bounded.
  const children = node.children.map(nodeJson);
  const last = subtrees.get(node.item);
  if (last && samePieces(last.children, children)) return last.json;
  const json = children.length ? [head, OPEN_CHILDREN, commaSeparated(children), CLOSE_CHILDREN] : [head, CLOSE];
  subtrees.set(node.item, { children, json });
  return json;
}

/** The last symbol of a capped outline: how many tasks are not listed, standing where the first of them starts. */
function summarySymbol({ omitted, firstOmitted }: CappedOutline): DocumentSymbol | null {
  if (!omitted || !firstOmitted) return null;
  const at = { start: firstOmitted.start, end: firstOmitted.start };
  const name = `${omitted.toLocaleString('en-US')} more ${omitted === 1 ? 'task is' : 'tasks are'} not listed`;
  return { name, detail: 'raise apflow.outline.maxItems to list them', kind: SymbolKind.Null, range: at, selectionRange: at };
}

/** DocumentSymbol[] as JSON text. */
export function documentSymbolsResult(outline: CappedOutline): SerializedResult<DocumentSymbol[]> {
  const summary = summarySymbol(outline);
  const symbols = outline.tree.map(nodeJson);
  if (summary) symbols.push(Buffer.from(JSON.stringify(summary)));
  return new SerializedResult([OPEN_LIST, commaSeparated(symbols), CLOSE_LIST]);
}

/** For clients without hierarchical symbols: a flat list, each task naming its parent as container. */
export function flatSymbols(outline: CappedOutline, uri: string): SymbolInformation[] {
  const { tree } = outline;
  const out: SymbolInformation[] = [];
  const stack: { node: SymbolNode; container?: string }[] = tree.map((node) => ({ node })).reverse();
  while (stack.length) {
    const { node, container } = stack.pop() as { node: SymbolNode; container?: string };
    const { name, range } = node.item;
    out.push({ name, kind: TASK_SYMBOL, location: { uri, range }, ...(container ? { containerName: container } : {}) });
    for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i], container: name });
  }
  const summary = summarySymbol(outline);
  if (summary) out.push({ name: summary.name, kind: summary.kind, location: { uri, range: summary.range } });
  return out;
}
