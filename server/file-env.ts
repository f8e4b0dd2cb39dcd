// Whether workspace executor modules exist (spec 1.4): the server checks the file system and never
// loads a module. Answers are cached while the client reports file creations and deletions
// (workspace/didChangeWatchedFiles); without that, every check asks the file system again.
import { existsSync } from 'node:fs';
import type { AnalysisEnv, PythonView } from '../analysis';
import type { PythonDiscovery } from './python-discovery';

export class FileExistence implements AnalysisEnv {
  private readonly cache = new Map<string, boolean>();
  private watched = false;

  constructor(private readonly discovery: PythonDiscovery) {}

  python(fileDir: string | null): PythonView {
    return this.discovery.view(fileDir);
  }

  /** The client now reports file events: answers may be cached. */
  watching(): void {
    this.watched = true;
  }

  fileExists(path: string): boolean {
    if (!this.watched) return existsSync(path);
    let exists = this.cache.get(path);
    if (exists === undefined) {
      exists = existsSync(path);
      this.cache.set(path, exists);
    }
    return exists;
  }

  /** Forgets what is known about `paths`. */
  changed(paths: readonly string[]): void {
    for (const path of paths) this.cache.delete(path);
  }
}
