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

/** What a command-line host analyses trees with. */
export interface DiscoveredEnv {
  readonly env: AnalysisEnv;
  /** To be awaited before analysing `text`: a tree that declares Python code needs the parser. */
  prepare(text: string): Promise<void>;
}

/** A `python:` key, in YAML or JSON: how a tree declares Python code (a superset: a comment may match too). */
const DECLARES_PYTHON = /\bpython["']?\s*:/;

/** The file-system environment, with the Python executors of the projects of `treeFiles` discovered once each. */
export function discoveredEnv(treeFiles: readonly string[], cwd: string): Promise<DiscoveredEnv> {
  return discoveredEnvIn([...new Set(treeFiles.map((file) => projectRoot(dirname(file), cwd)))]);
}

/**
 * `base` (default: the file system) with the Python executors of the folders `roots` discovered once
 * each. The parser is loaded only when a project file may register an executor or a tree declares
 * Python code: validating a 250,000-task tree of built-in executors does without its 32 MiB.
 */
export async function discoveredEnvIn(roots: readonly string[], base: AnalysisEnv = nodeEnv): Promise<DiscoveredEnv> {
  const workspace = new PythonWorkspace(() => PythonParser.load());
  for (const root of roots) await workspace.discover(root);
  return {
    env: { ...base, python: (fileDir) => workspace.view(fileDir) },
    prepare: async (text) => {
      if (DECLARES_PYTHON.test(text)) await workspace.prepare();
    },
  };
}
