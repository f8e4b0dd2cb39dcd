// The workspace's Python files on disk, read statically: discovery walks the folders once, then
// re-reads only a file that changed. Shared by the language server (which follows file events) and
// the CLI (which discovers once). Virtual environments, site-packages, node_modules, __pycache__ and
// dot-folders are skipped: their code is not the workspace's.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { PythonParser } from './parser';
import type { PythonExecutorFacts, PythonFileFacts, PythonView } from './types';

const SKIPPED_FOLDERS = new Set(['node_modules', '__pycache__', 'site-packages', 'venv']);
/** Larger files are generated or vendored code, not executors: reading them would only cost time. */
const MAX_FILE_BYTES = 1024 * 1024;

/** A file that names neither decorator registers nothing: it is not parsed at all during discovery. */
const MAY_REGISTER = /\b(executor_register|function_executor)\b/;

function mayRegister(source: string): boolean {
  return source.length <= MAX_FILE_BYTES && MAY_REGISTER.test(source);
}

function skippedName(name: string): boolean {
  return name.startsWith('.') || SKIPPED_FOLDERS.has(name);
}

function isUnder(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

export class PythonWorkspace {
  /** The registrations of the files found by discovery (under a root, outside skipped folders). */
  private readonly discovered = new Map<string, PythonFileFacts>();
  /** Files a declaration named, read in full on demand (null: it does not exist). */
  private readonly named = new Map<string, PythonFileFacts | null>();
  private readonly roots: string[] = [];
  private executorsMemo: Map<string, PythonExecutorFacts[]> | null = null;
  private parser: PythonParser | null = null;

  /**
   * `loadParser` is called once, when first needed: by discovery when it meets a file that may
   * register an executor, or by `prepare` (the parser is 32 MiB of WebAssembly that a tree with only
   * built-in executors and a project without Python never needs).
   */
  constructor(private readonly loadParser: () => Promise<PythonParser>) {}

  /** Loads the parser, which reading a file a declaration names (`file`) needs: call it before analysing a tree that declares Python code. */
  async prepare(): Promise<void> {
    this.parser ??= await this.loadParser();
  }

  private get loadedParser(): PythonParser {
    if (!this.parser) throw new Error('PythonWorkspace: prepare() must be awaited before Python files are read');
    return this.parser;
  }

  /** Reads every Python file under `root`; the folders already discovered keep what they found. */
  async discover(root: string): Promise<void> {
    if (!this.roots.includes(root)) this.roots.push(root);
    await this.walk(root);
    this.executorsMemo = null;
  }

  private async walk(dir: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // unreadable or gone: nothing of ours there
    }
    if (entries.some((e) => e.name === 'pyvenv.cfg')) return;
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!skippedName(entry.name)) await this.walk(path);
      } else if (entry.isFile() && entry.name.endsWith('.py')) {
        const source = await readFile(path, 'utf8').catch(() => null);
        if (source === null || !mayRegister(source)) continue;
        await this.prepare();
        const facts = this.registrations(source, path);
        if (facts) this.discovered.set(path, facts);
      }
    }
  }

  /** Whether discovery covers `path`: under a root, and in no skipped folder or virtual environment. */
  private covers(path: string): boolean {
    const root = this.roots.find((r) => isUnder(r, path));
    if (!root) return false;
    const folders = relative(root, dirname(path)).split(sep).filter(Boolean);
    let dir = root;
    for (const name of folders) {
      if (skippedName(name)) return false;
      dir = join(dir, name);
      if (existsSync(join(dir, 'pyvenv.cfg'))) return false;
    }
    return true;
  }

  /** A file changed, appeared or went away on disk: re-reads only it. Returns whether it is a file the trees may see. */
  changed(path: string): boolean {
    if (!path.endsWith('.py')) return false;
    const named = this.named.delete(path);
    if (!this.covers(path)) return named;
    const before = this.discovered.get(path);
    const source = this.source(path);
    const facts = source === null ? null : this.registrations(source, path);
    if (facts) this.discovered.set(path, facts);
    else this.discovered.delete(path);
    if (JSON.stringify(before?.executors ?? []) !== JSON.stringify(facts?.executors ?? [])) this.executorsMemo = null;
    return named || before !== undefined || facts !== null;
  }

  private registrations(source: string, path: string): PythonFileFacts | null {
    if (!mayRegister(source)) return null;
    const facts = this.loadedParser.read(source, path, 'registered');
    return facts.executors.length ? facts : null;
  }

  private source(path: string): string | null {
    try {
      return statSync(path).size > MAX_FILE_BYTES ? '' : readFileSync(path, 'utf8');
    } catch {
      return null;
    }
  }

  /** Everything of one file (its classes and functions too), read once until it changes: what a declaration names. */
  file(path: string): PythonFileFacts | null {
    if (!this.named.has(path)) {
      const source = path.endsWith('.py') ? this.source(path) : null;
      this.named.set(path, source === null ? null : this.loadedParser.read(source, path));
    }
    return this.named.get(path) ?? null;
  }

  /** Every registered executor by id, in file-path order (a new map whenever one changed). */
  executors(): ReadonlyMap<string, readonly PythonExecutorFacts[]> {
    if (!this.executorsMemo) {
      const byId = new Map<string, PythonExecutorFacts[]>();
      const files = [...this.discovered.keys()].sort();
      for (const file of files) for (const facts of (this.discovered.get(file) as PythonFileFacts).executors) byId.set(facts.id, [...(byId.get(facts.id) ?? []), facts]);
      this.executorsMemo = byId;
    }
    return this.executorsMemo;
  }

  /** The view of a tree file in `fileDir`: module references resolve against it and its ancestors up to its root. */
  view(fileDir: string | null): PythonView {
    const root = fileDir === null ? undefined : this.roots.filter((r) => isUnder(r, fileDir)).sort((a, b) => b.length - a.length)[0];
    const searchRoots: string[] = [];
    if (fileDir !== null) {
      for (let dir = fileDir; ; dir = dirname(dir)) {
        searchRoots.push(dir);
        if (!root || dir === root || dirname(dir) === dir) break;
      }
    }
    return { fileDir, executors: this.executors(), searchRoots, file: (path) => this.file(path) };
  }
}
