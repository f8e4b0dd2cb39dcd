// The task table: filter, sort by a column header, and only the rows in view are in the DOM (a
// 5,000-task run keeps about forty).
import { formatDuration } from '../../format';
import { ranFor, tableRows, type PageTask, type SortKey, type TableQuery } from '../model';

const ROW = 22;
const COLUMNS: [SortKey, string][] = [['id', 'Task'], ['status', 'Status'], ['attempts', 'Attempts'], ['duration', 'Duration'], ['error', 'Error']];

export class TableView {
  private order: number[] = [];
  private tasks: readonly PageTask[] = [];
  private now = Date.now();
  private selected: number | null = null;

  constructor(
    private readonly box: HTMLElement,
    private readonly space: HTMLElement,
    private readonly head: HTMLElement,
    private readonly shown: HTMLElement,
    private readonly query: TableQuery,
    private readonly onSelect: (task: number) => void,
  ) {
    for (const [key, label] of COLUMNS) {
      const cell = document.createElement('span');
      cell.textContent = label;
      cell.dataset.key = key;
      cell.title = `Sort by ${label.toLowerCase()}`;
      cell.addEventListener('click', () => {
        this.query.descending = this.query.sort === key ? !this.query.descending : false;
        this.query.sort = key;
        this.refresh();
      });
      head.append(cell);
    }
    box.addEventListener('scroll', () => this.paint());
    box.addEventListener('click', (e) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>('.row');
      if (row?.dataset.task) this.onSelect(Number(row.dataset.task));
    });
    box.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
      e.preventDefault();
      const at = this.order.indexOf(this.selected ?? -1);
      const next = this.order[Math.min(this.order.length - 1, Math.max(0, at + (e.key === 'ArrowDown' ? 1 : -1)))];
      if (next !== undefined) this.onSelect(next);
    });
  }

  update(tasks: readonly PageTask[], now: number): void {
    this.tasks = tasks;
    this.now = now;
    this.refresh();
  }

  select(task: number | null): void {
    this.selected = task;
    const at = this.order.indexOf(task ?? -1);
    if (at >= 0 && (at * ROW < this.box.scrollTop || (at + 1) * ROW > this.box.scrollTop + this.box.clientHeight)) this.box.scrollTop = at * ROW - this.box.clientHeight / 2;
    this.paint();
  }

  refresh(): void {
    this.order = tableRows(this.tasks, this.query, this.now);
    this.space.style.height = `${this.order.length * ROW}px`;
    this.shown.textContent = this.order.length === this.tasks.length ? `${this.tasks.length} tasks` : `${this.order.length} of ${this.tasks.length} tasks`;
    for (const cell of Array.from(this.head.children)) {
      const key = (cell as HTMLElement).dataset.key;
      const label = COLUMNS.find((c) => c[0] === key)?.[1] ?? '';
      cell.textContent = key === this.query.sort ? `${label} ${this.query.descending ? '▼' : '▲'}` : label;
    }
    this.paint();
  }

  private paint(): void {
    const first = Math.max(0, Math.floor(this.box.scrollTop / ROW) - 5);
    const last = Math.min(this.order.length, first + Math.ceil(this.box.clientHeight / ROW) + 10);
    const rows: HTMLElement[] = [];
    for (let r = first; r < last; r++) rows.push(this.row(this.tasks[this.order[r]], r));
    this.box.replaceChildren(this.space, ...rows);
  }

  private row(t: PageTask, at: number): HTMLElement {
    const row = document.createElement('div');
    row.className = t.index === this.selected ? 'row selected' : 'row';
    row.style.top = `${at * ROW}px`;
    row.dataset.task = String(t.index);
    row.setAttribute('role', 'row');
    const ran = ranFor(t, this.now);
    const cells = [
      [t.name && t.name !== t.id ? `${t.id} — ${t.name}` : t.id, ''],
      [t.carried ? 'carried over' : statusText(t.status), `status-${t.status}`],
      [t.attemptCount > 0 ? `${t.attemptCount} of ${t.maxAttempts}` : '–', ''],
      [ran === null ? '–' : formatDuration(ran), ''],
      [t.error, t.error ? 'status-failed' : ''],
    ];
    for (const [text, style] of cells) {
      const cell = document.createElement('span');
      cell.textContent = text;
      cell.title = text;
      if (style) cell.className = style;
      row.append(cell);
    }
    return row;
  }
}

export function statusText(status: PageTask['status']): string {
  return status === 'in_progress' ? 'running' : status;
}
