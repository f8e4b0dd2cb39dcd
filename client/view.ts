// The Runs view (spec 4.3): runs newest first (a run still being prepared on top) → their tasks as a
// tree following parent_id. Children load lazily; a big run and a big group start collapsed, a group says
// how its tasks fare; live changes refresh only the items on screen (onDidChangeTreeData with elements),
// at most every REFRESH_GAP_MS: VS Code passes a view's change events on to the window only after a
// 200 ms pause (a trailing debounce in its extension host), so events any closer together would hold
// every redraw back until the run ends.
import * as vscode from 'vscode';
import type { TaskRecord } from '../runtime';
import { baseName, groupCounts, plural, relativeTime, runDescription, runTooltip, shownStatus, taskDescription, taskTooltip, type ShownStatus } from './format';
import { Pace } from './pace';
import { buildTaskTree, subtreeCounts, visibleChanges, type TaskTree, type TreeTask } from './run-tree';
import type { Preparation, RunEntry, RunService, TaskChange } from './runs';

export interface RunNode {
  kind: 'run';
  entry: RunEntry;
}

export type TaskNode = TreeTask<RunEntry>;

/** A run being prepared (runtime loading, tree being checked). */
export interface PreparingNode {
  kind: 'preparing';
  preparation: Preparation;
}

/** The first child of a retry: the run it retried, one click away. */
export interface RetriedNode {
  kind: 'retried';
  entry: RunEntry;
  retried: RunEntry;
}

export type RunsNode = RunNode | TaskNode | PreparingNode | RetriedNode;

/** A run started in this session opens expanded when it has at most this many tasks; bigger ones collapsed. */
export const EXPAND_RUN_LIMIT = 50;
/** A group (a task with children) opens expanded when it has at most this many children. */
export const EXPAND_GROUP_LIMIT = 20;
/** The pause VS Code's extension host waits for before it passes a view's change events on. */
export const VSCODE_TREE_DEBOUNCE_MS = 200;
/** The least time between two change events: longer than VS Code's pause, so that each goes through at once. */
export const REFRESH_GAP_MS = 250;

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
  private readonly trees = new WeakMap<RunEntry, TaskTree<RunEntry>>();
  /** Items shown expanded: live changes redraw only what is on screen. */
  private readonly expanded = new WeakSet<RunsNode>();
  private readonly subscriptions: vscode.Disposable[];
  private clock: NodeJS.Timeout | null = null;
  /** Changes waiting for the next event: the items, or the whole view. */
  private readonly pendingItems = new Set<RunsNode>();
  private pendingAll = false;
  /** At once after a quiet spell (a click is answered at once), else REFRESH_GAP_MS after the last event. */
  private readonly pace = new Pace(() => this.fire());
  /** Counts of onDidChangeTreeData: tests check that live updates are item by item. */
  readonly stats = { fullRefreshes: 0, itemRefreshes: 0, itemsRefreshed: 0 };

  constructor(private readonly runs: RunService) {
    this.subscriptions = [
      runs.onDidChangeList(() => this.refreshAll()),
      // A run that started replaced its preparation in the list event already.
      runs.onDidChangePreparation((p) => p.outcome || this.refreshAll()),
      runs.onDidChangeRuns((entries) => this.refreshItems(entries.map((e) => this.runNode(e)))),
      runs.onDidChangeTasks((changes) => this.onTasks(changes)),
    ];
  }

  /** Follows what the user expands and collapses. */
  track(treeView: vscode.TreeView<RunsNode>): vscode.Disposable[] {
    return [treeView.onDidExpandElement((e) => this.expanded.add(e.element)), treeView.onDidCollapseElement((e) => this.expanded.delete(e.element))];
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
      const preparing = this.runs.preparing().map((preparation): PreparingNode => ({ kind: 'preparing', preparation }));
      return [...preparing, ...this.runs.runs().map((e) => this.runNode(e))];
    }
    if (node.kind === 'run') {
      const roots = (await this.tree(node.entry)).roots;
      const parent = node.entry.run.parent_run_id;
      const retried = parent ? this.runs.get(parent) : undefined;
      return retried ? [{ kind: 'retried', entry: node.entry, retried }, ...roots] : roots;
    }
    return node.kind === 'task' ? node.children : [];
  }

  getParent(node: RunsNode): RunsNode | undefined {
    if (node.kind === 'run' || node.kind === 'preparing') return undefined;
    if (node.kind === 'retried') return this.runNode(node.entry);
    return node.parent ?? this.runNode(node.entry);
  }

  getTreeItem(node: RunsNode): vscode.TreeItem {
    switch (node.kind) {
      case 'run':
        return this.runItem(node);
      case 'task':
        return this.taskItem(node);
      case 'preparing':
        return preparingItem(node.preparation);
      case 'retried':
        return this.retriedItem(node);
    }
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    if (this.clock) clearInterval(this.clock);
    this.pace.cancel();
    this.emitter.dispose();
  }

  private runItem(node: RunNode): vscode.TreeItem {
    const { entry } = node;
    const run = entry.run;
    const open = entry.fresh === true && entry.counts.total <= EXPAND_RUN_LIMIT;
    const item = new vscode.TreeItem(baseName(run.file), this.collapsible(node, open));
    item.id = `run:${run.id}`;
    const retried = run.parent_run_id ? this.runs.get(run.parent_run_id) : undefined;
    item.description = runDescription(run, entry.counts, this.runs.numberOf(entry), retried && this.runs.numberOf(retried));
    item.tooltip = runTooltip(run, entry.counts);
    item.iconPath = RUN_ICONS[run.status];
    item.contextValue = `run.${run.status}`;
    return item;
  }

  private retriedItem(node: RetriedNode): vscode.TreeItem {
    const { run } = node.retried;
    const item = new vscode.TreeItem(`↻ retry of #${this.runs.numberOf(node.retried)}`, vscode.TreeItemCollapsibleState.None);
    item.id = `retried:${node.entry.run.id}`;
    item.description = `${run.status} · ${relativeTime(run.started_at)}`;
    item.tooltip = `This run retried run #${this.runs.numberOf(node.retried)} (${run.id}): it ran again what had not completed. Click to show that run.`;
    item.iconPath = new vscode.ThemeIcon('debug-restart');
    item.command = { command: 'apflow.showRun', title: 'Show Run', arguments: [run.id] };
    return item;
  }

  private taskItem(node: TaskNode): vscode.TreeItem {
    const tasks = node.entry.tasks as TaskRecord[];
    const task = tasks[node.index];
    const label = task.name && task.name !== task.id ? `${task.id} — ${task.name}` : task.id;
    const group = node.children.length > 0;
    const item = new vscode.TreeItem(label, group ? this.collapsible(node, node.children.length <= EXPAND_GROUP_LIMIT) : vscode.TreeItemCollapsibleState.None);
    item.id = `task:${node.entry.run.id}:${task.id}`;
    const status = shownStatus(task);
    const own = taskDescription(task);
    if (group) {
      const counts = subtreeCounts(node, tasks);
      const under = `${plural(counts.total, 'task')}: ${groupCounts(counts)}`;
      item.description = own ? `${own} · ${under}` : under;
      item.tooltip = `${taskTooltip(task)}\n\nunder it: ${under}`;
    } else {
      item.description = own;
      item.tooltip = taskTooltip(task);
    }
    item.iconPath = TASK_ICONS[status];
    item.contextValue = `task.${status}`;
    item.command = { command: 'apflow.openRun', title: 'Open Run Page', arguments: [node.entry.run.id, task.id] };
    return item;
  }

  /** The state VS Code starts the item in (it keeps the user's choice afterwards); expanded ones are on screen. */
  private collapsible(node: RunsNode, open: boolean): vscode.TreeItemCollapsibleState {
    if (open) this.expanded.add(node);
    return open || this.expanded.has(node) ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
  }

  private async tree(entry: RunEntry): Promise<TaskTree<RunEntry>> {
    const built = this.trees.get(entry);
    if (built) return built;
    const tasks = await this.runs.tasksOf(entry);
    const again = this.trees.get(entry);
    if (again) return again;
    const tree = buildTaskTree(entry, tasks);
    this.trees.set(entry, tree);
    return tree;
  }

  private onTasks(changes: TaskChange[]): void {
    const items: RunsNode[] = [];
    for (const { entry, indices } of changes) {
      const tree = this.trees.get(entry);
      if (tree) items.push(...visibleChanges(tree.nodes, indices, (n) => this.expanded.has(n), this.expanded.has(this.runNode(entry))));
    }
    this.refreshItems(items);
  }

  private refreshItems(items: RunsNode[]): void {
    if (items.length === 0) return;
    for (const item of items) this.pendingItems.add(item);
    this.pace.request(REFRESH_GAP_MS);
  }

  private refreshAll(): void {
    this.pendingAll = true;
    this.pace.request(REFRESH_GAP_MS);
  }

  private fire(): void {
    if (this.pendingAll) {
      this.stats.fullRefreshes++;
      this.emitter.fire(undefined);
    } else {
      this.stats.itemRefreshes++;
      this.stats.itemsRefreshed += this.pendingItems.size;
      this.emitter.fire([...this.pendingItems]);
    }
    this.pendingAll = false;
    this.pendingItems.clear();
  }
}

function preparingItem(preparation: Preparation): vscode.TreeItem {
  const item = new vscode.TreeItem(baseName(preparation.file), vscode.TreeItemCollapsibleState.None);
  item.id = `preparing:${preparation.file}`;
  item.description = preparation.task ? `preparing… · ▶ task ${preparation.task}` : preparation.retry ? 'preparing… · ↻ retry' : 'preparing…';
  item.tooltip = `${preparation.file}\nLoading the runtime and checking the tree; the run starts in a moment.`;
  item.iconPath = new vscode.ThemeIcon('loading~spin');
  item.contextValue = 'run.preparing';
  return item;
}
