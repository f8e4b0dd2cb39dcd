// tsconfig's `moduleResolution: node` ignores package `exports`, and the vscode-languageserver packages
// (v11) declare their entry points only there, so TypeScript cannot find them (esbuild and Node can).
// These declarations point TypeScript at the same files. They can go once tsconfig resolves modules with
// `exports` (e.g. `module`/`moduleResolution: node16`).
declare module 'vscode-jsonrpc' {
  export * from 'vscode-jsonrpc/lib/common/api';
}
declare module 'vscode-jsonrpc/node' {
  export * from 'vscode-jsonrpc/lib/node/main';
}
declare module 'vscode-languageserver-protocol' {
  export * from 'vscode-languageserver-protocol/lib/common/api';
}
declare module 'vscode-languageserver-protocol/node' {
  export * from 'vscode-languageserver-protocol/lib/node/main';
}
declare module 'vscode-languageserver' {
  export * from 'vscode-languageserver/lib/common/api';
}
declare module 'vscode-languageserver/node' {
  export * from 'vscode-languageserver/lib/node/main';
}
