// The run page's script (dist/webview/run-page.js): keeps the run's task rows, applies the host's
// updates (at most one repaint per animation frame however many arrive) and wires the views together.
import { baseName, countsText, formatDuration, runDuration } from '../../format';
import type { FromPage, TaskDetails, ToPage } from '../messages';
import { DEFAULT_QUERY, pageCounts, type PageRun, type PageTask } from '../model';
import { renderDetails } from './details-view';
import { TableView } from './table-view';
import { TimelineView } from './timeline-view';

declare function acquireVsCodeApi(): { postMessage(message: FromPage): void };
const vscode = acquireVsCodeApi();
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

let run: PageRun | null = null;
let tasks: PageTask[] = [];
let now = Date.now();
/** The host's clock minus the page's (in code-server the page may run on another machine). */
let clockOffset = 0;
let selected: number | null = null;
let details: TaskDetails | null = null;
let pending = false;
/** The selected task's row changed since its details were drawn (the clock's ticks leave them alone). */
let detailsStale = false;
/** Scroll to the log once the selected task's details arrive (apflow.showTaskLog). */
let focusLog = false;

const select = (index: number) => {
  selected = index;
  timelineView.select(index);
  tableView.select(index);
  vscode.postMessage({ type: 'select', index });
};
const timelineView = new TimelineView($('timeline'), $('timeline-space'), $<HTMLCanvasElement>('timeline-canvas'), $('timeline-empty'), select);
const query = { ...DEFAULT_QUERY };
const tableView = new TableView($('table'), $('table-space'), $('thead'), $('shown'), query, select);

$('zoom-in').addEventListener('click', () => timelineView.zoom(1.5));
$('zoom-out').addEventListener('click', () => timelineView.zoom(1 / 1.5));
$('zoom-fit').addEventListener('click', () => timelineView.fit());
$<HTMLInputElement>('filter').addEventListener('input', (e) => {
  query.text = (e.target as HTMLInputElement).value;
  tableView.refresh();
});
$<HTMLSelectElement>('status').addEventListener('change', (e) => {
  query.status = (e.target as HTMLSelectElement).value as typeof query.status;
  tableView.refresh();
});

window.addEventListener('message', (event: MessageEvent<ToPage>) => {
  const m = event.data;
  switch (m.type) {
    case 'init':
      run = m.run;
      tasks = m.tasks;
      setNow(m.now);
      selected = m.selected;
      timelineView.labels = tasks.map((t) => t.id);
      repaint();
      if (selected !== null) {
        timelineView.select(selected);
        tableView.select(selected);
      }
      focusLog = m.focusLog;
      return;
    case 'update':
      run = m.run;
      setNow(m.now);
      for (const t of m.tasks) tasks[t.index] = t;
      detailsStale ||= m.tasks.some((t) => t.index === selected);
      schedule();
      return;
    case 'select':
      selected = m.index;
      focusLog = m.focusLog;
      timelineView.select(m.index);
      tableView.select(m.index);
      return;
    case 'details':
      if (m.details.index !== selected) return;
      details = m.details;
      paintDetails();
  }
});

function setNow(hostNow: number): void {
  now = hostNow;
  clockOffset = hostNow - Date.now();
}

function schedule(): void {
  if (pending) return;
  pending = true;
  requestAnimationFrame(repaint);
}

// The host says only what changed: while a task runs for a long time nothing does, yet its bar, its
// duration and the run's should go on growing. Twice a second, the page moves its clock on itself.
setInterval(() => {
  if (run?.status !== 'running') return;
  now = Date.now() + clockOffset;
  schedule();
}, 500);

function repaint(): void {
  pending = false;
  timelineView.update(tasks, now);
  paintSummary();
  tableView.update(tasks, now);
  if (detailsStale) paintDetails();
}

function paintDetails(): void {
  detailsStale = false;
  if (!details || selected === null || !tasks[selected]) return;
  renderDetails($('details'), tasks[selected], details, {
    reveal: (index) => vscode.postMessage({ type: 'reveal', index }),
    json: (index) => vscode.postMessage({ type: 'json', index }),
  }, focusLog);
  focusLog = false;
}

function criticalText(): string {
  const path = timelineView.criticalPath;
  if (path.tasks.length === 0) return 'none yet';
  const ids = path.tasks.map((i) => tasks[i].id);
  const names = ids.length > 6 ? [...ids.slice(0, 3), `… ${ids.length - 5} more …`, ...ids.slice(-2)] : ids;
  return `${names.join(' → ')}${path.ms === null ? '' : ` · ${formatDuration(path.ms)}`}`;
}

function paintSummary(): void {
  if (!run) return;
  const counts = pageCounts(tasks);
  const carried = tasks.filter((t) => t.carried).length;
  const trigger = run.trigger === 'run' ? 'whole tree' : run.trigger === 'retry' ? 'retry of failed tasks' : `task ${run.target_task ?? ''} with its dependencies`;
  const box = $('summary');
  const h1 = document.createElement('h1');
  h1.textContent = `${baseName(run.file)} · run ${run.id.slice(0, 8)} · `;
  const status = document.createElement('span');
  status.className = `status-${run.status}`;
  status.textContent = run.status;
  h1.append(status);
  const rows: [string, string | Node][] = [
    ['File', run.file],
    ['Trigger', trigger],
    ['Started', new Date(run.started_at).toLocaleString()],
    ['Duration', `${formatDuration(runDuration(run, run.finished_at === null ? now : undefined))}${run.finished_at === null ? ' so far' : ''}`],
    ['Tasks', countsText(counts)],
    ['Critical path', criticalText()],
  ];
  if (carried > 0) rows.push(['Carried over', `${carried} task(s) completed in the run this one retried`]);
  if (run.parent_run_id) {
    const link = document.createElement('a');
    link.className = 'link';
    link.textContent = `run ${run.parent_run_id.slice(0, 8)}`;
    const parent = run.parent_run_id;
    link.addEventListener('click', () => vscode.postMessage({ type: 'openRun', runId: parent }));
    rows.push(['Retried', link]);
  }
  if (run.error) rows.push(['Error', run.error]);
  const dl = document.createElement('dl');
  for (const [term, value] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.append(value);
    dl.append(dt, dd);
  }
  box.replaceChildren(h1, dl);
}

vscode.postMessage({ type: 'ready' });
