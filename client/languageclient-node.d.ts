// vscode-languageclient 11 exposes its Node client only through package.json "exports"
// ("vscode-languageclient/node"), which the project's `moduleResolution: node` does not read. esbuild
// does; this maps the same specifier for the type checker.
declare module 'vscode-languageclient/node' {
  export * from 'vscode-languageclient/lib/node/main';
}
