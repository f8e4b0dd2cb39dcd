// `▶ N tests` above a tree that test files name (issue 14): runs every case of those files.
import * as vscode from 'vscode';
import type { TreeTests } from './controller';

export const RUN_TREE_TESTS_COMMAND = 'apflow.runTreeTests';

export class TreeTestsLens implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly tests: TreeTests) {
    this.onDidChangeCodeLenses = tests.onDidChange;
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const files = this.tests.byTree().get(document.uri.fsPath);
    if (!files?.length) return [];
    const cases = files.reduce((n, f) => n + f.cases, 0);
    const title = `▶ ${cases} test${cases === 1 ? '' : 's'}`;
    return [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), { title, command: RUN_TREE_TESTS_COMMAND, arguments: [document.uri.fsPath], tooltip: 'Run the tree tests of this tree' })];
  }
}
