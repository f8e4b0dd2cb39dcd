// The selected task: its error, result, inputs as received (its own apart from what each dependency's
// result merged in), every attempt with its error, the hooks that ran, and its log.
import { formatDuration } from '../../format';
import type { TaskDetails } from '../messages';
import type { PageTask } from '../model';
import { statusText } from './table-view';

export interface DetailActions {
  reveal(task: number): void;
  json(task: number): void;
}

export function renderDetails(box: HTMLElement, task: PageTask, d: TaskDetails, actions: DetailActions, focusLog: boolean): void {
  const parts: Node[] = [];
  const title = el('h2', task.id);
  if (task.name && task.name !== task.id) title.append(el('span', ` — ${task.name}`, 'note'));
  parts.push(title);
  const line = el('p', '');
  line.append(el('span', task.carried ? 'carried over' : statusText(task.status), `status-${task.status}`));
  if (d.blockedBy) line.append(` · blocked by ${d.blockedBy}`);
  line.append(' · ', link('Reveal in editor', () => actions.reveal(task.index)), ' · ', link('Show record as JSON', () => actions.json(task.index)));
  parts.push(line);
  if (d.carriedFrom) parts.push(el('p', `Its result was carried over from run ${d.carriedFrom.slice(0, 8)}: it did not run again.`, 'note'));
  if (d.error) parts.push(el('h3', 'Error'), el('pre', d.error, 'error'));
  parts.push(el('h3', 'Result'), el('pre', json(d.result)));
  parts.push(el('h3', d.inputs.unsplit ? 'Inputs as received' : 'Inputs'));
  if (d.inputs.unsplit) parts.push(el('p', d.inputs.unsplit, 'note'));
  parts.push(el('pre', json(d.inputs.own)));
  for (const up of d.inputs.upstream) parts.push(el('h3', `Merged from ${up.task}’s result`), el('pre', json(up.values)));
  if (d.attempts.length > 0) {
    parts.push(el('h3', `Attempts (${d.attempts.length} of ${task.maxAttempts})`));
    d.attempts.forEach((a, i) => {
      const took = a.end === null ? 'running' : formatDuration(a.end - a.start);
      parts.push(el('div', `${i + 1}. ${a.status === 'in_progress' ? 'running' : a.status} · ${new Date(a.start).toLocaleTimeString()} · ${took}`, `attempt status-${a.status}`));
      if (a.error) parts.push(el('pre', a.error, 'error'));
    });
  }
  if (d.hooks.length > 0) {
    parts.push(el('h3', 'Hooks'));
    for (const h of d.hooks) parts.push(el('div', `${h.list}: ${h.hook} · ${formatDuration(h.ms)}${h.error ? ` — ${h.error}` : ''}`, h.error ? 'status-failed' : ''));
  }
  const logTitle = el('h3', 'Log');
  logTitle.id = 'log';
  parts.push(logTitle);
  if (d.log === null) parts.push(el('p', 'The run history is not available, so the log was not kept.', 'note'));
  else if (d.log.length === 0) parts.push(el('p', 'The task logged nothing.', 'note'));
  else parts.push(el('pre', d.log.map((l) => (l.endsWith('\n') ? l.slice(0, -1) : l)).join('\n'), 'log'));
  box.replaceChildren(...parts);
  if (focusLog) logTitle.scrollIntoView();
}

function el(tag: string, text: string, className = ''): HTMLElement {
  const node = document.createElement(tag);
  node.textContent = text;
  if (className) node.className = className;
  return node;
}

function link(text: string, action: () => void): HTMLElement {
  const node = el('a', text, 'link');
  node.tabIndex = 0;
  node.addEventListener('click', action);
  node.addEventListener('keydown', (e) => e.key === 'Enter' && action());
  return node;
}

function json(value: unknown): string {
  return JSON.stringify(value ?? null, null, 2);
}
