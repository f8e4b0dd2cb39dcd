// The Runs view (spec 4.3): runs newest first → their tasks as a tree following parent_id. Children
// load lazily; live changes refresh only the items that changed (onDidChangeTreeData with elements).
import * as vscode from 'vscode';
import type { TaskRecord } from '../runtime';
import { baseName, runDescription, runTooltip, shownStatus, taskDescription, taskTooltip, type ShownStatus } from './format';
import type { RunEntry, RunService, TaskChange } from './runs';

export interface RunNode {
  kind: 'run';
  entry: RunEntry;
}

export interface TaskNode {
  kind: 'task';
  entry: RunEntry;
  index: number;
  parent: TaskNode | null;
  children: TaskNode[];
}

export type RunsNode = RunNode | TaskNode;

interface TaskTree {
  nodes: TaskNode[];
  roots: TaskNode[];
}

const RUN_ICONS: Record<string, vscode.ThemeIcon> = {
  completed: new vscode.ThemeIcon('testing-passed-icon', new vscode.ThemeColor('testing.iconPassed')),
  failed: new vscode.ThemeIcon('testing-failed-icon', new vscode.ThemeColor('testing.iconFailed')),
  cancelled: new vscode.ThemeIcon('circle-slash'),
  running: new vscode.ThemeIcon('sync~spin'),
};

const TASK_ICONS: Record<ShownStatus, vscode.ThemeIcon> = {
  completed: new vscode.ThemeIcon('testing-passed-icon', new vscode.ThemeColor('testing.iconPassed')),
  failed: new vscode.ThemeIcon('testing-failed-icon', new vscode.ThemeColor('testing.iconFailed')),
  cancelled: new vscode.ThemeIcon('circle-slash'),
  blocked: new vscode.ThemeIcon('testing-skipped-icon', new vscode.ThemeColor('testing.iconSkipped')),
  in_progress: new vscode.ThemeIcon('sync~spin'),
  pending: new vscode.ThemeIcon('circle-large-outline'),
};

export class RunsTreeProvider implements vscode.TreeDataProvider<RunsNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<RunsNode | RunsNode[] | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly runNodes = new WeakMap<RunEntry, RunNode>();
  private readonly trees = new WeakMap<RunEntry, TaskTree>();
  private readonly subscriptions: vscode.Disposable[];
  private clock: NodeJS.Timeout | null = null;
  /** Counts of onDidChangeTreeData: tests check that live updates are item by item. */
  readonly stats = { fullRefreshes: 0, itemRefreshes: 0 };

  constructor(private readonly runs: RunService) {
    this.subscriptions = [
      runs.onDidChangeList(() => this.refreshAll()),
      runs.onDidChangeRuns((entries) => this.refreshItems(entries.map((e) => this.runNode(e)))),
      runs.onDidChangeTasks((changes) => this.onTasks(changes)),
    ];
  }

  /** Keeps relative times ("2 min ago") honest while the view is visible. */
  setVisible(visible: boolean): void {
    if (visible && !this.clock) {
      this.clock = setInterval(() => this.refreshItems(this.runs.runs().slice(0, 200).map((e) => this.runNode(e))), 60_000);
    } else if (!visible && this.clock) {
      clearInterval(this.clock);
      this.clock = null;
    }
  }

  runNode(entry: RunEntry): RunNode {
    let node = this.runNodes.get(entry);
    if (!node) this.runNodes.set(entry, (node = { kind: 'run', entry }));
    return node;
  }

  /** The node of a task, building the run's task tree if needed (for reveal). */
  async taskNode(entry: RunEntry, taskId: string): Promise<TaskNode | undefined> {
    const tree = await this.tree(entry);
    return tree.nodes.find((n) => entry.tasks?.[n.index].id === taskId);
  }

  async getChildren(node?: RunsNode): Promise<RunsNode[]> {
    if (!node) {
      await this.runs.load();
      return this.runs.runs().map((e) => this.runNode(e));
    }
    if (node.kind === 'run') return (await this.tree(node.entry)).roots;
    return node.children;
  }

  getParent(node: RunsNode): RunsNode | undefined {
    if (node.kind === 'run') return undefined;
    return node.parent ?? this.runNode(node.entry);
  }

  getTreeItem(node: RunsNode): vscode.TreeItem {
    return node.kind === 'run' ? this.runItem(node.entry) : this.taskItem(node);
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    if (this.clock) clearInterval(this.clock);
    this.emitter.dispose();
  }

  private runItem(entry: RunEntry): vscode.TreeItem {
    const run = entry.run;
    const item = new vscode.TreeItem(baseName(run.file), entry.fresh ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `run:${run.id}`;
    item.description = runDescription(run, entry.counts);
    item.tooltip = runTooltip(run, entry.counts);
    item.iconPath = RUN_ICONS[run.status];
    item.contextValue = `run.${run.status}`;
    return item;
  }

  private taskItem(node: TaskNode): vscode.TreeItem {
    const task = (node.entry.tasks as TaskRecord[])[node.index];
    const label = task.name && task.name !== task.id ? `${task.id} — ${task.name}` : task.id;
    const item = new vscode.TreeItem(label, node.children.length > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = `task:${node.entry.run.id}:${task.id}`;
    const status = shownStatus(task);
    item.description = taskDescription(task);
    item.tooltip = taskTooltip(task);
    item.iconPath = TASK_ICONS[status];
    item.contextValue = `task.${status}`;
    item.command = { command: 'apflow.openRun', title: 'Open Run Page', arguments: [node.entry.run.id, task.id] };
    return item;
  }

  private async tree(entry: RunEntry): Promise<TaskTree> {
    const built = this.trees.get(entry);
    if (built) return built;
    const tasks = await this.runs.tasksOf(entry);
    const again = this.trees.get(entry);
    if (again) return again;
    const nodes: TaskNode[] = tasks.map((_, index) => ({ kind: 'task', entry, index, parent: null, children: [] }));
    const byId = new Map(tasks.map((t, i) => [t.id, i]));
    const roots: TaskNode[] = [];
    tasks.forEach((t, i) => {
      const parent = t.parent_id === null ? undefined : byId.get(t.parent_id);
      if (parent === undefined || parent === i || createsLoop(tasks, byId, i)) roots.push(nodes[i]);
      else {
        nodes[i].parent = nodes[parent];
        nodes[parent].children.push(nodes[i]);
      }
    });
    const tree = { nodes, roots };
    this.trees.set(entry, tree);
    return tree;
  }

  private onTasks(changes: TaskChange[]): void {
    const items: RunsNode[] = [];
    for (const { entry, indices } of changes) {
      const tree = this.trees.get(entry);
      if (!tree) continue;
      for (const i of indices) if (tree.nodes[i]) items.push(tree.nodes[i]);
    }
    this.refreshItems(items);
  }

  private refreshItems(items: RunsNode[]): void {
    if (items.length === 0) return;
    this.stats.itemRefreshes++;
    this.emitter.fire(items);
  }

  private refreshAll(): void {
    this.stats.fullRefreshes++;
    this.emitter.fire(undefined);
  }
}

/** A parent chain that loops (the analysis refuses such trees, but history is history): show at the top. */
function createsLoop(tasks: readonly TaskRecord[], byId: Map<string, number>, start: number): boolean {
  let steps = 0;
  for (let i: number | undefined = start; i !== undefined && steps <= tasks.length; steps++) {
    const p: string | null = tasks[i].parent_id;
    i = p === null ? undefined : byId.get(p);
    if (i === start) return true;
  }
  return false;
}
