// What `validate` found, as every output format reads it: the files with their text and diagnostics,
// the counts per severity, and the summary line.
import type { Diagnostic, Severity, Snapshot } from '../../analysis';

export interface FileReport {
  /** The path as printed: relative to the working folder when inside it, `<stdin>` for unnamed input. */
  path: string;
  /** The text analysed (a lone carriage return already read as a line break), for source excerpts. */
  text: string;
  diagnostics: Diagnostic[];
}

export function fileReport(path: string, snapshot: Snapshot): FileReport {
  return { path, text: snapshot.text, diagnostics: snapshot.diagnostics };
}

export type Counts = Record<Severity, number>;

export function countsOf(files: readonly FileReport[]): Counts {
  const counts: Counts = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const file of files) for (const d of file.diagnostics) counts[d.severity]++;
  return counts;
}

/** `1 warning`, `2 warnings`. */
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * `2 errors, 3 warnings, 1 information, 4 hints in 1 file`: errors and warnings always (spec 6.2),
 * information and hints when there are any.
 */
export function summaryLine(counts: Counts, files: number): string {
  const parts = [plural(counts.error, 'error'), plural(counts.warning, 'warning')];
  if (counts.information) parts.push(`${counts.information} information`);
  if (counts.hint) parts.push(plural(counts.hint, 'hint'));
  return `${parts.join(', ')} in ${plural(files, 'file')}`;
}
