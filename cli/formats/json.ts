// `validate --format json` (`--json`): the document of spec 6.3, a contract — extend it, never rename.
import type { Diagnostic } from '../../analysis';
import { countsOf, type FileReport } from './report';

/** The diagnostic as `validate --json` and run refusals print it (spec 6.3). */
export function diagnosticJson(d: Diagnostic) {
  return { code: d.code, severity: d.severity, message: d.message, range: d.range, task: d.task };
}

export function jsonReport(files: readonly FileReport[]): string {
  const counts = countsOf(files);
  const doc = { files: files.map((f) => ({ path: f.path, diagnostics: f.diagnostics.map(diagnosticJson) })), errors: counts.error, warnings: counts.warning };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
