// The protocol shared by the extension and the language server (like vscode-eslint's `$shared/`): the
// messages beyond LSP, the commands lenses name, the settings section and the rule of when a tree may
// be run. client/ and server/ import it from here only.
export * from './messages';
export * from './settings';
export * from './trust';
export * from './graph-view';
