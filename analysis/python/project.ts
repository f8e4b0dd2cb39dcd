// Static discovery for a command-line host (the CLI, the runtime's pre-flight): a tree file sees the
// Python files of its project, the nearest folder at or above it that holds `.git` or
// `pyproject.toml`, else the current folder when the tree is inside it, else the tree's own folder.
import { existsSync } from 'node:fs';
import { dirname, join, relative, isAbsolute } from 'node:path';
import { nodeEnv } from '../node-env';
import type { AnalysisEnv } from '../types';
import { PythonParser } from './parser';
import { PythonWorkspace } from './workspace';

export function projectRoot(treeDir: string, cwd: string): string {
  for (let dir = treeDir; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git')) || existsSync(join(dir, 'pyproject.toml'))) return dir;
    if (dirname(dir) === dir) break;
  }
  const inside = relative(cwd, treeDir);
  return !inside.startsWith('..') && !isAbsolute(inside) ? cwd : treeDir;
}

/** The file-system environment, with the Python executors of the projects of `treeFiles` discovered once each. */
export async function discoveredEnv(treeFiles: readonly string[], cwd: string): Promise<AnalysisEnv> {
  const workspace = new PythonWorkspace(await PythonParser.load());
  const roots = new Set(treeFiles.map((file) => projectRoot(dirname(file), cwd)));
  for (const root of roots) await workspace.discover(root);
  return { ...nodeEnv, python: (fileDir) => workspace.view(fileDir) };
}
