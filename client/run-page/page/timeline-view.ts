// The timeline: a Gantt chart of every attempt of every task on one canvas that draws only what is in
// view (a 5,000-task run is 5,000 rows), failed attempts in the theme's error colour with a cross,
// the critical path outlined. Ctrl+wheel or the buttons zoom around the pointer; a click selects.
import { criticalPath } from '../../../analysis/features/critical-path';
import { ranFor, timeline, type PageAttempt, type PageTask, type Timeline } from '../model';

const ROW = 18;
const LABEL = 170;
const AXIS = 20;

export class TimelineView {
  private data: Timeline = { rows: [], start: 0, end: 0 };
  private critical = new Set<number>();
  private path: { tasks: number[]; ms: number | null } = { tasks: [], ms: null };
  /** Pixels per millisecond; null until the first fit. */
  private scale: number | null = null;
  private selected: number | null = null;
  private frame = 0;
  private readonly context: CanvasRenderingContext2D;
  /** Task labels by index, set by the page. */
  labels: string[] = [];

  constructor(
    private readonly box: HTMLElement,
    private readonly space: HTMLElement,
    private readonly canvas: HTMLCanvasElement,
    private readonly empty: HTMLElement,
    private readonly onSelect: (task: number) => void,
  ) {
    this.context = canvas.getContext('2d') as CanvasRenderingContext2D;
    box.addEventListener('scroll', () => this.draw());
    box.addEventListener('wheel', (e) => {
      if (!e.ctrlKey) return;
      e.preventDefault();
      this.zoom(e.deltaY < 0 ? 1.25 : 0.8, e.offsetX);
    }, { passive: false });
    box.addEventListener('click', (e) => {
      const rect = box.getBoundingClientRect();
      const row = Math.floor((e.clientY - rect.top - AXIS + box.scrollTop) / ROW);
      if (e.clientY - rect.top > AXIS && this.data.rows[row]) this.onSelect(this.data.rows[row].task);
    });
    new ResizeObserver(() => this.draw()).observe(box);
  }

  update(tasks: readonly PageTask[], now: number): void {
    this.data = timeline(tasks, now);
    const durations = tasks.map((t) => ({ dependencies: t.dependencies, durationMs: ranFor(t, now) }));
    const path = criticalPath(durations);
    // Tasks that never ran weigh nothing: the path the run took is the tasks on it that ran.
    this.path = { tasks: path.tasks.filter((i) => tasks[i].attempts.length > 0), ms: path.unit === 'ms' ? path.total : null };
    this.critical = new Set(this.path.tasks);
    this.empty.hidden = this.data.rows.length > 0;
    // As tall as its rows (a scrollbar's worth more), up to a third of the page.
    this.box.style.height = `${Math.min(Math.max(120, window.innerHeight / 3), AXIS + this.data.rows.length * ROW + 18)}px`;
    this.draw();
  }

  select(task: number | null): void {
    this.selected = task;
    const row = this.data.rows.findIndex((r) => r.task === task);
    if (row >= 0) {
      const top = row * ROW;
      if (top < this.box.scrollTop || top > this.box.scrollTop + this.box.clientHeight - AXIS - ROW) this.box.scrollTop = Math.max(0, top - this.box.clientHeight / 2);
      // Zoomed in, the task's first attempt is brought into view too.
      const left = (this.data.rows[row].attempts[0].start - this.data.start) * this.currentScale();
      if (left < this.box.scrollLeft || left > this.box.scrollLeft + this.box.clientWidth - LABEL - 20) this.box.scrollLeft = Math.max(0, left - 40);
    }
    this.draw();
  }

  zoom(factor: number, atX = this.box.clientWidth / 2): void {
    const scale = this.currentScale();
    const at = (this.box.scrollLeft + Math.max(0, atX - LABEL)) / scale;
    this.scale = Math.min(50, Math.max(this.fitScale() / 4, scale * factor));
    this.sizeSpace();
    this.box.scrollLeft = Math.max(0, at * this.scale - Math.max(0, atX - LABEL));
    this.draw();
  }

  fit(): void {
    this.scale = this.fitScale();
    this.box.scrollLeft = 0;
    this.draw();
  }

  /** The critical path's tasks, first first, and its total time (null before any task has a duration). */
  get criticalPath(): { tasks: readonly number[]; ms: number | null } {
    return this.path;
  }

  private fitScale(): number {
    return Math.max(1e-6, (this.box.clientWidth - LABEL - 16) / Math.max(1, this.data.end - this.data.start));
  }

  private currentScale(): number {
    return this.scale ?? this.fitScale();
  }

  private sizeSpace(): void {
    this.space.style.width = `${LABEL + (this.data.end - this.data.start) * this.currentScale() + 16}px`;
    this.space.style.height = `${AXIS + this.data.rows.length * ROW}px`;
  }

  private draw(): void {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.paint());
  }

  private paint(): void {
    this.sizeSpace();
    const width = this.box.clientWidth;
    const height = Math.min(this.box.clientHeight, AXIS + this.data.rows.length * ROW + 2);
    const ratio = window.devicePixelRatio || 1;
    this.canvas.width = width * ratio;
    this.canvas.height = height * ratio;
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    const g = this.context;
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    const css = getComputedStyle(document.body);
    const colour = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
    const fg = colour('--vscode-foreground', '#ccc');
    const dim = colour('--vscode-descriptionForeground', '#999');
    const ok = colour('--vscode-testing-iconPassed', '#3c3');
    const bad = colour('--vscode-testing-iconFailed', '#e44');
    const running = colour('--vscode-charts-blue', '#39f');
    const cancelled = colour('--vscode-disabledForeground', '#888');
    const critical = colour('--vscode-charts-orange', '#f90');
    const selection = colour('--vscode-list-inactiveSelectionBackground', 'rgba(128,128,128,0.25)');
    g.font = `${css.getPropertyValue('--vscode-font-size').trim() || '12px'} ${css.getPropertyValue('--vscode-font-family').trim() || 'sans-serif'}`;
    g.textBaseline = 'middle';
    const scale = this.currentScale();
    const left = this.box.scrollLeft;
    const x = (at: number) => LABEL + (at - this.data.start) * scale - left;
    // An attempt's bar, at least 2 px wide so that an instant failure shows.
    const bar = (a: PageAttempt): [number, number] => {
      const x0 = Math.max(LABEL, x(a.start));
      return [x0, Math.max(x0 + 2, x(a.end ?? this.data.end))];
    };
    const first = Math.max(0, Math.floor(this.box.scrollTop / ROW));
    const last = Math.min(this.data.rows.length, first + Math.ceil(height / ROW) + 1);
    for (let r = first; r < last; r++) {
      const row = this.data.rows[r];
      const y = AXIS + (r - first) * ROW - (this.box.scrollTop % ROW);
      if (row.task === this.selected) {
        g.fillStyle = selection;
        g.fillRect(0, y, width, ROW);
      }
      for (const a of row.attempts) {
        // Wholly scrolled out of view, left under the labels or past the right edge.
        if (x(a.end ?? this.data.end) < LABEL || x(a.start) > width) continue;
        const [x0, x1] = bar(a);
        g.fillStyle = a.status === 'completed' ? ok : a.status === 'failed' ? bad : a.status === 'cancelled' ? cancelled : running;
        g.fillRect(x0, y + 4, x1 - x0, ROW - 8);
        if (a.status === 'failed' && x1 - x0 > 6) {
          g.strokeStyle = fg;
          g.beginPath();
          g.moveTo(x0 + 2, y + 6);
          g.lineTo(x0 + 6, y + ROW - 6);
          g.moveTo(x0 + 6, y + 6);
          g.lineTo(x0 + 2, y + ROW - 6);
          g.stroke();
        }
      }
      const a = row.attempts;
      if (this.critical.has(row.task) && x(a[a.length - 1].end ?? this.data.end) >= LABEL) {
        // Around the bars, never over them: a failed attempt of a few milliseconds stays visible.
        const x0 = bar(a[0])[0];
        const x1 = bar(a[a.length - 1])[1];
        g.strokeStyle = critical;
        g.lineWidth = 2;
        g.strokeRect(x0 - 1, y + 2, x1 - x0 + 2, ROW - 4);
        g.lineWidth = 1;
      }
    }
    // Labels last, over any bar scrolled under them.
    g.fillStyle = colour('--vscode-editor-background', '#1e1e1e');
    g.fillRect(0, 0, LABEL - 4, height);
    g.fillRect(0, 0, width, AXIS);
    for (let r = first; r < last; r++) {
      const row = this.data.rows[r];
      const y = AXIS + (r - first) * ROW - (this.box.scrollTop % ROW);
      g.fillStyle = this.critical.has(row.task) ? critical : fg;
      g.fillText(clip(g, this.labels[row.task] ?? String(row.task), LABEL - 10), 4, y + ROW / 2);
    }
    this.axis(g, width, scale, left, dim);
  }

  private axis(g: CanvasRenderingContext2D, width: number, scale: number, left: number, dim: string): void {
    const span = (width - LABEL) / scale;
    const step = niceStep(span / 6);
    g.fillStyle = dim;
    g.strokeStyle = dim;
    const from = Math.ceil((left / scale) / step) * step;
    for (let t = from; LABEL + t * scale - left < width; t += step) {
      const px = LABEL + t * scale - left;
      g.fillText(formatOffset(t), px + 2, AXIS / 2);
      g.beginPath();
      g.moveTo(px, AXIS - 4);
      g.lineTo(px, AXIS);
      g.stroke();
    }
  }
}

function niceStep(ms: number): number {
  const steps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000];
  return steps.find((s) => s >= ms) ?? 3_600_000 * Math.ceil(ms / 3_600_000);
}

function formatOffset(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

function clip(g: CanvasRenderingContext2D, text: string, max: number): string {
  if (g.measureText(text).width <= max) return text;
  let cut = text;
  while (cut.length > 1 && g.measureText(`${cut}…`).width > max) cut = cut.slice(0, -1);
  return `${cut}…`;
}
