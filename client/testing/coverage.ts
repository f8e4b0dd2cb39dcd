// The coverage of the last full run of a tree's tests, as hints in the tree file (issue 14): tasks no
// case ran (for real or mocked), and dependencies no case exercised with a failure upstream.
import * as vscode from 'vscode';
import type { Coverage } from '../../runtime';

export class CoverageHints implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('apflow tests');

  show(tree: vscode.Uri, coverage: Coverage): void {
    const range = (r: Coverage['tasks'][number]['range']) => new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
    const diagnostics = [
      ...coverage.tasks
        .filter((t) => !t.ran)
        .map((t) => hint(range(t.range), `no test case runs task '${t.task}', for real or mocked: add a case that reaches it`, vscode.DiagnosticSeverity.Information)),
      ...coverage.edges
        .filter((e) => !e.failedUpstream)
        .map((e) =>
          hint(
            range(e.range),
            `no test case has '${e.from}' fail: what '${e.to}' does then (${e.required ? 'stay blocked' : 'run anyway'}) is untested; mock '${e.from}' with \`fail:\``,
            vscode.DiagnosticSeverity.Hint,
          ),
        ),
    ];
    this.collection.set(tree, diagnostics);
  }

  dispose(): void {
    this.collection.dispose();
  }
}

function hint(range: vscode.Range, message: string, severity: vscode.DiagnosticSeverity): vscode.Diagnostic {
  const d = new vscode.Diagnostic(range, message, severity);
  d.source = 'apflow tests';
  return d;
}
