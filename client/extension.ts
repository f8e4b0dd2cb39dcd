// The extension's entry (dist/client.js). Kept tiny on purpose: activation loads the editor parts
// (./activate) and nothing else. The runtime, the analysis its pre-flight needs, the history and
// sql.js are another bundle (dist/runtime-host.js, see runtime-host.ts), loaded on first need.
import type * as vscode from 'vscode';
import type { TestApi } from './activate';

export function activate(context: vscode.ExtensionContext): TestApi {
  return (require('./activate') as typeof import('./activate')).activate(context);
}

export function deactivate(): Promise<void> | undefined {
  return (require('./activate') as typeof import('./activate')).deactivate();
}
