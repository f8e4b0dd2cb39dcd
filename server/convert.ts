// The core's plain data → LSP types.
import {
  CodeActionKind,
  DiagnosticSeverity,
  DiagnosticTag,
  type CodeAction,
  type Diagnostic as LspDiagnostic,
} from 'vscode-languageserver/node';
import type { Diagnostic, Range, Severity } from '../analysis';
import { diagnosticDocLinks } from './doc-links';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const SOURCE = 'apflow';

const docLink = diagnosticDocLinks();

export function toLspDiagnostic(d: Diagnostic, uri: string): LspDiagnostic {
  const out: LspDiagnostic = { range: d.range, severity: SEVERITY[d.severity], code: d.code, source: SOURCE, message: d.message };
  const href = docLink(d.code);
  if (href) out.codeDescription = { href };
  if (d.related?.length) out.relatedInformation = d.related.map((r) => ({ location: { uri, range: r.range }, message: r.message }));
  if (d.unnecessary) out.tags = [DiagnosticTag.Unnecessary];
  return out;
}

function before(a: Range['start'], b: Range['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function overlaps(a: Range, b: Range): boolean {
  return !before(a.end, b.start) && !before(b.end, a.start);
}

/** The quick fixes of the diagnostics that touch `range`, as code actions editing `uri`. */
export function quickFixActions(diagnostics: readonly Diagnostic[], range: Range, uri: string): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const d of diagnostics) {
    if (!d.fixes?.length || !overlaps(d.range, range)) continue;
    const diagnostic = toLspDiagnostic(d, uri);
    for (const fix of d.fixes) {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        ...(fix.preferred ? { isPreferred: true } : {}),
        edit: { changes: { [uri]: fix.edits } },
      });
    }
  }
  return actions;
}

/** A snippet as plain text, for clients without snippet support: placeholders keep their default. */
export function snippetToPlain(snippet: string): string {
  return snippet
    .replace(/\$\{\d+\|([^,|]*)[^|]*\|\}/g, '$1')
    .replace(/\$\{\d+:((?:\\.|[^}\\])*)\}/g, '$1')
    .replace(/\$\d+/g, '')
    .replace(/\\([\\$}|,])/g, '$1');
}
