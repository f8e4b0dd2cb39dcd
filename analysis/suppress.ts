// `# apflow-disable-next-line [code, …]` and `# apflow-disable` on the first line (spec 2.1).
import { lineOf } from './text';

export interface Suppression {
  /** Line (relative to the text searched) whose diagnostics are suppressed. */
  line: number;
  /** Codes to suppress, or null for all. */
  codes: string[] | null;
}

const NEXT_LINE = /(?:^|\s)#\s*apflow-disable-next-line\b([^\n]*)/g;

export function findSuppressions(text: string, starts: () => number[]): Suppression[] {
  if (!text.includes('apflow-disable-next-line')) return [];
  const out: Suppression[] = [];
  for (const match of text.matchAll(NEXT_LINE)) {
    const codes = match[1].split(/[\s,]+/).filter(Boolean);
    const hash = (match.index ?? 0) + match[0].indexOf('#');
    out.push({ line: lineOf(starts(), hash) + 1, codes: codes.length ? codes : null });
  }
  return out;
}

export function fileSuppressed(text: string): boolean {
  const end = text.indexOf('\n');
  return /^\s*#\s*apflow-disable\s*$/.test(end === -1 ? text : text.slice(0, end));
}
