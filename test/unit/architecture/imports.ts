// The relative imports of the project's TypeScript modules, resolved to files: what the
// import-boundary rule is checked on. TypeScript's own pre-processor finds them, including `import
// type`, `export … from`, `import()` and `require()`.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import * as ts from 'typescript';

export interface Import {
  /** The importing module, relative to the root, with `/` separators. */
  from: string;
  /** 1-based line of the import. */
  line: number;
  specifier: string;
  /** The module it resolves to, relative to the root; null when it is outside the root or absent. */
  target: string | null;
}

/** The .ts files under `dir` (absolute), skipping node_modules. */
export function modulesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : modulesUnder(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const toPosix = (path: string) => path.split(sep).join('/');

const isFile = (path: string) => statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;

/** The file a relative specifier names, as TypeScript resolves it (a module, a file, or a folder's index). */
function resolveRelative(root: string, fromFile: string, specifier: string): string | null {
  const base = join(dirname(fromFile), specifier);
  const found = [`${base}.ts`, `${base}.d.ts`, base, join(base, 'index.ts')].find(isFile);
  if (!found) return null;
  const rel = relative(root, found);
  return rel.startsWith('..') ? null : toPosix(rel);
}

/** The relative imports of `file` (absolute). */
export function importsOf(root: string, file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const lineOf = (pos: number) => text.slice(0, pos).split('\n').length;
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.filter((ref) => ref.fileName.startsWith('.'))
    .map((ref) => ({
      from: toPosix(relative(root, file)),
      line: lineOf(ref.pos),
      specifier: ref.fileName,
      target: resolveRelative(root, file, ref.fileName),
    }));
}
