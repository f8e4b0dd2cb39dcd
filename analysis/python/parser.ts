// The Python parser: tree-sitter's Python grammar through web-tree-sitter (WebAssembly, no native
// build). Loading is asynchronous and done once per process; parsing is then synchronous.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Language, Parser } from 'web-tree-sitter';
import { extractPython } from './extract';
import type { PythonFileFacts } from './types';

/** A .wasm file beside the bundle (dist/, see esbuild.mjs), else from its npm package (sources, tests). */
function wasm(name: string, packagePath: string): string {
  const beside = join(__dirname, name);
  return existsSync(beside) ? beside : createRequire(__filename).resolve(packagePath);
}

export class PythonParser {
  private constructor(private readonly parser: Parser) {}

  /** Python source → its definitions and registered executors; a file tree-sitter cannot read fully still yields what it could. */
  read(source: string, file: string, scope: 'all' | 'registered' = 'all'): PythonFileFacts {
    const tree = this.parser.parse(source);
    if (!tree) return { file, definitions: [], executors: [] };
    try {
      return extractPython(tree.rootNode, file, scope);
    } finally {
      tree.delete();
    }
  }

  private static loading: Promise<PythonParser> | null = null;

  static load(): Promise<PythonParser> {
    PythonParser.loading ??= (async () => {
      const runtime = wasm('tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm');
      // Only locateFile matters here: the rest of Emscripten's module options keep their defaults.
      await Parser.init({ locateFile: () => runtime } as unknown as Parameters<typeof Parser.init>[0]);
      const language = await Language.load(wasm('tree-sitter-python.wasm', 'tree-sitter-python/tree-sitter-python.wasm'));
      const parser = new Parser();
      parser.setLanguage(language);
      return new PythonParser(parser);
    })();
    return PythonParser.loading;
  }
}
