// Whether workspace executor modules exist (spec 1.4): the server checks the file system and never
// loads a module. Answers are cached while the client reports file creations and deletions
// (workspace/didChangeWatchedFiles); without that, every check asks the file system again. It also
// carries the `apflow.target` setting.
import { existsSync } from 'node:fs';
import type { AnalysisEnv, ApflowTarget } from '../analysis';

export class FileExistence implements AnalysisEnv {
  private readonly cache = new Map<string, boolean>();
  private watched = false;
  /** The `apflow.target` setting, read by every analysis (a file's `apflow_version` wins). */
  target: ApflowTarget | undefined;

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
