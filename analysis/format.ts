// The text form of a diagnostic shared by `validate` and the run refusal (spec 6.2, 3.1).
import type { Diagnostic } from './types';

/** `path:line:col: severity code: message`, with 1-based line and column. */
export function formatDiagnosticLine(path: string, d: Diagnostic): string {
  return `${path}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.code}: ${d.message}`;
}
