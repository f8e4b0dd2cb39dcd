// sql.js, loaded on first use only: compiling its WebAssembly costs ~15 ms that a host which never
// opens a history (or has not yet) should not pay at start-up.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { SqlJsStatic } from 'sql.js';

let loading: Promise<SqlJsStatic> | null = null;

export function loadSqlJs(): Promise<SqlJsStatic> {
  if (!loading) {
    // A require() inside the function keeps even sql.js's JavaScript from being evaluated at load time.
    const initSqlJs = require('sql.js') as typeof import('sql.js');
    loading = initSqlJs({ locateFile: () => wasmPath() });
  }
  return loading;
}

/**
 * Beside the running bundle (the build copies it there); from node_modules when running the sources.
 * createRequire keeps the bundler from treating the source-only lookup as something to bundle.
 */
function wasmPath(): string {
  const beside = join(__dirname, 'sql-wasm.wasm');
  return existsSync(beside) ? beside : createRequire(__filename).resolve('sql.js/dist/sql-wasm.wasm');
}
