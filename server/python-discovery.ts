// The workspace's Python executors for the language server (issue 12): discovered statically once the
// parser has loaded, then kept up to date file by file from the client's file events. Never imports
// or runs the code, so it is safe in an untrusted workspace.
import { NO_PYTHON, type PythonView } from '../analysis';
import { PythonParser, PythonWorkspace } from '../analysis/python/node';

export class PythonDiscovery {
  private workspace: PythonWorkspace | null = null;
  /** Files that changed while the first discovery ran: read again once it is done. */
  private pending: string[] = [];

  /** Reads every Python file of the workspace folders; resolves when the registry is complete. */
  async start(folders: readonly string[]): Promise<void> {
    const workspace = new PythonWorkspace(() => PythonParser.load());
    // Loaded up front: a declaration or a file event may ask for any file at any time.
    await workspace.prepare();
    for (const folder of folders) await workspace.discover(folder);
    this.workspace = workspace;
    for (const path of this.pending.splice(0)) workspace.changed(path);
  }

  get ready(): boolean {
    return this.workspace !== null;
  }

  view(fileDir: string | null): PythonView {
    return this.workspace ? this.workspace.view(fileDir) : { ...NO_PYTHON, fileDir };
  }

  /** Files changed on disk; returns whether any is a Python file that matters to the trees. */
  changed(paths: readonly string[]): boolean {
    const python = paths.filter((p) => p.endsWith('.py'));
    if (!this.workspace) {
      this.pending.push(...python);
      return false;
    }
    let changed = false;
    for (const path of python) changed = this.workspace.changed(path) || changed;
    return changed;
  }
}
