// The graph view's run statuses: the newest run of its file, from RunService's coalesced events (the
// same stream as the lenses), as batched messages of only what changed — one per flush of RunService
// (every 100 ms while a run goes on), however many tasks changed in between.
import * as vscode from 'vscode';
import { recordMatcher, type TaskNames } from '../../analysis/identity';
import type { GraphStatus, StatusEntry, ToGraphView } from '../../protocol';
import type { TaskRecord } from '../../runtime';
import { shownStatus, taskDuration } from '../format';
import type { RunEntry, RunService } from '../runs';

type StatusMessage = Extract<ToGraphView, { type: 'status' }>;

export class GraphStatusFeed implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[];
  private shown: RunEntry | undefined;
  /** Per record of the shown run (its index in the run), the graph node it belongs to, or -1. */
  private nodeOf: Int32Array = new Int32Array(0);
  private names: readonly TaskNames[] = [];

  constructor(
    private readonly runs: RunService,
    private readonly file: string,
    private readonly post: (message: StatusMessage) => void,
  ) {
    this.subscriptions = [
      runs.onDidChangeTasks((changes) => {
        for (const change of changes) if (change.entry.run.file === file) this.changed(change.entry, change.indices);
      }),
      runs.onDidChangeList(() => void this.sendAll()),
      runs.onDidFinishRun((entry) => entry.run.file === file && void this.sendAll()),
    ];
  }

  /** The graph's tasks changed (an edit): match the records again and send every status. */
  setTasks(names: readonly TaskNames[]): Promise<void> {
    this.names = names;
    this.shown = undefined;
    return this.sendAll();
  }

  /** The record the run keeps for a graph node, for the node's menu (its log). */
  recordOf(node: number): { entry: RunEntry; record: TaskRecord } | undefined {
    const entry = this.shown;
    const tasks = entry?.tasks;
    if (!entry || !tasks) return undefined;
    const k = this.nodeOf.indexOf(node);
    return k >= 0 ? { entry, record: tasks[k] } : undefined;
  }

  get run(): RunEntry | undefined {
    return this.shown;
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
  }

  private async sendAll(): Promise<void> {
    if (this.runs.historyExists()) await this.runs.load();
    const entry = this.runs.newestFor(this.file);
    if (!entry) {
      this.shown = undefined;
      this.post({
        type: 'status',
        runId: null,
        running: false,
        reset: true,
        tasks: [],
      });
      return;
    }
    const tasks = await this.runs.tasksOf(entry);
    if (this.runs.newestFor(this.file) !== entry) return; // a newer run came meanwhile; its own call sends it
    this.shown = entry;
    const match = recordMatcher(this.names);
    this.nodeOf = Int32Array.from(tasks, (t) => match(t));
    this.post({
      type: 'status',
      runId: entry.run.id,
      running: entry.live !== null,
      reset: true,
      tasks: this.entries(
        tasks,
        tasks.map((_, k) => k),
      ),
    });
  }

  private changed(entry: RunEntry, indices: number[]): void {
    if (entry !== this.shown || !entry.tasks) {
      void this.sendAll();
      return;
    }
    this.post({
      type: 'status',
      runId: entry.run.id,
      running: entry.live !== null,
      reset: false,
      tasks: this.entries(entry.tasks, indices),
    });
  }

  private entries(tasks: readonly TaskRecord[], indices: readonly number[]): StatusEntry[] {
    const now = Date.now();
    const out: StatusEntry[] = [];
    for (const k of indices) {
      const node = this.nodeOf[k];
      if (node === undefined || node < 0) continue;
      const t = tasks[k];
      out.push([node, shownStatus(t) as GraphStatus, taskDuration(t, now)]);
    }
    return out;
  }
}
