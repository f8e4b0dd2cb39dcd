// The extension's entry (dist/client.js). Kept tiny on purpose: activation loads the editor parts
// (./activate) and nothing else. The runtime with the analysis its pre-flight needs, and the history,
// are other bundles (dist/runtime-host.js, dist/history-host.js), loaded on first need.
import { join } from 'node:path';
import type * as vscode from 'vscode';
import type { TestApi } from './activate';
import { lensHub } from './lens-hub';
import { startServerEarly } from './server-process';

// VS Code loads this module only to activate the extension: the language server starts now, while
// VS Code prepares the extension's context (client/server-process.ts), and the lens provider is
// registered, for VS Code to ask it once activate() has added the lenses (client/lens-hub.ts).
startServerEarly(join(__dirname, '..'));
lensHub();

export function activate(context: vscode.ExtensionContext): TestApi {
  return (require('./activate') as typeof import('./activate')).activate(context);
}

export function deactivate(): Promise<void> | undefined {
  return (require('./activate') as typeof import('./activate')).deactivate();
}
