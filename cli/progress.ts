// Live progress of a run on stderr (spec 6.2): plain lines when stderr is not a terminal (CI logs), a
// redrawn table when it is. Both are driven by the run's events only.
import { firstLine, type LiveRun, type TaskRecord } from '../runtime';
import type { CliIo } from './io';

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60000)} min ${Math.round((ms % 60000) / 1000)} s`;
}

/** What a task's row or line says besides its id: status, duration, error or blocker. */
export function taskState(t: TaskRecord): { status: string; duration: string; detail: string } {
  const blocked = t.status === 'pending' && t.blocked_by !== null;
  const end = t.completed_at ?? (t.status === 'in_progress' ? Date.now() : null);
  return {
    status: blocked ? 'blocked' : t.status,
    duration: t.started_at !== null && end !== null ? formatDuration(end - t.started_at) : '',
    detail: blocked ? `blocked by ${t.blocked_by}` : t.error ? firstLine(t.error) : '',
  };
}

export function attachProgress(run: LiveRun, io: CliIo): () => void {
  return io.stderr.isTTY ? liveTable(run, io) : plainLines(run, io);
}

function plainLines(run: LiveRun, io: CliIo): () => void {
  const line = (t: TaskRecord) => {
    const s = taskState(t);
    const duration = s.duration && t.status !== 'in_progress' ? ` (${s.duration})` : '';
    const text = s.status === 'blocked' ? s.detail : `${s.status}${duration}${s.detail ? `: ${s.detail}` : ''}`;
    io.stderr.write(`${t.id} ${text}\n`);
  };
  // A task's log lines (a command's output, a Python task's print and logging) carry its id, so that
  // the lines of tasks running at once never mix unattributed.
  const log = (id: string, text: string) => {
    for (const part of text.replace(/\n$/, '').split('\n')) io.stderr.write(`${id} | ${part}\n`);
  };
  const off = [run.on('task-status', (e) => line(e.task)), run.on('task-blocked', (e) => line(e.task)), run.on('task-log', (e) => log(e.task.id, e.text))];
  return () => off.forEach((f) => f());
}

const REDRAW_MS = 100;

function liveTable(run: LiveRun, io: CliIo): () => void {
  let drawn = 0;
  let timer: NodeJS.Timeout | null = null;
  const draw = () => {
    timer = null;
    const rows = visibleRows(run.tasks, Math.max(3, ((io.stderr as { rows?: number }).rows ?? 24) - 2));
    const width = Math.max(4, ...rows.map((r) => r[0].length));
    const columns = io.stderr.columns ?? 100;
    const lines = rows.map(([id, status, duration, detail]) => `${id.padEnd(width)}  ${status.padEnd(11)}  ${duration.padStart(9)}  ${detail}`.slice(0, columns - 1));
    // Move back over the previous table, clear it, draw the new one.
    io.stderr.write(`${drawn > 0 ? `\x1b[${drawn}F\x1b[J` : ''}${lines.join('\n')}\n`);
    drawn = lines.length;
  };
  const schedule = () => {
    timer ??= setTimeout(draw, REDRAW_MS);
  };
  const off = [run.on('task-status', schedule), run.on('task-blocked', schedule), run.on('task-progress', schedule)];
  const ticker = setInterval(schedule, 1000);
  return () => {
    off.forEach((f) => f());
    clearInterval(ticker);
    if (timer) clearTimeout(timer);
    draw();
  };
}

/** Every task when they fit; otherwise the running, failed and blocked ones, then a count of the rest. */
function visibleRows(tasks: readonly TaskRecord[], max: number): string[][] {
  const row = (t: TaskRecord) => {
    const s = taskState(t);
    return [t.id, s.status, s.duration, s.detail];
  };
  if (tasks.length <= max) return tasks.map(row);
  const notable = tasks.filter((t) => t.status === 'in_progress' || t.status === 'failed' || t.blocked_by !== null).slice(0, max - 1);
  const counts = new Map<string, number>();
  for (const t of tasks) counts.set(taskState(t).status, (counts.get(taskState(t).status) ?? 0) + 1);
  const summary = [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
  return [...notable.map(row), [`… ${tasks.length - notable.length} more`, '', '', summary]];
}
