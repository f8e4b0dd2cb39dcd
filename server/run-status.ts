// The newest run's outcome per task, as the client reports it (apflow/runStatus), for hovers. The
// server never runs anything itself.
import type { RunStatus, RunStatusLookup } from '../analysis/features';
import type { RunStatusParams } from './protocol';

export class RunStatusStore {
  private readonly byDocument = new Map<string, Map<string, RunStatus>>();

  update(params: RunStatusParams): void {
    if (!params || typeof params.uri !== 'string' || !Array.isArray(params.tasks)) return;
    const tasks = new Map<string, RunStatus>();
    for (const t of params.tasks) {
      if (!t || typeof t.key !== 'string' || typeof t.status !== 'string') continue;
      tasks.set(t.key, { status: t.status, ...(typeof t.durationMs === 'number' ? { durationMs: t.durationMs } : {}) });
    }
    if (tasks.size) this.byDocument.set(params.uri, tasks);
    else this.byDocument.delete(params.uri);
  }

  lookup(uri: string): RunStatusLookup {
    const tasks = this.byDocument.get(uri);
    return (key) => tasks?.get(key);
  }
}
