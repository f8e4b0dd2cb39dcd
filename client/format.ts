// Pure text for lenses, tree items, the status bar and diagnostics: what a run or a task "says".
// No `vscode` here, so that it is cheap to load and easy to test.

/** The slice of a task record the views read (runtime/types.ts TaskRecord has them all). */
export interface TaskState {
  id: string;
  name: string;
  status: 'pending' | 'in_progress' | 'completed' | 'failed' | 'cancelled';
  error: string | null;
  blocked_by: string | null;
  started_at: number | null;
  completed_at: number | null;
  attempt_count: number;
  max_attempts: number;
  origin_type: 'create' | 'link';
}

export interface RunState {
  id: string;
  file: string;
  status: 'running' | 'completed' | 'failed' | 'cancelled';
  trigger: 'run' | 'retry' | 'run-task';
  parent_run_id: string | null;
  started_at: number;
  finished_at: number | null;
  error: string | null;
  target_task: string | null;
  /** The apflow server a run ran on (issue 15). */
  server?: string;
}

/** A task's status as the views show it: `blocked` is a pending task with `blocked_by` set. */
export type ShownStatus = TaskState['status'] | 'blocked';

export interface Counts {
  total: number;
  completed: number;
  failed: number;
  cancelled: number;
  blocked: number;
  pending: number;
  in_progress: number;
}

export function shownStatus(t: Pick<TaskState, 'status' | 'blocked_by'>): ShownStatus {
  return t.status === 'pending' && t.blocked_by !== null ? 'blocked' : t.status;
}

export function emptyCounts(): Counts {
  return { total: 0, completed: 0, failed: 0, cancelled: 0, blocked: 0, pending: 0, in_progress: 0 };
}

export function countTasks(tasks: readonly Pick<TaskState, 'status' | 'blocked_by'>[]): Counts {
  const counts = emptyCounts();
  for (const t of tasks) {
    counts.total++;
    counts[shownStatus(t)]++;
  }
  return counts;
}

/** `1 error`, `4 errors`, `1 task`, `0 tasks`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The one progress counter every surface shows during a run (toast, status bar, lens, Runs view): `84/5001`. */
export function progressCounter(c: Counts): string {
  return `${doneCount(c)}/${c.total}`;
}

/** Above this many tasks a run is big: the lenses of its file are redrawn only at the slow pace of liveIntervalMs. */
export const BIG_RUN_TASKS = 1000;

/**
 * While a run goes, how often a view that redraws per document (the lenses of a file, the task status
 * the language server lists) is told again. VS Code cancels a lens request under way when told again,
 * and a request for the thousands of lenses of a big run takes about a second in code-server: told
 * every second, the lenses never changed during a 5,000-task run. The counters themselves (status
 * bar, toast, Runs view) follow every change.
 */
export function liveIntervalMs(tasks: number): number {
  return tasks > BIG_RUN_TASKS ? 2500 : 250;
}

/** Tasks that reached an end: terminal, or blocked (they never will run). */
export function doneCount(c: Counts): number {
  return c.completed + c.failed + c.cancelled + c.blocked;
}

/** Tasks a retry runs again (at least): everything that did not complete. */
export function retryCount(c: Counts): number {
  return c.total - c.completed;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function firstLine(text: string | null | undefined): string {
  if (!text) return '';
  const end = text.indexOf('\n');
  return (end < 0 ? text : text.slice(0, end)).trimEnd();
}

export function taskDuration(t: Pick<TaskState, 'started_at' | 'completed_at' | 'status'>, now = Date.now()): number | null {
  if (t.started_at === null) return null;
  const end = t.completed_at ?? (t.status === 'in_progress' ? now : null);
  return end === null ? null : end - t.started_at;
}

export function runDuration(r: Pick<RunState, 'started_at' | 'finished_at'>, now = Date.now()): number {
  return (r.finished_at ?? now) - r.started_at;
}

/** `3 min ago`, `just now`, `yesterday`… */
export function relativeTime(at: number, now = Date.now()): string {
  const s = Math.round((now - at) / 1000);
  if (s < 10) return 'just now';
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.floor(h / 24);
  return d === 1 ? 'yesterday' : `${d} days ago`;
}

/** ` · 2 attempts` after a task that needed more than one. */
function attemptsNote(t: Pick<TaskState, 'attempt_count'>): string {
  return t.attempt_count > 1 ? ` · ${plural(t.attempt_count, 'attempt')}` : '';
}

/** The codicon of each status, as lenses and the status bar write it (`$(name)`). */
export const STATUS_CODICONS: Record<ShownStatus, string> = {
  completed: 'pass',
  failed: 'error',
  blocked: 'circle-slash',
  in_progress: 'sync~spin',
  cancelled: 'stop-circle',
  pending: 'circle-large-outline',
};

/** The lens above a task: its status in the newest run of the file, after the status's codicon. */
export function taskLensTitle(t: TaskState, now = Date.now()): string {
  const status = shownStatus(t);
  return `$(${STATUS_CODICONS[status]}) ${taskStatusText(t, status, now)}`;
}

function taskStatusText(t: TaskState, status: ShownStatus, now: number): string {
  const duration = taskDuration(t, now);
  switch (status) {
    case 'completed':
      return `completed${duration === null ? '' : ` ${formatDuration(duration)}`}${attemptsNote(t)}${t.origin_type === 'link' ? ' (reused)' : ''}`;
    case 'failed':
      return `failed: ${truncate(firstLine(t.error) || 'no error message', 80)}${attemptsNote(t)}`;
    case 'blocked':
      return `blocked by ${t.blocked_by}`;
    case 'in_progress':
      return t.attempt_count > 1 ? `running (attempt ${t.attempt_count} of ${t.max_attempts})` : 'running';
    case 'cancelled':
      return 'cancelled';
    case 'pending':
      return 'waiting';
  }
}

/** The summary lens above the tree: `last run: failed · 5/7 completed · 3.2 s` or `running · 3/7`. */
export function runLensTitle(run: Pick<RunState, 'status' | 'started_at' | 'finished_at'>, counts: Counts, now = Date.now()): string {
  if (run.status === 'running') return `running · ${progressCounter(counts)}`;
  return `last run: ${run.status} · ${counts.completed}/${counts.total} completed · ${formatDuration(runDuration(run, now))}`;
}

/** What started a run, as the Runs view says it: `↻ retry of #11`, `▶ task fetch`; nothing for a whole-tree run. */
export function triggerText(run: Pick<RunState, 'trigger' | 'target_task'>, retried?: number | null): string {
  if (run.trigger === 'retry') return retried ? `↻ retry of #${retried}` : '↻ retry';
  if (run.trigger === 'run-task') return `▶ task ${run.target_task ?? ''}`.trimEnd();
  return '';
}

/**
 * Description of a run in the Runs view: `#12 · failed · 3.2 s · 2 min ago · ↻ retry of #11`, or
 * `#12 · running · 84/5001` while it runs. `number` counts the runs of the file, oldest first.
 */
export function runDescription(run: Pick<RunState, 'status' | 'started_at' | 'finished_at' | 'trigger' | 'target_task'>, counts: Counts, number: number, retried?: number | null, now = Date.now()): string {
  const parts = [`#${number}`];
  if (run.status === 'running') parts.push(`running · ${progressCounter(counts)}`);
  else parts.push(run.status, formatDuration(runDuration(run, now)), relativeTime(run.started_at, now));
  const trigger = triggerText(run, retried);
  if (trigger) parts.push(trigger);
  return parts.join(' · ');
}

/**
 * `Date.prototype.toLocaleString()`'s own format, made once: that method builds a formatter on every call
 * (about 0.1 ms), and the Runs view asks for the tooltip of every run row it draws.
 */
const LOCAL_TIME = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });

export function runTooltip(run: RunState, counts: Counts, now = Date.now()): string {
  const lines = [
    `${baseName(run.file)} — ${run.status}`,
    `trigger: ${run.trigger === 'run-task' ? 'a single task with its dependencies' : run.trigger}${run.target_task ? ` (task ${run.target_task})` : ''}`,
    `started: ${LOCAL_TIME.format(run.started_at)}`,
    `duration: ${formatDuration(runDuration(run, now))}${run.status === 'running' ? ' so far' : ''}`,
    `tasks: ${countsText(counts)}`,
  ];
  if (run.parent_run_id) lines.push(`retried from: run ${run.parent_run_id}`);
  if (run.server) lines.push(`on the apflow server ${run.server}`);
  if (run.error) lines.push(`error: ${run.error}`);
  lines.push(`run id: ${run.id}`);
  return lines.join('\n');
}

export function countsText(c: Counts): string {
  const parts: string[] = [];
  for (const key of ['completed', 'failed', 'blocked', 'cancelled', 'in_progress', 'pending'] as const) {
    if (c[key] > 0) parts.push(`${c[key]} ${key.replace('_', ' ')}`);
  }
  return `${parts.join(', ') || 'none'} (of ${c.total})`;
}

/** Description of a task in the Runs view: duration, or the first line of the error, or the blocker; attempts when more than one. */
export function taskDescription(t: TaskState, now = Date.now()): string {
  const status = shownStatus(t);
  if (status === 'failed') return `${truncate(firstLine(t.error), 100)}${attemptsNote(t)}`;
  if (status === 'blocked') return `blocked by ${t.blocked_by}`;
  if (status === 'cancelled') return 'cancelled';
  if (status === 'pending') return 'waiting';
  // The view redraws a row only when its task changes, so a running task's elapsed time would stand
  // still on screen (seen: "527 ms" after 6 s); the run page has the live clock.
  if (status === 'in_progress') return `running${attemptsNote(t)}`;
  const duration = taskDuration(t, now);
  const text = `${duration === null ? '' : formatDuration(duration)}${attemptsNote(t)}`;
  return status === 'completed' && t.origin_type === 'link' ? `${text} (reused)` : text;
}

/** Counts of a group of tasks, shortest first: `✓ 4980 · ✗ 1 · ⊘ 20 · … 3`. */
export function groupCounts(c: Counts): string {
  const marks: [keyof Counts, string][] = [
    ['completed', '✓'],
    ['failed', '✗'],
    ['blocked', '⊘'],
    ['cancelled', '■'],
    ['in_progress', '…'],
    ['pending', '◌'],
  ];
  return marks
    .filter(([key]) => c[key] > 0)
    .map(([key, mark]) => `${mark} ${c[key]}`)
    .join(' · ');
}

/** The tooltip of a task item: the whole status sentence first (descriptions are cut at the view's width). */
export function taskTooltip(t: TaskState, now = Date.now()): string {
  const status = shownStatus(t);
  const lines = [`${t.id}${t.name && t.name !== t.id ? ` — ${t.name}` : ''}`, taskStatusText(t, status, now)];
  const duration = taskDuration(t, now);
  if (duration !== null) lines.push(`duration: ${formatDuration(duration)}`);
  lines.push(`attempts: ${t.attempt_count} of ${t.max_attempts}`);
  if (t.blocked_by) lines.push(`never ran: '${t.blocked_by}' failed or was cancelled`);
  if (t.origin_type === 'link') lines.push('result reused from the run this one retried');
  if (t.error) lines.push('', t.error);
  return lines.join('\n');
}

/** The notification after a failed or cancelled run: `apflow: flow.apflow.yaml failed — parse: upstream returned 503 (1 failed, 2 blocked of 4)`. */
export function outcomeMessage(run: Pick<RunState, 'file' | 'status' | 'error'>, tasks: readonly TaskState[]): string {
  const counts = countTasks(tasks);
  const failed = tasks.find((t) => t.status === 'failed');
  const why = failed ? `${failed.id}: ${truncate(failedMessage(failed), 120)}` : run.error ? truncate(firstLine(run.error), 120) : '';
  const parts = (['failed', 'blocked', 'cancelled', 'pending'] as const).filter((k) => counts[k] > 0).map((k) => `${counts[k]} ${k === 'pending' ? 'not run' : k}`);
  return `apflow: ${baseName(run.file)} ${run.status}${why ? ` — ${why}` : ''} (${parts.join(', ') || 'none left'} of ${plural(counts.total, 'task')})`;
}

/** The run diagnostic on a failed task. */
export function failedMessage(t: Pick<TaskState, 'error'>): string {
  return firstLine(t.error) || 'the task failed';
}

/** The run diagnostic on a blocked task: names the blocker. */
export function blockedMessage(t: Pick<TaskState, 'blocked_by'>): string {
  return `never ran: blocked by '${t.blocked_by}', which failed or was cancelled in the last run`;
}

export function baseName(file: string): string {
  const cut = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return cut < 0 ? file : file.slice(cut + 1);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
