// Offsets ↔ LSP positions over a document state, without a line table of the whole text: the state is
// already cut into segments (the header and one per task item) that know their first line and keep a
// line table of their own, reused across edits. In full-parse mode the header segment is the whole file.
import type { DocumentState } from '../state';
import type { Seg } from '../findings';
import type { Position, Range, Span } from '../types';

function segs(state: DocumentState): { header: Seg; items: readonly { seg: Seg }[] } {
  return { header: state.header.seg, items: state.mode === 'items' ? state.items : [] };
}

/** The last element whose key is ≤ `value` (elements sorted by key), or -1. */
export function lastAtOrBefore<T>(list: readonly T[], value: number, key: (item: T) => number): number {
  let lo = 0;
  let hi = list.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (key(list[mid]) <= value) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function segAtOffset(state: DocumentState, offset: number): Seg {
  const { header, items } = segs(state);
  const i = lastAtOrBefore(items, offset, (item) => item.seg.start);
  return i < 0 ? header : items[i].seg;
}

function segAtLine(state: DocumentState, line: number): Seg {
  const { header, items } = segs(state);
  const i = lastAtOrBefore(items, line, (item) => item.seg.line);
  return i < 0 ? header : items[i].seg;
}

function positionAt(state: DocumentState, offset: number): Position {
  const clamped = Math.max(0, Math.min(offset, state.text.length));
  const seg = segAtOffset(state, clamped);
  return seg.position(clamped - seg.start);
}

/** The offset of a position; a character past the end of its line means the end of that line. */
export function offsetAt(state: DocumentState, position: Position): number {
  const line = Math.max(0, position.line);
  const seg = segAtLine(state, line);
  const table = seg.lineTable();
  const rel = line - seg.line;
  if (rel >= table.length) return seg.start + seg.text.length;
  const lineStart = table[rel];
  let lineEnd = rel + 1 < table.length ? table[rel + 1] - 1 : seg.text.length;
  if (lineEnd > lineStart && seg.text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
  return seg.start + Math.min(lineStart + Math.max(0, position.character), lineEnd);
}

/** The offset where the line holding `offset` starts. */
export function lineStartOf(text: string, offset: number): number {
  return offset <= 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
}

/** The range of a span relative to a segment (no search for the segment: the fast path for a task's own spans). */
export function segmentRange(seg: Seg, span: Span): Range {
  return { start: seg.position(span.start), end: seg.position(span.end) };
}

export function rangeOf(state: DocumentState, span: Span): Range {
  return { start: positionAt(state, span.start), end: positionAt(state, span.end) };
}
