// Graph view benchmark (issue 13): the figures of "A graph view", printed with their targets.
//   - a 10,000-task tree: apflow/graph over real JSON-RPC from the built server, then what the webview
//     does before it paints (the visible model, the elkjs layout, the SVG markup) — the layout runs on
//     elkjs's own build in this thread, the same code the webview runs in its worker;
//   - opening a group of 500 tasks (with dependencies among them) in a drawing that is already laid out;
//   - the status messages of a 5,000-task run: building one batch of 5,000 entries (what the extension
//     host does per update at most) and its JSON size.
// The paint itself and the webview's own figures come from the UI click-through in code-server
// (scripts/run-ui-graph-test.mjs). Prints figures; asserts nothing.
//   npm run bench -- graph
import ELK from 'elkjs';
import { availableParallelism, loadavg } from 'node:os';
import { DocumentAnalyzer } from '../../analysis';
import type { StatusEntry, TaskGraph } from '../../protocol';
import { GraphLayout } from '../../webview/graph/layout';
import { GraphModel } from '../../webview/graph/model';
import { svgMarkup } from '../../webview/graph/render';
import { fileUriOf, LspClient } from '../lsp/lsp-client';
import { generateTree } from './generate';
import { summary, target } from './stats';

const ROUNDS = 5;

/** A root over one group of `members` tasks, each depending on up to three earlier ones. */
function groupTree(members: number): string {
  const lines = ['tasks:', '  - id: root', '    schemas: { method: aggregate_results_executor }', '  - id: big', '    parent_id: root', '    schemas: { method: aggregate_results_executor }'];
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < members; i++) {
    const deps = new Set<string>();
    for (let d = Math.floor(rnd() * 4); d > 0 && i > 0; d--) deps.add(`m${Math.floor(rnd() * i)}`);
    lines.push(`  - id: m${i}`, `    name: Member ${i}`, '    parent_id: big', '    schemas: { method: command_executor }', `    dependencies: [${[...deps].join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

/** From the graph to the markup the webview sets: what happens between the answer and the first paint. */
async function draw(layout: GraphLayout, graph: TaskGraph, open: (model: GraphModel, index: number) => boolean): Promise<{ ms: number; cpuMs: number; boxes: number }> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const model = new GraphModel(graph);
  const visible = model.visible((i) => open(model, i));
  const placed = await layout.place(graph, visible);
  svgMarkup(graph, visible, placed);
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, boxes: visible.size };
}

/** The machine's load: the benchmark machine is shared, and wall times grow with it (the CPU times do not). */
function load(): string {
  return `load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`;
}

async function openTenThousand(elk: InstanceType<typeof ELK>): Promise<void> {
  const text = generateTree(10_000).text;
  const client = await LspClient.start();
  try {
    const samples: number[] = [];
    const requests: number[] = [];
    const opened: number[] = [];
    let boxes = 0;
    let openedBoxes = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const uri = fileUriOf(`/tmp/apflow-graph-bench-${round}.apflow.yaml`);
      await client.open(uri, text);
      await client.current(uri, 60_000);
      const started = performance.now();
      const graph = await client.request<TaskGraph>('apflow/graph', { textDocument: { uri } });
      const requested = performance.now() - started;
      // A fresh layout each round: a panel that opens has nothing cached.
      const layout = new GraphLayout(elk);
      const drawn = await draw(layout, graph, (model, i) => model.expandedByDefault(i));
      requests.push(requested);
      samples.push(requested + drawn.ms);
      boxes = drawn.boxes;
      // The user's next click: the root opened, its groups still closed.
      const root = await draw(layout, graph, (model, i) => i === 0 || model.expandedByDefault(i));
      opened.push(root.ms);
      openedBoxes = root.boxes;
      await client.close(uri);
    }
    const p50 = [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)];
    console.log(`  10,000 tasks, apflow/graph request: ${summary(requests)}`);
    console.log(`  10,000 tasks, request → markup of the first paint (${boxes} box laid out: the root's group of 9,999 starts closed): ${summary(samples)} ${target(p50, 1500)}`);
    console.log(`  10,000 tasks, opening the root (${openedBoxes} boxes: its groups of 50, closed): ${summary(opened)}`);
  } finally {
    await client.stop();
  }
}

async function expandGroup(elk: InstanceType<typeof ELK>, members: number): Promise<void> {
  const graph: TaskGraph = { version: 1, ...new DocumentAnalyzer('/bench/group.apflow.yaml', { fileExists: () => true }).update(groupTree(members)).taskGraph() };
  const samples: number[] = [];
  const cpu: number[] = [];
  let boxes = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const layout = new GraphLayout(elk);
    await draw(layout, graph, (model, i) => model.expandedByDefault(i));
    const opened = await draw(layout, graph, () => true);
    samples.push(opened.ms);
    cpu.push(opened.cpuMs);
    boxes = opened.boxes;
  }
  const p50 = [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)];
  console.log(`  opening a group of ${members} tasks (${boxes} boxes, ${graph.edges.length} dependencies): ${summary(samples)} ${target(p50, 500)}; CPU time ${summary(cpu)}`);
}

function statusBatch(tasks: number): void {
  const samples: number[] = [];
  let bytes = 0;
  for (let round = 0; round < 20; round++) {
    const started = performance.now();
    const entries: StatusEntry[] = [];
    for (let i = 0; i < tasks; i++) entries.push([i, i % 3 === 0 ? 'completed' : 'in_progress', i % 3 === 0 ? 120 : null]);
    bytes = JSON.stringify({ type: 'status', runId: 'r', running: true, reset: false, tasks: entries }).length;
    samples.push(performance.now() - started);
  }
  console.log(`  a status batch of ${tasks.toLocaleString('en')} tasks (built and serialised in the extension host): ${summary(samples)}, ${(bytes / 1024).toFixed(0)} KiB; sent once per RunService flush (100 ms): 10 updates/s`);
}

export async function graphBench(): Promise<void> {
  console.log(`graph view (issue 13), ${load()}`);
  const elk = new ELK();
  // elkjs compiles on first use: one layout first, as the webview's worker does when it starts.
  await draw(new GraphLayout(elk), { version: 1, ...new DocumentAnalyzer('/bench/warm.apflow.yaml', { fileExists: () => true }).update(groupTree(50)).taskGraph() }, () => true);
  await openTenThousand(elk);
  await expandGroup(elk, 500);
  statusBatch(5_000);
}

if (require.main === module) void graphBench().then(() => process.exit(0));
