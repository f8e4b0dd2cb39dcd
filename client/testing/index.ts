// Tree tests in the editor (docs/tree-tests.md): the Testing view's items, the `N tests` lens on trees,
// and the coverage hints.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { RuntimeHost } from '../runtime-host';
import { lensHub } from '../lens-hub';
import { TreeTests } from './controller';
import { RUN_TREE_TESTS_COMMAND, TreeTestsLens } from './lens';

export { TreeTests };

export function registerTreeTests(client: LanguageClient, started: Promise<void>, runtime: () => RuntimeHost): { tests: TreeTests; disposables: vscode.Disposable[] } {
  const tests = new TreeTests(client, runtime);
  // Discovery needs the server's answers: it starts once the client is running.
  void started.then(
    () => tests.discover(),
    () => undefined,
  );
  return {
    tests,
    disposables: [
      tests,
      lensHub().add({ language: 'apflow' }, new TreeTestsLens(tests)),
      // From the lens (the tree's path) or the command palette (the active tree).
      vscode.commands.registerCommand(RUN_TREE_TESTS_COMMAND, (treePath?: string) => {
        const path = treePath ?? vscode.window.activeTextEditor?.document.uri.fsPath;
        return path ? tests.runTree(path) : undefined;
      }),
    ],
  };
}
