// The extension's entry (dist/client.js). Kept tiny on purpose: the editor parts (./activate) load
// on the next turn of the event loop, and nothing else does. The runtime with the analysis its pre-flight needs, and the history,
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
// VS Code calls activate() 0.3–0.8 s later (in code-server, opening a 10,000-task tree), waiting for
// the window meanwhile. The editor parts are loaded in that wait, on the next turn of the event loop:
// loaded in activate() they took another 0.2–0.46 s there, while the server analysed the file.
setImmediate(() => require('./activate'));

export function activate(context: vscode.ExtensionContext): TestApi {
  return (require('./activate') as typeof import('./activate')).activate(context);
}

export function deactivate(): Promise<void> | undefined {
  return (require('./activate') as typeof import('./activate')).deactivate();
}
