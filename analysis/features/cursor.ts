// Where the cursor is, read from the text rather than from the parse, so that completion works on a
// line that does not parse yet (spec 2.3): the block structure comes from indentation (walking up the
// lines above), and a flow collection on the cursor's line (`[a, b, |`, `{ method: |`) or a JSON file is
// read with a small bracket scanner.
import type { Span } from '../types';
import { lineStartOf } from './positions';
import { ITEM } from './scope';

export interface CursorContext {
  /** Keys from the document root to the mapping or sequence being written in (`[]` for an item). */
  path: string[];
  /** A key of the mapping at `path`, the value of the last key of `path`, or an item of the sequence at `path`. */
  role: 'key' | 'value' | 'item';
  /** What is typed of the word at the cursor, without a leading quote. */
  prefix: string;
  /** The word at the cursor (what a completion replaces), absolute offsets on one line. */
  replace: Span;
  /** Inside `{…}` or `[…]`: insert a plain word, never a block. */
  flow: boolean;
  /** Inside quotes: insert the bare text. */
  quoted: boolean;
  /** Column of the cursor's line content (after any `- `), for multi-line inserts. */
  column: number;
  /** Whether the cursor's line starts a sequence item (`- `). */
  dash: boolean;
  /** Keys already present on sibling lines of a block mapping (for a key being typed). */
  siblings: string[];
}

interface LineInfo {
  start: number;
  /** Column of the first character that is not a space. */
  indent: number;
  /** Columns of the `- ` markers at the start of the line. */
  dashes: number[];
  /** Column where the content after the markers starts. */
  column: number;
  /** The key when the content is `key:` or `key: value`. */
  key: string | null;
  /** Whether a value (other than a comment) follows the key's colon. */
  hasValue: boolean;
  blank: boolean;
}

const KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{}[\],:][^#:]*?|[^\s#'"{}[\],:]*)[ \t]*:(?=[ \t]|$)[ \t]*(.*)$/;

function unquote(key: string): string {
  if (key.startsWith('"')) {
    try {
      return JSON.parse(key) as string;
    } catch {
      return key.slice(1, -1);
    }
  }
  return key.startsWith("'") ? key.slice(1, -1).replace(/''/g, "'") : key;
}

function readLine(text: string, start: number, end: number): LineInfo {
  let i = start;
  while (i < end && text.charCodeAt(i) === 32) i++;
  const indent = i - start;
  const dashes: number[] = [];
  while (i < end && text[i] === '-' && (i + 1 === end || text[i + 1] === ' ' || text[i + 1] === '\r')) {
    dashes.push(i - start);
    i++;
    while (i < end && text.charCodeAt(i) === 32) i++;
  }
  const content = text.slice(i, end).replace(/\r$/, '');
  const blank = content === '' ? dashes.length === 0 : false;
  const comment = content.startsWith('#');
  const match = comment ? null : KEY.exec(content);
  const rest = match ? match[2].trim() : '';
  return {
    start,
    indent,
    dashes,
    column: i - start,
    key: match ? unquote(match[1]) : null,
    hasValue: rest !== '' && !rest.startsWith('#'),
    blank: blank || (comment && dashes.length === 0),
  };
}


function lineEndOf(text: string, offset: number): number {
  const end = text.indexOf('\n', offset);
  return end === -1 ? text.length : end;
}

/** Where the walk up may stop: the first line of the task item around the cursor, and the path above it. */
export interface WalkLimit {
  lineStart: number;
  /** The path of the sequence the item belongs to. */
  path: string[];
}

/**
 * The path of the block collection whose entries start at column `column`, seen from the line that
 * starts at `from`. `inSequence`: the entries are items (`- `) of a sequence at that column.
 */
function blockPath(text: string, from: number, column: number, inSequence: boolean, limit: WalkLimit | null): string[] {
  const path: string[] = [];
  let col = column;
  let seq = inSequence;
  if (limit && inSequence && from === limit.lineStart) return [...limit.path];
  let end = from - 1;
  while (end >= 0 && (col > 0 || seq)) {
    const start = lineStartOf(text, end);
    const line = readLine(text, start, end);
    end = start - 1;
    if (line.blank || (line.indent === 0 && /^(---|\.\.\.)(\s|$)/.test(text.slice(start, start + 4)))) continue;
    if (seq) {
      // Looking for the key that owns a sequence whose items sit at column `col`.
      if (line.dashes.length && line.dashes[0] === col) {
        if (limit && start === limit.lineStart) return [...limit.path, ...path];
        continue;
      }
      if (line.indent > col) continue;
      seq = false;
      if (line.indent === col && !line.dashes.length) {
        if (line.key !== null) {
          path.unshift(line.key);
        }
        continue;
      }
    }
    if (line.column >= col && !line.dashes.some((d) => d < col)) continue;
    // This line holds the collection we are in.
    if (line.key !== null && line.column < col) path.unshift(line.key);
    const dash = [...line.dashes].reverse().find((d) => d < col);
    if (dash !== undefined) {
      path.unshift(ITEM);
      col = dash;
      seq = true;
      if (limit && start === limit.lineStart) return [...limit.path, ...path];
      continue;
    }
    col = line.column;
  }
  return path;
}

/** Keys written at `column` in the block mapping around the line at `lineStart` (lines above and below). */
function siblingKeys(text: string, lineStart: number, column: number): string[] {
  const keys: string[] = [];
  const visit = (start: number): boolean => {
    const end = lineEndOf(text, start);
    const line = readLine(text, start, end);
    if (line.blank) return true;
    // A line further left ends the mapping; so does the next item of the same sequence.
    if (line.column < column || (line.dashes.length && line.column === column)) return false;
    if (line.column === column && line.key !== null) keys.push(line.key);
    return true;
  };
  for (let start = text.indexOf('\n', lineStart) + 1; start > 0 && start < text.length; start = text.indexOf('\n', start) + 1) if (!visit(start)) break;
  for (let end = lineStart - 1; end >= 0; ) {
    const start = lineStartOf(text, end);
    const line = readLine(text, start, end);
    end = start - 1;
    if (line.blank) continue;
    if (line.column < column) break;
    if (line.column === column && line.key !== null) keys.push(line.key);
    if (line.dashes.length && line.column === column) break;
  }
  return keys;
}

interface Frame {
  kind: 'map' | 'seq';
  key: string | null;
  afterColon: boolean;
}

const WORD_CHAR = /[^\s,:[\]{}#"']/;

/** The word around `offset` on its line: what is typed before it, and the span a completion replaces. */
function wordAt(text: string, offset: number): { prefix: string; replace: Span; quoted: boolean } {
  let start = offset;
  while (start > 0 && WORD_CHAR.test(text[start - 1]) && text[start - 1] !== '\n') start--;
  let end = offset;
  while (end < text.length && WORD_CHAR.test(text[end]) && text[end] !== '\n') end++;
  const quoted = start > 0 && (text[start - 1] === '"' || text[start - 1] === "'");
  return { prefix: text.slice(start, offset), replace: { start, end }, quoted };
}

/** Reads a flow collection (or JSON) from `start` to the cursor; null if the cursor is not inside one. */
function flowContext(text: string, start: number, offset: number, basePath: string[]): { path: string[]; role: CursorContext['role'] } | null {
  const stack: Frame[] = [];
  const path = [...basePath];
  let token: string | null = null;
  for (let i = start; i < offset; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      let j = i + 1;
      let value = '';
      while (j < offset && text[j] !== c) {
        if (c === '"' && text[j] === '\\') j++;
        value += text[j] ?? '';
        j++;
      }
      if (j >= offset) break; // the cursor is inside this string
      token = value;
      i = j;
      continue;
    }
    if (c === '#' && (i === start || /\s/.test(text[i - 1]))) {
      i = lineEndOf(text, i);
      continue;
    }
    const top = stack[stack.length - 1];
    if (c === '{' || c === '[') {
      if (top) path.push(top.kind === 'seq' ? ITEM : (top.key ?? ''));
      stack.push({ kind: c === '{' ? 'map' : 'seq', key: null, afterColon: false });
      token = null;
    } else if (c === '}' || c === ']') {
      stack.pop();
      if (!stack.length) return null;
      path.pop();
      token = null;
    } else if (c === ':' && top?.kind === 'map' && !top.afterColon && (i + 1 >= offset || /[\s,[\]{}"]/.test(text[i + 1]) || text[i - 1] === '"')) {
      top.key = (token ?? '').trim();
      top.afterColon = true;
      token = null;
    } else if (c === ',') {
      if (top?.kind === 'map') {
        top.key = null;
        top.afterColon = false;
      }
      token = null;
    } else if (!/\s/.test(c)) {
      token = (token ?? '') + c;
    }
  }
  const top = stack[stack.length - 1];
  if (!top) return null;
  if (top.kind === 'seq') return { path, role: 'item' };
  return top.afterColon && top.key !== null ? { path: [...path, top.key], role: 'value' } : { path, role: 'key' };
}

/** The completion context at `offset` in a YAML file. */
export function yamlCursor(text: string, offset: number, limit: WalkLimit | null): CursorContext {
  const lineStart = lineStartOf(text, offset);
  const line = readLine(text, lineStart, offset);
  const word = wordAt(text, offset);
  const dash = line.dashes.length > 0;
  const base = { ...word, column: line.column, dash, siblings: [] as string[] };
  // The collection this line's content belongs to.
  const container = () => {
    if (dash) return [...blockPath(text, lineStart, line.dashes[line.dashes.length - 1], true, limit), ...line.dashes.slice(1).map(() => ITEM)];
    return blockPath(text, lineStart, line.column, false, limit);
  };
  // A flow collection that starts the line's content or the value of its key: `[a, |`, `key: { k: |`.
  const contentStart = lineStart + line.column;
  const content = text.slice(contentStart, offset);
  const owner = KEY.exec(content);
  const flowAt = owner ? content.length - owner[2].length : 0;
  if (content[flowAt] === '[' || content[flowAt] === '{') {
    const parent = dash ? [...container(), ITEM] : container();
    const flow = flowContext(text, contentStart + flowAt, offset, owner ? [...parent, unquote(owner[1])] : parent);
    if (flow) return { ...base, ...flow, flow: true };
  }
  if (line.key !== null) {
    // `key: value|` (a colon before the cursor on this line).
    const parent = dash ? [...container(), ITEM] : container();
    return { ...base, path: [...parent, line.key], role: 'value', flow: false };
  }
  if (dash) return { ...base, path: container(), role: 'item', flow: false, siblings: [] };
  const path = container();
  return { ...base, path, role: 'key', flow: false, siblings: siblingKeys(text, lineStart, line.column) };
}

/** The completion context at `offset` in a JSON file, read from `start` (a `{` or `[` whose path is `basePath`). */
export function jsonCursor(text: string, offset: number, start: number, basePath: string[]): CursorContext | null {
  const flow = flowContext(text, start, offset, basePath);
  if (!flow) return null;
  const word = wordAt(text, offset);
  return { ...word, ...flow, flow: true, column: 0, dash: false, siblings: [] };
}
