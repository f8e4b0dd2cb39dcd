// Splits a file into its header and the items of its task list, line by line, without parsing YAML.
// This is what makes item-level parsing possible (guides/performance.md, rule 1): each item is parsed
// on its own and re-parsed only when its text changes. Whenever the layout is not one we can split
// safely (flow style, JSON, a second document, tabs in indentation, content after the task list), the
// answer is null and the caller parses the whole file instead.

export interface ItemRange {
  start: number;
  end: number;
}

export interface Layout {
  shape: 'mapping' | 'sequence';
  /** Column of the `-` that starts each task item. */
  indent: number;
  items: ItemRange[];
}

interface Line {
  start: number;
  /** Offset just past the line's newline (or the end of the text). */
  next: number;
  indent: number;
  kind: 'blank' | 'comment' | 'item' | 'content';
}

function readLine(text: string, start: number): Line | null {
  let end = text.indexOf('\n', start);
  const next = end === -1 ? text.length : end + 1;
  if (end === -1) end = text.length;
  let i = start;
  while (i < end && text.charCodeAt(i) === 32) i++;
  const indent = i - start;
  const c = text.charCodeAt(i);
  if (c === 9) return null; // a tab in the indentation: let the full parser explain it
  let kind: Line['kind'];
  if (i === end || (c === 13 && i + 1 === end)) kind = 'blank';
  else if (c === 35 /* # */) kind = 'comment';
  else if (c === 45 /* - */ && (i + 1 === end || [32, 13].includes(text.charCodeAt(i + 1)))) kind = 'item';
  else kind = 'content';
  return { start, next, indent, kind };
}

function isDocumentMarker(text: string, line: Line): boolean {
  if (line.indent !== 0) return false;
  const head = text.slice(line.start, line.start + 4);
  return /^(---|\.\.\.)(\s|$)/.test(head) || head.startsWith('%');
}

const TASKS_KEY = /^tasks[ ]*:[ ]*(#.*)?\r?$/;

/** The layout of a whole file, or null when it must be parsed as one document. */
export function layout(text: string): Layout | null {
  let offset = 0;
  let sawContent = false;
  let afterTasksKey = false;
  while (offset < text.length) {
    const line = readLine(text, offset);
    if (!line) return null;
    if (isDocumentMarker(text, line)) {
      // A leading `---` is harmless; any other marker means directives or several documents.
      if (sawContent || !text.startsWith('---', line.start)) return null;
      offset = line.next;
      continue;
    }
    if (line.kind === 'blank' || line.kind === 'comment') {
      offset = line.next;
      continue;
    }
    if (afterTasksKey) {
      if (line.kind !== 'item') return null;
      return withItems(text, 'mapping', line);
    }
    if (!sawContent && line.kind === 'item' && line.indent === 0) return withItems(text, 'sequence', line);
    sawContent = true;
    if (line.indent === 0 && TASKS_KEY.test(text.slice(line.start, line.next).replace(/\n$/, ''))) afterTasksKey = true;
    offset = line.next;
  }
  return null;
}

function withItems(text: string, shape: Layout['shape'], first: Line): Layout | null {
  const items = splitItems(text, first.start, text.length, first.indent);
  return items && { shape, indent: first.indent, items };
}

/**
 * Splits [start, end) — which must begin with an item line at `indent` and run to the end of the task
 * list — into items. Returns null if a line breaks the layout (content at or left of the item column
 * that does not start an item).
 */
export function splitItems(text: string, start: number, end: number, indent: number): ItemRange[] | null {
  const items: ItemRange[] = [];
  let offset = start;
  while (offset < end) {
    const line = readLine(text, offset);
    if (!line || isDocumentMarker(text, line)) return null;
    if (line.kind === 'item' && line.indent === indent) {
      if (items.length) items[items.length - 1].end = line.start;
      items.push({ start: line.start, end });
    } else if (items.length === 0) {
      return null;
    } else if (line.kind === 'content' && line.indent <= indent) {
      return null;
    } else if (line.kind === 'item' && line.indent < indent) {
      return null;
    }
    offset = line.next;
  }
  return items;
}
