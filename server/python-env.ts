// What the client's probe said about the workspace's Python (issue 12): executors that apflow, installed
// there, runs locally are not "needing an apflow server"; their remote-executor diagnostic says so.
import type { Diagnostic, Snapshot } from '../analysis';
import type { PythonEnvironmentParams } from '../protocol';

export class PythonEnvironments {
  private readonly local = new Map<string, PythonEnvironmentParams>();

  /** Records a probe; returns whether anything the diagnostics depend on changed. */
  update(params: PythonEnvironmentParams): boolean {
    let changed = false;
    for (const id of params.executors) {
      const known = this.local.get(id);
      if (known?.interpreter === params.interpreter && known.apflow === params.apflow) continue;
      this.local.set(id, params);
      changed = true;
    }
    return changed;
  }

  /** The diagnostic as it should read given the probes (the same object when nothing changes it). */
  adjust(d: Diagnostic, snapshot: Snapshot): Diagnostic {
    if (d.code !== 'remote-executor' || this.local.size === 0 || d.task === null) return d;
    const id = snapshot.model.resolve(d.task)?.executor;
    const env = id ? this.local.get(id) : undefined;
    if (!id || !env) return d;
    return { ...d, message: `\`${id}\` runs locally: apflow ${env.apflow ?? ''} is installed in ${env.interpreter}, and the run's Python host runs it there` };
  }
}
