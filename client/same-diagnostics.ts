// Whether two lists of diagnostics say the same thing. The server publishes a file's diagnostics
// after every change; while the user types away from them it is the same list each time, and handing
// VS Code an equal list costs the window a marker update per keystroke for nothing: in code-server,
// typing 60 letters into the 10,000-task benchmark tree, the marker decorations and their listeners
// took about 0.22 s of the window's main thread that a plain YAML copy did not (issue 9).
// client/lsp.ts hands VS Code only a list that differs from the one it shows. Our server sends no
// `data` with a diagnostic; if it did, `data` would have to be compared too (code actions read it).
import type * as vscode from 'vscode';

export function sameDiagnostics(shown: readonly vscode.Diagnostic[] | undefined, next: readonly vscode.Diagnostic[]): boolean {
  return sameList(shown ?? [], next, sameDiagnostic);
}

function sameDiagnostic(a: vscode.Diagnostic, b: vscode.Diagnostic): boolean {
  return (
    a.range.isEqual(b.range) &&
    a.message === b.message &&
    a.severity === b.severity &&
    a.source === b.source &&
    sameCode(a.code, b.code) &&
    sameList(a.tags ?? [], b.tags ?? [], (x, y) => x === y) &&
    sameList(a.relatedInformation ?? [], b.relatedInformation ?? [], sameRelated)
  );
}

function sameCode(a: vscode.Diagnostic['code'], b: vscode.Diagnostic['code']): boolean {
  if (typeof a !== 'object' || typeof b !== 'object') return a === b;
  return a.value === b.value && a.target.toString() === b.target.toString();
}

function sameRelated(a: vscode.DiagnosticRelatedInformation, b: vscode.DiagnosticRelatedInformation): boolean {
  return a.message === b.message && a.location.uri.toString() === b.location.uri.toString() && a.location.range.isEqual(b.location.range);
}

function sameList<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): boolean {
  return a.length === b.length && a.every((x, i) => same(x, b[i]));
}
