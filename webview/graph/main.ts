// The graph view's page (issue 13): receives the file's graph and run statuses from the extension,
// lays out what is open with elkjs in a web worker, draws it, and sends back clicks (reveal the task),
// menu choices (run, retry, log) and its timings. Everything it loads is the extension's own.
import ELK, { type ELK as Elk } from 'elkjs/lib/elk-api';
import type { FromGraphView, GraphStatus, GraphViewState, StatusEntry, ViewGraph, ToGraphView } from '../../protocol';
import { GraphLayout, type Placed } from './layout';
import { GraphModel, type VisibleGraph } from './model';
import { menuItems } from './menu';
import { DEFS, formatMs, statusText, svgMarkup } from './render';

interface VsCodeApi {
  postMessage(message: FromGraphView): void;
  getState(): GraphViewState | undefined;
  setState(state: GraphViewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const state: GraphViewState = vscode.getState() ?? {
  uri: document.body.dataset.uri ?? '',
};
state.uri ||= document.body.dataset.uri ?? '';
state.toggled ??= {};
vscode.setState(state);

const svg = document.getElementById('graph') as unknown as SVGSVGElement;
const scene = document.getElementById('scene') as unknown as SVGGElement;
const summary = document.getElementById('summary') as HTMLElement;
const pathInfo = document.getElementById('path') as HTMLElement;
const menu = document.getElementById('menu') as HTMLElement;

/** elkjs's worker, from a blob: a webview cannot start a worker from its resource URLs directly. */
async function layouter(): Promise<Elk> {
  const source = await (await fetch(document.body.dataset.elkWorker as string)).text();
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  return new ELK({ workerFactory: () => new Worker(url) });
}
const elk = layouter();

/** elkjs compiles on its first layout; a tiny one after the first drawing makes opening the first group quick. */
function warm(e: Elk): void {
  const box = (id: string) => ({ id, width: 100, height: 40 });
  void e.layout({ id: 'warm', layoutOptions: { 'elk.algorithm': 'layered' }, children: [box('a'), box('b'), box('c')], edges: [{ id: 'e1', sources: ['a'], targets: ['b'] }, { id: 'e2', sources: ['b'], targets: ['c'] }] }).catch(() => undefined);
}

let graph: ViewGraph | null = null;
let model: GraphModel | null = null;
let layout: GraphLayout | null = null;
let visible: VisibleGraph | null = null;
let placed: Placed | null = null;
let canRun = false;
let running = false;
let selected = -1;
let generation = 0;
const statuses = new Map<number, { status: GraphStatus; durationMs: number | null }>();
const view = { x: 0, y: 0, scale: 1 };

function post(message: FromGraphView): void {
  vscode.postMessage(message);
}

function expanded(index: number): boolean {
  if (!graph || !model) return false;
  return state.toggled?.[graph.nodes[index].key] ?? model.expandedByDefault(index);
}

async function draw(requestedAt?: number): Promise<void> {
  if (!graph || !model || !layout) return;
  const mine = ++generation;
  const started = performance.now();
  const shown = model.visible(expanded);
  const result = await layout.place(graph, shown);
  if (mine !== generation) return;
  visible = shown;
  placed = result;
  scene.innerHTML = DEFS + svgMarkup(graph, shown, result);
  applyStatuses();
  applySelection(false);
  applyTransform();
  const layoutMs = performance.now() - started;
  requestAnimationFrame(() => {
    const sinceRequestMs = requestedAt === undefined ? layoutMs : Date.now() - requestedAt;
    document.body.dataset.paintMs = sinceRequestMs.toFixed(0);
    document.body.dataset.layoutMs = layoutMs.toFixed(0);
    document.body.dataset.boxes = String(shown.size);
    post({ type: 'painted', nodes: shown.size, layoutMs, sinceRequestMs });
  });
}

function boxOf(index: number): SVGGElement | null {
  return scene.querySelector(`g.box[data-i="${index}"]`);
}

/** Colours every drawn box by its task's status; a closed box by what is inside it. */
function applyStatuses(): void {
  if (!visible || !graph) return;
  const inside = new Map<number, Map<GraphStatus, number>>();
  statuses.forEach((s, index) => {
    const shownBy = visible?.shownBy[index] ?? -1;
    if (shownBy < 0 || shownBy === index) return;
    const counts = inside.get(shownBy) ?? new Map<GraphStatus, number>();
    counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
    inside.set(shownBy, counts);
  });
  for (const el of scene.querySelectorAll<SVGGElement>('g.box')) {
    const index = Number(el.dataset.i);
    const own = statuses.get(index);
    const counts = inside.get(index);
    const status = own?.status ?? (counts ? summaryStatus(counts) : null);
    el.classList.remove(...[...el.classList].filter((c) => c.startsWith('s-')));
    if (status) el.classList.add(`s-${status}`);
    const label = el.querySelector('text.status');
    if (label) label.textContent = own ? statusText(own.status, own.durationMs) : counts ? `${counts.get('completed') ?? 0}/${sum(counts)} done` : '';
  }
  drawCriticalPath();
}

function sum(counts: Map<GraphStatus, number>): number {
  let total = 0;
  counts.forEach((n) => (total += n));
  return total;
}

/** A closed box's colour: failed over running over blocked over done. */
function summaryStatus(counts: Map<GraphStatus, number>): GraphStatus {
  for (const s of ['failed', 'in_progress', 'blocked', 'cancelled', 'pending'] as GraphStatus[]) if (counts.get(s)) return s;
  return 'completed';
}

function drawCriticalPath(): void {
  if (!model || !visible || !placed || !graph) return;
  // While a run goes on its durations are partial: the path is by task count until it finishes.
  const durations = new Map<number, number>();
  if (!running) {
    statuses.forEach((s, i) => {
      if (s.durationMs !== null) durations.set(i, s.durationMs);
    });
  }
  const path = model.criticalPath(durations);
  const shownBy = visible.shownBy;
  const onPath = new Set(path.tasks.map((i) => shownBy[i]));
  for (const el of scene.querySelectorAll<SVGGElement>('g.box')) el.classList.toggle('critical', onPath.has(Number(el.dataset.i)));
  const pairs = new Set<string>();
  for (let k = 1; k < path.tasks.length; k++) pairs.add(`${shownBy[path.tasks[k - 1]]}>${shownBy[path.tasks[k]]}`);
  placed.edges.forEach(({ edge }, k) => scene.querySelector(`path[data-e="${k}"]`)?.classList.toggle('critical', pairs.has(`${edge.fromIndex}>${edge.toIndex}`)));
  if (path.tasks.length === 0) pathInfo.textContent = 'Critical path: none (every task is on a dependency cycle or waits for one)';
  else if (path.unit === 'ms') pathInfo.textContent = `Critical path: ${path.tasks.length} tasks · estimated ${formatMs(path.total)} (newest run's durations)`;
  else pathInfo.textContent = `Critical path: ${path.tasks.length} tasks (by task count: ${running ? 'durations when the run finishes' : 'no run yet'})`;
  pathInfo.title = path.tasks.map((i) => graph?.nodes[i].key).join(' → ');
}

function applySelection(scroll: boolean): void {
  scene.querySelectorAll('g.box.selected').forEach((el) => el.classList.remove('selected'));
  if (selected < 0 || !visible) return;
  const shownBy = visible.shownBy[selected];
  const el = shownBy >= 0 ? boxOf(shownBy) : null;
  if (!el) return;
  el.classList.add('selected');
  if (scroll && placed) {
    const box = placed.boxes.get(`t${shownBy}`);
    const { width, height } = svg.getBoundingClientRect();
    if (box) {
      const [sx, sy] = [box.x * view.scale + view.x, box.y * view.scale + view.y];
      if (sx < 0 || sy < 0 || sx + box.width * view.scale > width || sy + box.height * view.scale > height) {
        view.x = width / 2 - (box.x + box.width / 2) * view.scale;
        view.y = height / 2 - (box.y + box.height / 2) * view.scale;
        applyTransform();
      }
    }
  }
}

function applyTransform(): void {
  scene.setAttribute('transform', `translate(${view.x.toFixed(1)},${view.y.toFixed(1)}) scale(${view.scale.toFixed(3)})`);
}

function fit(): void {
  if (!placed) return;
  const { width, height } = svg.getBoundingClientRect();
  view.scale = Math.min(1, Math.max(0.05, Math.min(width / (placed.width + 20), height / (placed.height + 20))));
  view.x = 10;
  view.y = 10;
  applyTransform();
}

function showSummary(file: string): void {
  if (!graph) return;
  const cycles = graph.edges.filter((e) => e.cycle).length;
  const parts = [`${file}: ${graph.nodes.length} tasks, ${graph.edges.length} dependencies`];
  if (cycles) parts.push(`${cycles} on a cycle`);
  if (graph.dangling.length) parts.push(`${graph.dangling.length} unknown reference${graph.dangling.length === 1 ? '' : 's'}`);
  summary.textContent = parts.join(' · ');
}

function onMessage(message: ToGraphView): void {
  if (message.type === 'graph') {
    const first = graph === null;
    graph = message.graph;
    model = new GraphModel(graph);
    canRun = message.canRun;
    elk
      .then((e) => {
        layout ??= new GraphLayout(e);
        return draw(message.requestedAt).then(() => {
        if (!first) return;
        fit();
        warm(e);
      });
      })
      .catch((error: unknown) => (summary.textContent = `The graph could not be laid out: ${error instanceof Error ? error.message : String(error)}`));
    showSummary(message.file);
  } else if (message.type === 'status') {
    if (message.reset) statuses.clear();
    for (const [index, status, durationMs] of message.tasks as StatusEntry[]) statuses.set(index, { status, durationMs });
    running = message.running;
    document.body.classList.toggle('running', running);
    applyStatuses();
  } else if (message.type === 'select') {
    selected = message.index;
    applySelection(true);
  }
}

window.addEventListener('message', (event: MessageEvent<ToGraphView>) => onMessage(event.data));

function toggle(index: number): void {
  if (!graph) return;
  const key = graph.nodes[index].key;
  (state.toggled as Record<string, boolean>)[key] = !expanded(index);
  vscode.setState(state);
  void draw();
}

svg.addEventListener('click', (event) => {
  hideMenu();
  const target = event.target as Element;
  const box = target.closest<SVGGElement>('g.box');
  if (!box) return;
  const index = Number(box.dataset.i);
  if (target.classList.contains('toggle')) toggle(index);
  else post({ type: 'reveal', index });
});
svg.addEventListener('dblclick', (event) => {
  const box = (event.target as Element).closest<SVGGElement>('g.box.group, g.box.collapsed');
  if (box) toggle(Number(box.dataset.i));
});

// ---- the node menu ----

function button(label: string, action: () => void): HTMLButtonElement {
  const item = document.createElement('button');
  item.textContent = label;
  item.addEventListener('click', () => {
    hideMenu();
    action();
  });
  return item;
}

function showMenu(index: number, x: number, y: number): void {
  if (!graph || !model) return;
  const items = menuItems({ canRun, running, group: model.isGroup(index), expanded: expanded(index), status: statuses.get(index)?.status }).map(({ label, action }) =>
    button(label, () => {
      if (action.kind === 'reveal') post({ type: 'reveal', index });
      else if (action.kind === 'toggle') toggle(index);
      else post({ type: 'command', command: action.command, index });
    }),
  );
  menu.replaceChildren(...items);
  menu.style.left = `${x}px`;
  menu.style.top = `${y}px`;
  menu.hidden = false;
  items[0].focus();
}

function hideMenu(): void {
  menu.hidden = true;
}

svg.addEventListener('contextmenu', (event) => {
  const box = (event.target as Element).closest<SVGGElement>('g.box');
  event.preventDefault();
  if (box) showMenu(Number(box.dataset.i), event.clientX, event.clientY);
});
window.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') hideMenu();
});

// ---- pan and zoom ----

svg.addEventListener(
  'wheel',
  (event) => {
    event.preventDefault();
    const factor = Math.exp(-event.deltaY * 0.0015);
    const scale = Math.min(3, Math.max(0.05, view.scale * factor));
    const rect = svg.getBoundingClientRect();
    const [mx, my] = [event.clientX - rect.left, event.clientY - rect.top];
    view.x = mx - ((mx - view.x) * scale) / view.scale;
    view.y = my - ((my - view.y) * scale) / view.scale;
    view.scale = scale;
    applyTransform();
  },
  { passive: false },
);
let drag: { x: number; y: number } | null = null;
svg.addEventListener('pointerdown', (event) => {
  if ((event.target as Element).closest('g.box') || event.button !== 0) return;
  drag = { x: event.clientX - view.x, y: event.clientY - view.y };
  svg.setPointerCapture(event.pointerId);
});
svg.addEventListener('pointermove', (event) => {
  if (!drag) return;
  view.x = event.clientX - drag.x;
  view.y = event.clientY - drag.y;
  applyTransform();
});
svg.addEventListener('pointerup', () => (drag = null));
document.getElementById('fit')?.addEventListener('click', fit);
document.getElementById('collapse')?.addEventListener('click', () => {
  if (!graph || !model) return;
  for (const node of graph.nodes) if (model.isGroup(node.index) && node.parent >= 0) (state.toggled as Record<string, boolean>)[node.key] = false;
  vscode.setState(state);
  void draw();
});

post({ type: 'ready' });
