// Small text utilities: line tables for offset → position conversion, and edit distance and affixes
// for did-you-mean suggestions.
import type { Position } from './types';

/** Offsets at which each line of `text` starts (line 0 starts at 0). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The line containing `offset`, by binary search over a line table. */
export function lineOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** JavaScript strings are UTF-16, so a column is simply the distance from the line start. */
export function positionIn(starts: readonly number[], offset: number): Position {
  const line = lineOf(starts, offset);
  return { line, character: offset - starts[line] };
}

/** Two rows of the distance table, reused by every call (suggestions compare one word with thousands). */
let rows = { previous: new Int32Array(64), current: new Int32Array(64) };

/** Levenshtein distance, giving up (returning max + 1) once it must exceed `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (rows.previous.length <= b.length) rows = { previous: new Int32Array(b.length * 2 + 1), current: new Int32Array(b.length * 2 + 1) };
  let { previous, current } = rows;
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    [previous, current] = [current, previous];
  }
  return previous[b.length];
}

/** Myers' algorithm keeps a column of the table in the bits of one 32-bit integer. */
const MAX_BIT_PARALLEL = 32;

/**
 * The Levenshtein distance from `word` to any candidate. For a word of up to 32 UTF-16 units, by
 * Myers' bit-parallel algorithm (in Hyyrö's formulation): a few integer operations per character of
 * the candidate instead of a row of the table, since a reference is compared with 20,000 ids and
 * names at every keystroke that leaves it unresolved. Longer words use editDistance.
 */
export function distanceFrom(word: string): (candidate: string) => number {
  const m = word.length;
  if (m === 0 || m > MAX_BIT_PARALLEL) return (candidate) => editDistance(word, candidate);
  // Per character, the positions where the word has it (bit i: word[i]).
  const ascii = new Int32Array(128);
  const other = new Map<number, number>();
  for (let i = 0; i < m; i++) {
    const c = word.charCodeAt(i);
    if (c < 128) ascii[c] |= 1 << i;
    else other.set(c, (other.get(c) ?? 0) | (1 << i));
  }
  const last = 1 << (m - 1);
  return (candidate) => {
    // The vertical deltas of the current column, +1 (pv) and -1 (mv), and the last row's value.
    let pv = -1;
    let mv = 0;
    let score = m;
    for (let j = 0; j < candidate.length; j++) {
      const c = candidate.charCodeAt(j);
      const eq = c < 128 ? ascii[c] : (other.get(c) ?? 0);
      const xv = eq | mv;
      const xh = ((((eq & pv) + pv) | 0) ^ pv) | eq;
      let ph = mv | ~(xh | pv);
      let mh = pv & xh;
      if (ph & last) score++;
      else if (mh & last) score--;
      // The first row grows by one per character of the candidate: a +1 comes in at the bottom.
      ph = (ph << 1) | 1;
      mh <<= 1;
      pv = mh | ~(xv | ph);
      mv = ph & xv;
    }
    return score;
  };
}

export interface ClosestOptions {
  /** Candidates never to suggest, e.g. the task that holds the reference: it cannot be its own dependency. */
  exclude?: ReadonlySet<string>;
  /**
   * Also suggest the one candidate that `word` begins or ends at an underscore (`system_info` →
   * `system_info_executor`): people drop an id's common suffix, which edit distance cannot see.
   */
  affixes?: boolean;
}

/** An affix shorter than this (`a`, `io`) says too little about which candidate was meant. */
const MIN_AFFIX = 3;

/**
 * Candidates within `maxDistance` of `word`, nearest first (ties in candidate order); an affix match comes first.
 * One pass over the candidates without copying them: a reference is matched against 20,000 ids and names.
 */
export function closest(word: string, candidates: Iterable<string>, maxDistance: number, limit: number, options: ClosestOptions = {}): string[] {
  const { exclude } = options;
  const [prefix, suffix] = options.affixes && word.length >= MIN_AFFIX ? [`${word}_`, `_${word}`] : [null, null];
  // The single candidate that `word` starts or ends at an underscore boundary, if exactly one does.
  let affix: { candidate: string; order: number } | null = null;
  let affixes = 0;
  const scored: { candidate: string; distance: number; order: number }[] = [];
  const distance = distanceFrom(word);
  let order = 0;
  for (const candidate of candidates) {
    if (candidate === word || exclude?.has(candidate)) continue;
    if (prefix !== null && suffix !== null && (candidate.startsWith(prefix) || candidate.endsWith(suffix))) {
      affixes++;
      affix = { candidate, order };
    }
    if (Math.abs(candidate.length - word.length) <= maxDistance) {
      const d = distance(candidate);
      if (d <= maxDistance) scored.push({ candidate, distance: d, order });
    }
    order++;
  }
  const only = affixes === 1 ? affix : null;
  const ranked = only ? [{ ...only, distance: -1 }, ...scored.filter((s) => s.candidate !== only.candidate)] : scored;
  ranked.sort((x, y) => x.distance - y.distance || x.order - y.order);
  return ranked.slice(0, limit).map((s) => s.candidate);
}

/** A copy of `text` that does not share memory with the string it was sliced from. */
export function detached(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

// Comparing slices lets V8 compare whole blocks at memory speed: about 20× faster than a
// character loop over a 10 MB document.
const BLOCK = 4096;

/** Length of the longest common prefix of `a` and `b`. */
export function commonPrefix(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let n = 0;
  while (n + BLOCK <= max && a.slice(n, n + BLOCK) === b.slice(n, n + BLOCK)) n += BLOCK;
  while (n < max && a.charCodeAt(n) === b.charCodeAt(n)) n++;
  return n;
}

/** Length of the longest common suffix of `a` and `b` that does not overlap the first `skip` characters. */
export function commonSuffix(a: string, b: string, skip: number): number {
  const max = Math.min(a.length, b.length) - skip;
  let n = 0;
  while (n + BLOCK <= max && a.slice(a.length - n - BLOCK, a.length - n) === b.slice(b.length - n - BLOCK, b.length - n)) n += BLOCK;
  while (n < max && a.charCodeAt(a.length - 1 - n) === b.charCodeAt(b.length - 1 - n)) n++;
  return n;
}

/**
 * `text` with each carriage return that is not followed by a newline replaced by one. A lone `\r` is
 * a line break for YAML (1.2, rule 28) and for LSP positions alike; as the same number of characters
 * it keeps every offset, and the rest of the core need only know `\n` (and `\r\n`).
 */
export function withLoneCarriageReturnsAsNewlines(text: string): string {
  let i = text.indexOf('\r');
  while (i !== -1 && text.charCodeAt(i + 1) === 10) i = text.indexOf('\r', i + 2);
  return i === -1 ? text : text.replace(/\r(?!\n)/g, '\n');
}
