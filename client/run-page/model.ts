// The run page's data, as pure functions of the run's records: what the extension host sends the
// page (a slim row per task), the timeline's rows of attempts, the task table's filter and sort, and a
// task's inputs split into its own and those merged in from its dependencies, as the runtime recorded
// the merge. No `vscode`, no DOM: the page's bundle and the extension's both use it, and the unit
// tests call it directly.
import { emptyCounts, firstLine, shownStatus, type Counts, type ShownStatus } from '../format';
import type { JsonObject, RunRecord, TaskAttempt, TaskRecord } from '../../runtime';

export interface PageAttempt {
  start: number;
  /** null while the attempt runs. */
  end: number | null;
  status: TaskAttempt['status'];
  error?: string;
}

/** One task as the timeline and the table need it (the full record is sent only for the selected task). */
export interface PageTask {
  index: number;
  id: string;
  name: string;
  status: ShownStatus;
  attempts: PageAttempt[];
  startedAt: number | null;
  completedAt: number | null;
  attemptCount: number;
  maxAttempts: number;
  /** The first line of the task's error. */
  error: string;
  /** Indexes of the tasks it depends on. */
  dependencies: number[];
  /** Carried over from the run this one retried: it did not run here. */
  carried: boolean;
}

export type PageRun = Pick<RunRecord, 'id' | 'file' | 'status' | 'trigger' | 'parent_run_id' | 'target_task' | 'started_at' | 'finished_at' | 'error'>;

export function pageRun(run: RunRecord): PageRun {
  const { id, file, status, trigger, parent_run_id, target_task, started_at, finished_at, error } = run;
  return { id, file, status, trigger, parent_run_id, target_task, started_at, finished_at, error };
}

export function pageTasks(records: readonly TaskRecord[]): PageTask[] {
  const indexOf = new Map(records.map((t, i) => [t.id, i]));
  return records.map((t, i) => pageTask(t, i, indexOf));
}

export function pageTask(t: TaskRecord, index: number, indexOf: ReadonlyMap<string, number>): PageTask {
  const carried = t.origin_type === 'link';
  return {
    index,
    id: t.id,
    name: t.name,
    status: shownStatus(t),
    attempts: carried ? [] : attemptsOf(t),
    startedAt: t.started_at,
    completedAt: t.completed_at,
    attemptCount: t.attempt_count,
    maxAttempts: t.max_attempts,
    error: firstLine(t.error),
    dependencies: t.dependencies.map((d) => indexOf.get(d.id)).filter((i): i is number => i !== undefined),
    carried,
  };
}

/** The recorded attempts; a record from before attempts were kept shows its whole time in progress as one. */
function attemptsOf(t: TaskRecord): PageAttempt[] {
  if (t.attempts) return t.attempts.map((a) => ({ start: a.started_at, end: a.completed_at, status: a.status, ...(a.error ? { error: a.error } : {}) }));
  if (t.started_at === null) return [];
  const status = t.status === 'pending' ? 'in_progress' : t.status;
  return [{ start: t.started_at, end: t.completed_at, status, ...(t.error ? { error: t.error } : {}) }];
}

export function pageCounts(tasks: readonly PageTask[]): Counts {
  const counts = emptyCounts();
  for (const t of tasks) {
    counts.total++;
    counts[t.status]++;
  }
  return counts;
}

export interface TimelineRow {
  task: number;
  attempts: PageAttempt[];
}

export interface Timeline {
  rows: TimelineRow[];
  /** Epoch ms of the first attempt's start and of the last end (`now` for what still runs). */
  start: number;
  end: number;
}

/** A row per task that ran, in the order they first started (file order among ties). */
export function timeline(tasks: readonly PageTask[], now: number): Timeline {
  const rows = tasks.filter((t) => t.attempts.length > 0).map((t) => ({ task: t.index, attempts: t.attempts }));
  rows.sort((a, b) => a.attempts[0].start - b.attempts[0].start || a.task - b.task);
  let start = Infinity;
  let end = -Infinity;
  for (const row of rows) {
    start = Math.min(start, row.attempts[0].start);
    for (const a of row.attempts) end = Math.max(end, a.end ?? now);
  }
  return rows.length === 0 ? { rows, start: now, end: now } : { rows, start, end };
}

/** How long a task ran in this run: from its first attempt's start to its last attempt's end. */
export function ranFor(t: PageTask, now: number): number | null {
  if (t.attempts.length === 0) return null;
  const last = t.attempts[t.attempts.length - 1];
  return (last.end ?? now) - t.attempts[0].start;
}

export type SortKey = 'file' | 'id' | 'status' | 'attempts' | 'duration' | 'error';

export interface TableQuery {
  /** Matched, case-insensitively, against the id, the name and the error. */
  text: string;
  /** A shown status, `problems` (failed, cancelled or blocked), or `all`. */
  status: ShownStatus | 'problems' | 'all';
  sort: SortKey;
  descending: boolean;
}

export const DEFAULT_QUERY: TableQuery = { text: '', status: 'all', sort: 'file', descending: false };

const PROBLEMS: ReadonlySet<ShownStatus> = new Set(['failed', 'cancelled', 'blocked']);
// Problems first when sorting by status, then what is still going on, then what went well.
const STATUS_ORDER: Record<ShownStatus, number> = { failed: 0, cancelled: 1, blocked: 2, in_progress: 3, pending: 4, completed: 5 };

/** The indexes of the tasks the table shows, in its order. Ties keep file order. */
export function tableRows(tasks: readonly PageTask[], query: TableQuery, now: number): number[] {
  const text = query.text.trim().toLowerCase();
  const shown = tasks.filter((t) => {
    if (query.status === 'problems' ? !PROBLEMS.has(t.status) : query.status !== 'all' && t.status !== query.status) return false;
    return text === '' || t.id.toLowerCase().includes(text) || t.name.toLowerCase().includes(text) || t.error.toLowerCase().includes(text);
  });
  const key = sortValue(query.sort, now);
  const sign = query.descending ? -1 : 1;
  shown.sort((a, b) => {
    const x = key(a);
    const y = key(b);
    const order = typeof x === 'string' ? x.localeCompare(y as string) : (x as number) - (y as number);
    return sign * order || a.index - b.index;
  });
  return shown.map((t) => t.index);
}

function sortValue(key: SortKey, now: number): (t: PageTask) => string | number {
  switch (key) {
    case 'id':
      return (t) => t.id;
    case 'status':
      return (t) => STATUS_ORDER[t.status];
    case 'attempts':
      return (t) => t.attemptCount;
    // Tasks that did not run sort after every task that did.
    case 'duration':
      return (t) => ranFor(t, now) ?? -1;
    case 'error':
      return (t) => t.error;
    default:
      return (t) => t.index;
  }
}

export interface SplitInputs {
  /** The task's own inputs (as its pre-hooks left them); all of its inputs when `unsplit` says why. */
  own: JsonObject;
  /** What each completed dependency's result put into the inputs, in the order of the merge. */
  upstream: { task: string; values: JsonObject }[];
  /** Why the inputs are shown as received, not split; null when they are split (or nothing was merged). */
  unsplit: string | null;
}

/**
 * The inputs a task received, split as the runtime recorded its merge (TaskRecord.merged_from): a key
 * a dependency's result supplied is shown under that dependency, the rest as the task's own. A record
 * without that list, for a task whose dependencies' results may have been merged in, is shown as
 * received, with why.
 */
export function splitInputs(task: TaskRecord, run: Pick<RunRecord, 'server'>): SplitInputs {
  const inputs = task.inputs ?? {};
  if (!task.merged_from) {
    const merged = task.dependencies.length > 0 && task.started_at !== null;
    return { own: inputs, upstream: [], unsplit: merged ? (run.server ? UNSPLIT_SERVER : UNSPLIT_OLDER) : null };
  }
  const source = new Map<string, string>();
  for (const from of task.merged_from) for (const key of from.keys) source.set(key, from.task);
  const own: JsonObject = {};
  const upstream = new Map(task.merged_from.map((from) => [from.task, {} as JsonObject]));
  for (const [key, value] of Object.entries(inputs)) {
    const from = source.get(key);
    if (from === undefined) own[key] = value;
    else (upstream.get(from) as JsonObject)[key] = value;
  }
  // A pre-hook may have removed every key a dependency supplied: nothing of it is left to show.
  const shown = [...upstream].filter(([, values]) => Object.keys(values).length > 0);
  return { own, upstream: shown.map(([from, values]) => ({ task: from, values })), unsplit: null };
}

const UNSPLIT_SERVER = 'The apflow server merged its dependencies’ results into these inputs, and does not say which came from which dependency.';
const UNSPLIT_OLDER = 'These inputs include its dependencies’ results: this run was recorded by an older version of the extension, which did not keep which came from which dependency.';
