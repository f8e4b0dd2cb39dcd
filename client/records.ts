// Task records as read-only JSON documents (spec 4.3): `apflow-run:/<run id>/<task id> · run <short id> (JSON)`,
// so that the tab says whose record it is. The run page (run-page/) is what a click opens; this stays
// for the whole record as data. Its own outcome comes first, and the inputs the task received are
// shown split: its own, then what each dependency's result merged in (issue 13).
import * as vscode from 'vscode';
import { taskDuration, shownStatus } from './format';
import { splitInputs } from './run-page/model';
import { short, type RunService } from './runs';

export const RECORD_SCHEME = 'apflow-run';

// Only `/` (and `%`, so that the name decodes back) are escaped: the tab shows the task id as written.
const escapeId = (id: string) => id.replace(/%/g, '%25').replace(/\//g, '%2F');

export function recordUri(runId: string, taskId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: RECORD_SCHEME, path: `/${runId}/${escapeId(taskId)} · run ${short(runId)} (JSON)` });
}

export function parseRecordUri(uri: vscode.Uri): { runId: string; taskId: string } | undefined {
  const m = /^\/([^/]+)\/(.+) · run [^ ]+ \(JSON\)$/.exec(uri.path);
  return m ? { runId: m[1], taskId: decodeURIComponent(m[2]) } : undefined;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export class TaskRecordProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly runs: RunService) {
    // A record open while its run goes on follows the run.
    this.subscription = runs.onDidChangeTasks((changes) => {
      const open = vscode.workspace.textDocuments.filter((d) => d.uri.scheme === RECORD_SCHEME);
      if (open.length === 0) return;
      for (const doc of open) {
        const key = parseRecordUri(doc.uri);
        const change = key && changes.find((c) => c.entry.run.id === key.runId);
        if (change && change.indices.some((i) => change.entry.tasks?.[i]?.id === key.taskId)) this.emitter.fire(doc.uri);
      }
    });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const key = parseRecordUri(uri);
    if (!key) return `// not an apflow task record: ${uri.toString()}\n`;
    await this.runs.load();
    const entry = this.runs.get(key.runId);
    if (!entry) return `// run ${key.runId} is not in the history (deleted, or pruned by apflow.history.maxRuns)\n`;
    const tasks = await this.runs.tasksOf(entry);
    const task = tasks.find((t) => t.id === key.taskId);
    if (!task) return `// run ${key.runId} has no task '${key.taskId}'\n`;
    const events = (await this.runs.eventsOf(entry.run.id, task.id)) ?? [];
    const run = entry.run;
    const duration = taskDuration(task);
    const inputs = splitInputs(task, run);
    const record = {
      task: {
        id: task.id,
        name: task.name,
        status: shownStatus(task),
        error: task.error,
        result: task.result,
        inputs: inputs.own,
        ...(inputs.unsplit ? { inputs_note: inputs.unsplit } : { upstream_results: Object.fromEntries(inputs.upstream.map((u) => [u.task, u.values])) }),
        blocked_by: task.blocked_by,
        attempt_count: task.attempt_count,
        max_attempts: task.max_attempts,
        duration_ms: duration,
        started_at: iso(task.started_at),
        completed_at: iso(task.completed_at),
        parent_id: task.parent_id,
        dependencies: task.dependencies,
        priority: task.priority,
        progress: task.progress,
        created_at: iso(task.created_at),
        updated_at: iso(task.updated_at),
        origin_type: task.origin_type,
        original_task_id: task.original_task_id,
        task_tree_id: task.task_tree_id,
        user_id: task.user_id,
        schemas: task.schemas,
        params: task.params,
        // Each hook call, its time and its error (docs/hooks.md), when hooks ran for the task.
        ...(task.hooks ? { hooks: task.hooks } : {}),
      },
      run: {
        id: run.id,
        file: run.file,
        status: run.status,
        trigger: run.trigger,
        parent_run_id: run.parent_run_id,
        started_at: iso(run.started_at),
        finished_at: iso(run.finished_at),
      },
      attempts: (task.attempts ?? []).map((a) => ({ status: a.status, started_at: iso(a.started_at), completed_at: iso(a.completed_at), ...(a.error ? { error: a.error } : {}) })),
      events: events
        .filter((e) => e.kind === 'status' || e.kind === 'progress' || e.kind === 'attempt')
        .map((e) => ({ at: iso(e.at), kind: e.kind, ...(e.kind === 'status' ? { from: e.from_status, to: e.to_status } : {}), ...(e.message ? { message: e.message } : {}) })),
      logs: events.filter((e) => e.kind === 'log').map((e) => e.message ?? ''),
    };
    return `${JSON.stringify(record, null, 2)}\n`;
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
