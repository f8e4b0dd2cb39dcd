// Static discovery of the workspace's Python executors for hosts on Node (the language server, the
// CLI): the parser (WebAssembly) and the file walking, kept out of the core's index like node-env.ts.
export { PythonParser } from './parser';
export { PythonWorkspace } from './workspace';
export { discoveredEnv, discoveredEnvIn, projectRoot, type DiscoveredEnv } from './project';
