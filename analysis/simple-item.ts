// A fast reader for the common, simple task item (issue 9: the `yaml` parser's per-item cost was
// most of a first analysis). It reads a block mapping whose values are one-line plain or quoted
// scalars, one-line flow collections of them, or nested block mappings of the same, and builds the
// very node classes, ranges and plain value that `yaml` builds for that text. Anything else — a
// comment, an anchor, a tag, a block scalar, a block sequence, a multi-line or escaped scalar, a
// number other than a plain integer or decimal fraction, a blank line inside the item, a carriage
// return — answers null, and the caller parses the item with `yaml` as before.
// test/unit/analysis/simple-item.test.ts compares both readers on generated, example and randomly
// mutated items.
import type { Node, Scalar, Schema, YAMLMap, YAMLSeq } from 'yaml';
import { mapNode, pairNode, scalarNode, seqNode } from './cheap-nodes';

export interface SimpleItem {
  node: YAMLMap;
  value: Record<string, unknown>;
}

type Range = [number, number, number];

interface Read {
  node: Node;
  value: unknown;
}

const NEWLINE = 10;
const SPACE = 32;

/** Words that a plain scalar cannot be read as a string (core schema null and booleans). */
const SPECIAL_WORDS = new Map<string, null | boolean>([
  ['~', null], ['null', null], ['Null', null], ['NULL', null],
  ['true', true], ['True', true], ['TRUE', true], ['false', false], ['False', false], ['FALSE', false],
]);
const INTEGER = /^-?(?:0|[1-9][0-9]{0,14})$/;
/** A decimal fraction not ending in 0 (`yaml` records the digits of one that does, to write it back). */
const DECIMAL = /^-?(?:0|[1-9][0-9]{0,14})\.[0-9]{0,14}[1-9]$/;
const KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * Characters a plain scalar of this subset may hold after its first: printable ASCII without the
 * YAML indicators that can change its meaning (comments, flow punctuation, anchors, tags, quotes…),
 * and non-ASCII text outside the surrogate and non-character ranges.
 */
/** Which ASCII characters a plain scalar of this subset may hold after its first (read per character). */
const PLAIN_ASCII = (() => {
  const table = new Uint8Array(128);
  for (let c = SPACE; c <= 0x7e; c++) table[c] = 1;
  // # : , [ ] { } & * ! | > ' " % @ `
  for (const indicator of '#:,[]{}&*!|>\'"%@`') table[indicator.charCodeAt(0)] = 0;
  return table;
})();

function isPlainChar(c: number): boolean {
  if (c >= 0xa0) return c < 0xd800 || (c > 0xdfff && c !== 0xfeff && c < 0xfffe);
  return c < 128 && PLAIN_ASCII[c] === 1;
}

function isPlainStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 /* _ */ || c === 47 /* / */ || (c >= 0xa0 && isPlainChar(c));
}

/** The value of a plain scalar of this subset, or undefined when `yaml` must read it. */
function plainValue(source: string): unknown {
  const special = SPECIAL_WORDS.get(source);
  if (special !== undefined) return special;
  if (INTEGER.test(source) || DECIMAL.test(source)) return Number(source);
  const first = source.charCodeAt(0);
  if (!isPlainStart(first)) return undefined;
  for (let i = 1; i < source.length; i++) if (!isPlainChar(source.charCodeAt(i))) return undefined;
  return source;
}

class Reader {
  pos = 0;

  constructor(
    private readonly text: string,
    private readonly schema: Schema,
  ) {}

  private at(i = this.pos): number {
    return this.text.charCodeAt(i);
  }

  private skipSpaces(): void {
    while (this.at() === SPACE) this.pos++;
  }

  /** Past the spaces and the one newline that end a block value: the third number of its range. */
  private endOfLine(): number | null {
    this.skipSpaces();
    if (this.pos === this.text.length) return this.pos;
    if (this.at() !== NEWLINE) return null;
    return ++this.pos;
  }

  private scalar(value: unknown, source: string, type: Scalar.Type, range: Range): Read {
    return { node: scalarNode(value, source, type, range), value };
  }

  private collection<T extends YAMLMap | YAMLSeq>(node: T, range: Range, flow: boolean): T {
    node.range = range;
    if (flow) node.flow = true;
    return node;
  }

  /** A plain key followed directly by `:` (its value is the key's text). */
  private key(): Scalar<string> | null {
    const start = this.pos;
    while (this.pos < this.text.length && this.at() !== 58 /* : */ && this.at() !== NEWLINE) this.pos++;
    const key = this.text.slice(start, this.pos);
    if (this.at() !== 58 || !KEY.test(key) || SPECIAL_WORDS.has(key) || key === '__proto__') return null;
    const node = scalarNode(key, key, 'PLAIN', [start, this.pos, this.pos]) as Scalar<string>;
    this.pos++;
    return node;
  }

  /** A quoted scalar without escapes or line breaks; `this.pos` is at its opening quote. */
  private quoted(): Read | null {
    const quote = this.at();
    const start = this.pos;
    const close = this.text.indexOf(String.fromCharCode(quote), start + 1);
    if (close === -1) return null;
    const source = this.text.slice(start + 1, close);
    for (let i = 0; i < source.length; i++) {
      const c = source.charCodeAt(i);
      if (c < SPACE || c === 92 /* \ */ || c === 0x7f) return null;
    }
    this.pos = close + 1;
    return this.scalar(source, source, quote === 34 ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE', [start, close + 1, close + 1]);
  }

  /** A plain scalar ending at the line end (or, `inFlow`, before `,`, `]` or `}`); its range ends past trailing spaces. */
  private plain(inFlow: boolean): Read | null {
    const start = this.pos;
    let end = start;
    for (;;) {
      const c = this.at();
      if (this.pos >= this.text.length || c === NEWLINE || (inFlow && (c === 44 /* , */ || c === 93 /* ] */ || c === 125 /* } */))) break;
      this.pos++;
      if (c !== SPACE) end = this.pos;
    }
    const source = this.text.slice(start, end);
    const value = source ? plainValue(source) : undefined;
    if (value === undefined) return null;
    return this.scalar(value, source, 'PLAIN', [start, end, this.pos]);
  }

  /** A value inside a flow collection, its range ending past the spaces after it. */
  private flowValue(): Read | null {
    const c = this.at();
    let read: Read | null;
    if (c === 123 /* { */ || c === 91 /* [ */) read = this.flow();
    else if (c === 34 || c === 39) read = this.quoted();
    else return this.plain(true);
    if (!read) return null;
    this.skipSpaces();
    (read.node.range as Range)[2] = this.pos;
    return read;
  }

  /** A one-line flow mapping or sequence; `this.pos` is at its opening bracket. */
  private flow(): Read | null {
    const isMap = this.at() === 123;
    const close = isMap ? 125 : 93;
    const start = this.pos++;
    const node = isMap ? mapNode(this.schema) : seqNode(this.schema);
    const value: Record<string, unknown> | unknown[] = isMap ? {} : [];
    this.skipSpaces();
    while (this.at() !== close) {
      if (isMap) {
        const key = this.key();
        if (!key || this.at() !== SPACE) return null;
        this.skipSpaces();
        const entry = this.flowValue();
        if (!entry) return null;
        (node as YAMLMap).items.push(pairNode(key, entry.node));
        (value as Record<string, unknown>)[key.value] = entry.value;
      } else {
        const entry = this.flowValue();
        if (!entry) return null;
        (node as YAMLSeq).items.push(entry.node);
        (value as unknown[]).push(entry.value);
      }
      if (this.at() === 44 /* , */) {
        this.pos++;
        this.skipSpaces();
        if (this.at() === close) return null; // a trailing comma
      } else if (this.at() !== close) {
        return null;
      }
    }
    this.pos++;
    return { node: this.collection(node, [start, this.pos, this.pos], true), value };
  }

  /** The value after `key:` on its line, its range ending past the line's newline. */
  private inlineValue(): Read | null {
    const c = this.at();
    let read: Read | null;
    if (c === 123 || c === 91) read = this.flow();
    else if (c === 34 || c === 39) read = this.quoted();
    else read = this.plain(false);
    if (!read) return null;
    const end = this.endOfLine();
    if (end === null) return null;
    (read.node.range as Range)[2] = end;
    return read;
  }

  /** The indentation of the line at `this.pos`, or -1 when the rest of the text is blank. */
  private nextIndent(): number {
    let i = this.pos;
    while (this.at(i) === SPACE) i++;
    if (i === this.text.length) return -1;
    if (this.at(i) === NEWLINE) {
      // Blank lines are fine only at the end of the item.
      return /^[ \n]*$/.test(this.text.slice(i)) ? -1 : -2;
    }
    return i - this.pos;
  }

  /** The value of `key:` when nothing follows on its line: null, or a nested block mapping. */
  private valueBelow(column: number): Read | null {
    this.skipSpaces();
    const here = this.pos;
    if (this.pos < this.text.length && this.at() !== NEWLINE) return null;
    if (this.pos < this.text.length) this.pos++;
    const indent = this.nextIndent();
    if (indent === -2) return null;
    if (indent <= column) {
      // An empty value before blank lines is one `yaml` marks as spaced: leave that to it.
      if (indent === -1 && this.text.indexOf('\n', here + 1) !== -1) return null;
      if (indent === -1) this.pos = here;
      return this.scalar(null, '', 'PLAIN', [here, here, here]);
    }
    this.pos += indent;
    return this.blockMap(indent);
  }

  /** A block mapping whose first key is at `this.pos`, in column `column`. */
  blockMap(column: number): Read | null {
    const node = mapNode(this.schema);
    const value: Record<string, unknown> = {};
    const start = this.pos;
    let end = start;
    for (;;) {
      const key = this.key();
      if (!key) return null;
      const entry = this.at() === SPACE && this.nextIsInline() ? (this.skipSpaces(), this.inlineValue()) : this.valueBelow(column);
      if (!entry) return null;
      node.items.push(pairNode(key, entry.node));
      value[key.value] = entry.value;
      end = (entry.node.range as Range)[2];
      const indent = this.nextIndent();
      if (indent === -2 || indent > column) return null;
      if (indent !== column) break;
      this.pos += indent;
    }
    return { node: this.collection(node, [start, end, end], false), value };
  }

  /** Whether something other than spaces follows on this line. */
  private nextIsInline(): boolean {
    let i = this.pos;
    while (this.at(i) === SPACE) i++;
    return i < this.text.length && this.at(i) !== NEWLINE;
  }
}

/**
 * The node tree and plain value of a task item (`- key: value…` starting with its indentation), as
 * `yaml` would read them with `schema`, or null when the item is not of the simple kind.
 */
export function readSimpleItem(text: string, schema: Schema): SimpleItem | null {
  if (text.includes('\r') || text.includes('\t') || text.includes('#')) return null;
  let i = 0;
  while (text.charCodeAt(i) === SPACE) i++;
  if (text.charCodeAt(i) !== 45 /* - */ || text.charCodeAt(i + 1) !== SPACE) return null;
  i++;
  while (text.charCodeAt(i) === SPACE) i++;
  const reader = new Reader(text, schema);
  reader.pos = i;
  const lineStart = text.lastIndexOf('\n', i) + 1;
  const read = reader.blockMap(i - lineStart);
  if (!read) return null;
  // Whatever follows the mapping must be blank (a line left of its column is not ours to explain).
  if (!/^[ \n]*$/.test(text.slice(reader.pos))) return null;
  return { node: read.node as YAMLMap, value: read.value as Record<string, unknown> };
}
