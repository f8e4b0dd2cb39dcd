// What the editor tells the server about runs (the server never runs anything itself): whether this
// client can run trees and the workspace is trusted (initializationOptions, apflow/workspaceTrust),
// and the newest run of each document (apflow/runStatus), matched to the tasks of the document's
// current analysis for the status lenses and hovers.
import { recordMatcher, taskRef, type RunStatus, type RunStatusLookup, type TaskNames } from '../analysis';
import { runBlocker, type RunsCapability, type RunStatusParams, type TaskRunRecord } from '../protocol';

interface DocumentRun {
  runId: string;
  running: boolean;
  records: TaskRunRecord[];
}

/** The newest run of a document, matched to the tasks of one analysis of it. */
export interface MatchedRun {
  runId: string;
  running: boolean;
  /** Per task (by index in the document), its record in the run. */
  byTask: (TaskRunRecord | undefined)[];
}

export class RunStatusStore {
  private readonly byDocument = new Map<string, DocumentRun>();
  /** Matches per task list (one per analysis), dropped with it. */
  private readonly matches = new WeakMap<readonly TaskNames[], { run: DocumentRun; matched: MatchedRun }>();
  private runs: RunsCapability | null = null;
  /** Counts every change to what the lenses show, so that a lens memo knows when it is stale. */
  private changes = 0;

  get stamp(): number {
    return this.changes;
  }

  /** What the client said about runs when it started (null: it cannot run trees, e.g. Neovim). */
  setCapability(runs: unknown): void {
    this.runs = isCapability(runs) ? { trusted: runs.trusted } : null;
    this.changes++;
  }

  /** The workspace was trusted (or not) after start; ignored from a client that cannot run trees. */
  setTrusted(params: unknown): boolean {
    if (!this.runs || !isCapability(params) || params.trusted === this.runs.trusted) return false;
    this.runs = { trusted: params.trusted };
    this.changes++;
    return true;
  }

  /** Whether `▶ Run task` may be offered in this document: a client that runs trees, and spec 4.4's rule. */
  mayRun(uri: string): boolean {
    return this.runs !== null && runBlocker({ trusted: this.runs.trusted, scheme: uri.slice(0, Math.max(0, uri.indexOf(':'))) }) === null;
  }

  /** Takes the newest run of a document; returns whether anything was accepted. Malformed records are skipped. */
  update(params: RunStatusParams): boolean {
    if (!params || typeof params.uri !== 'string' || !Array.isArray(params.tasks)) return false;
    const records = params.tasks.filter(isRecord);
    if (records.length === 0 || typeof params.runId !== 'string') {
      if (!this.byDocument.delete(params.uri)) return false;
    } else this.byDocument.set(params.uri, { runId: params.runId, running: params.running === true, records });
    this.changes++;
    return true;
  }

  /** Whether a run of `uri` is known (without matching it to the tasks). */
  hasRun(uri: string): boolean {
    return this.byDocument.has(uri);
  }

  /** The newest run of `uri` matched to `tasks` (the rule of analysis/identity), or null if none is known. */
  runOf(uri: string, tasks: readonly TaskNames[]): MatchedRun | null {
    const run = this.byDocument.get(uri);
    if (!run) return null;
    const known = this.matches.get(tasks);
    if (known?.run === run) return known.matched;
    const match = recordMatcher(tasks);
    const byTask: (TaskRunRecord | undefined)[] = new Array(tasks.length);
    for (const record of run.records) {
      const index = match(record);
      if (index >= 0 && byTask[index] === undefined) byTask[index] = record;
    }
    const matched = { runId: run.runId, running: run.running, byTask };
    this.matches.set(tasks, { run, matched });
    return matched;
  }

  /** For hovers: a task's last run by how references name it (its id, else its name). */
  lookup(uri: string, tasks: readonly TaskNames[]): RunStatusLookup {
    const run = this.runOf(uri, tasks);
    if (!run) return () => undefined;
    const byRef = new Map<string, RunStatus>();
    run.byTask.forEach((record, index) => {
      const ref = taskRef(tasks[index]);
      if (!record || ref === null || byRef.has(ref)) return;
      byRef.set(ref, { status: record.status, ...(record.durationMs === undefined ? {} : { durationMs: record.durationMs }) });
    });
    return (key) => byRef.get(key);
  }

  forget(uri: string): void {
    if (this.byDocument.delete(uri)) this.changes++;
  }
}

function isCapability(value: unknown): value is RunsCapability {
  return !!value && typeof value === 'object' && typeof (value as RunsCapability).trusted === 'boolean';
}

function isRecord(value: unknown): value is TaskRunRecord {
  const r = value as Partial<TaskRunRecord> | null;
  return (
    !!r &&
    typeof r.id === 'string' &&
    typeof r.name === 'string' &&
    typeof r.status === 'string' &&
    (r.durationMs === undefined || typeof r.durationMs === 'number') &&
    (r.title === undefined || typeof r.title === 'string')
  );
}
