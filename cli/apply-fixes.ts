// `validate --fix`: each diagnostic's preferred quick fix, applied as the editor would apply it, pass
// after pass (a fix can reveal or resolve others) until nothing changes or MAX_FIX_PASSES.
import type { Diagnostic, Snapshot } from '../analysis';

/** Enough for fixes that enable others; a bound, so that two fixes undoing each other cannot loop. */
export const MAX_FIX_PASSES = 10;

interface OffsetEdit {
  start: number;
  end: number;
  text: string;
}

/** Overlapping edits, or two at one point (which goes first would be a guess), cannot both be applied. */
function clash(a: OffsetEdit, b: OffsetEdit): boolean {
  return a.start === b.start || (a.start < b.end && b.start < a.end);
}

/** The preferred fixes of a snapshot that do not clash, in document order; the rest wait for the next pass. */
function compatibleFixes(snapshot: Snapshot): { fixed: Diagnostic[]; edits: OffsetEdit[] } {
  const fixed: Diagnostic[] = [];
  const edits: OffsetEdit[] = [];
  for (const d of snapshot.diagnostics) {
    const fix = d.fixes?.find((f) => f.preferred);
    if (!fix) continue;
    const mine = fix.edits.map((e) => ({ start: snapshot.offsetAt(e.range.start), end: snapshot.offsetAt(e.range.end), text: e.newText }));
    if (mine.some((e) => edits.some((other) => clash(e, other)))) continue;
    edits.push(...mine);
    fixed.push(d);
  }
  return { fixed, edits };
}

/** Non-overlapping edits applied in one sweep (the same as applying them from the end, in linear time). */
function applied(text: string, edits: readonly OffsetEdit[]): string {
  const pieces: string[] = [];
  let at = 0;
  for (const e of [...edits].sort((a, b) => a.start - b.start)) {
    pieces.push(text.slice(at, e.start), e.text);
    at = e.end;
  }
  pieces.push(text.slice(at));
  return pieces.join('');
}

export interface FixOutcome {
  /** The fixed text; the original's lone carriage returns and other bytes are kept as they were. */
  text: string;
  /** The diagnostics whose fixes were applied, pass by pass (their ranges are of the text of their pass). */
  fixed: Diagnostic[];
  /** The analysis of `text`: what remains. */
  snapshot: Snapshot;
}

/** `analyse` is the one analysis the caller reports with (file name, environment), applied to each pass's text. */
export function applyPreferredFixes(text: string, analyse: (text: string) => Snapshot): FixOutcome {
  let current = text;
  const fixed: Diagnostic[] = [];
  let snapshot = analyse(current);
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const next = compatibleFixes(snapshot);
    // The edits apply to the text as written: the snapshot's offsets are the same (spec 2: a lone CR is one character).
    const changed = next.edits.length ? applied(current, next.edits) : current;
    if (changed === current) break;
    fixed.push(...next.fixed);
    current = changed;
    snapshot = analyse(current);
  }
  return { text: current, fixed, snapshot };
}
