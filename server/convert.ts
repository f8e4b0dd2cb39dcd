// The core's plain data → LSP types.
import {
  CodeActionKind,
  DiagnosticSeverity,
  DiagnosticTag,
  type CodeAction,
  type Diagnostic as LspDiagnostic,
} from 'vscode-languageserver/node';
import type { Diagnostic, FixAction, Severity } from '../analysis';
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

/** Quick fixes of the snapshot (with the diagnostics they fix) as code actions editing `uri`. */
export function quickFixActions(fixes: readonly FixAction[], uri: string): CodeAction[] {
  return fixes.map(({ diagnostic, fix }) => ({
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [toLspDiagnostic(diagnostic, uri)],
    ...(fix.preferred ? { isPreferred: true } : {}),
    edit: { changes: { [uri]: fix.edits } },
  }));
}

/** A snippet as plain text, for clients without snippet support: placeholders keep their default. */
export function snippetToPlain(snippet: string): string {
  return snippet
    .replace(/\$\{\d+\|([^,|]*)[^|]*\|\}/g, '$1')
    .replace(/\$\{\d+:((?:\\.|[^}\\])*)\}/g, '$1')
    .replace(/\$\d+/g, '')
    .replace(/\\([\\$}|,])/g, '$1');
}
