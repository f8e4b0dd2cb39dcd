// The runs the editor knows: the history (loaded on first need) plus the runs of this session, live.
// Every view — lenses, the Runs tree, progress, status bar, run diagnostics — reads this model and is
// told about changes through its events, which are coalesced (a 1,000-task run produces thousands of
// runtime events; the views hear about them a few times per second, item by item).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Diagnostic } from '../analysis';
import type { History, RunRecord, TaskRecord, TaskRun } from '../runtime';
import { baseName, countsText, countTasks, emptyCounts, formatDuration, runDuration, type Counts } from './format';
import type { HistoryHost } from './history-host';
import type { QueuedPlan, QueueTarget, RunRequest, RuntimeHost } from './runtime-host';

/**
 * Requires a bundle built beside dist/client.js (esbuild.mjs: client/runtime-host.ts, client/history-host.ts)
 * by a path the bundler cannot follow, so that none of it enters client.js.
 */
function loadBundle<T>(name: 'runtime-host' | 'history-host'): T {
  return require(join(__dirname, `${name}.js`)) as T;
}

export interface RunEntry {
  /** For a live run, the runtime's own record (updated in place); else the record from the history. */
  readonly run: RunRecord;
  counts: Counts;
  /** In file order; null until loaded from the history. Live runs have them from the start. */
  tasks: TaskRecord[] | null;
  live: TaskRun | null;
  /** Started in this session: its item in the Runs view opens expanded. */
  fresh?: boolean;
}

export interface TaskChange {
  entry: RunEntry;
  indices: number[];
}

export interface StartRequest {
  text: string;
  /** Absolute path of the tree file. */
  file: string;
  concurrency: number;
  allowPrivateUrls: boolean;
  /** Run this task and its dependencies only. */
  task?: string;
  /** Retry this run (spec 3.6). */
  retryOf?: RunEntry;
  /** The `apflow.target` setting, as written. */
  target?: string | null;
  /** Which Python runs Python executors and hooks (client/python.ts). */
  python?: RunRequest['python'];
  /** `apflow.run.redis`: run the tasks on queue workers (issue 15). */
  queue?: QueueTarget;
}

export type StartResult =
  | { kind: 'started'; entry: RunEntry; done: Promise<RunEntry> }
  | { kind: 'refused'; diagnostics: Diagnostic[] }
  | { kind: 'error'; message: string };

export interface RunServiceOptions {
  /** The history database file. */
  historyPath: string;
  maxRuns: () => number;
  log: (line: string) => void;
  /** How often coalesced changes reach the views. */
  flushMs?: number;
}

export class RunService implements vscode.Disposable {
  private host: RuntimeHost | null = null;
  private historyHost: HistoryHost | null = null;
  private history: History | null = null;
  private loading: Promise<void> | null = null;
  private loaded = false;
  private order: RunEntry[] = [];
  private readonly byId = new Map<string, RunEntry>();
  private readonly dirtyTasks = new Map<RunEntry, Set<number>>();
  private readonly dirtyRuns = new Set<RunEntry>();
  private timer: NodeJS.Timeout | null = null;
  private readonly flushMs: number;

  private readonly listEmitter = new vscode.EventEmitter<void>();
  private readonly runsEmitter = new vscode.EventEmitter<RunEntry[]>();
  private readonly tasksEmitter = new vscode.EventEmitter<TaskChange[]>();
  private readonly startEmitter = new vscode.EventEmitter<RunEntry>();
  private readonly finishEmitter = new vscode.EventEmitter<RunEntry>();
  /** Runs were added, removed or (first) loaded. */
  readonly onDidChangeList = this.listEmitter.event;
  /** Runs changed status or counts (coalesced). */
  readonly onDidChangeRuns = this.runsEmitter.event;
  /** Tasks of runs changed (coalesced), by index in their run. */
  readonly onDidChangeTasks = this.tasksEmitter.event;
  readonly onDidStartRun = this.startEmitter.event;
  readonly onDidFinishRun = this.finishEmitter.event;

  constructor(private readonly options: RunServiceOptions) {
    this.flushMs = options.flushMs ?? 100;
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  /** Whether the runtime has been loaded in this session (tests check that activation does not). */
  get runtimeLoaded(): boolean {
    return this.host !== null;
  }

  /** Whether a history database exists on disk (cheap; does not load anything). */
  historyExists(): boolean {
    return existsSync(this.options.historyPath);
  }

  /** Loads the history (not the runtime), once. Never rejects: a broken history is logged and skipped. */
  load(): Promise<void> {
    this.loading ??= this.open().finally(() => {
      this.loaded = true;
      this.listEmitter.fire();
    });
    return this.loading;
  }

  runs(): readonly RunEntry[] {
    return this.order;
  }

  get(id: string): RunEntry | undefined {
    return this.byId.get(id);
  }

  newestFor(file: string): RunEntry | undefined {
    return this.order.find((e) => e.run.file === file);
  }

  active(): RunEntry[] {
    return this.order.filter((e) => e.live !== null);
  }

  activeFor(file: string): RunEntry | undefined {
    return this.order.find((e) => e.live !== null && e.run.file === file);
  }

  async tasksOf(entry: RunEntry): Promise<TaskRecord[]> {
    if (entry.tasks) return entry.tasks;
    const tasks = this.history ? await this.history.tasksOf(entry.run.id) : [];
    entry.tasks ??= tasks;
    return entry.tasks;
  }

  async eventsOf(runId: string, taskId: string) {
    return this.history ? this.history.eventsOf(runId, taskId) : null;
  }

  /** What apflow in the workspace's Python offers (issue 12); loads the runtime's bundle. */
  probePython(choice: NonNullable<RunRequest['python']>, treeDir: string): ReturnType<RuntimeHost['probePython']> {
    return this.runtime().probePython(choice, treeDir);
  }

  /** Spec 3.1 then a run; refusals come back as diagnostics, never as exceptions. */
  async start(request: StartRequest): Promise<StartResult> {
    await this.load();
    const host = this.runtime();
    const running = this.activeFor(request.file);
    if (running) return { kind: 'error', message: `${baseName(request.file)} is already running (run ${short(running.run.id)}); cancel it first.` };
    let retryOf: Parameters<RuntimeHost['prepare']>[0]['retryOf'];
    if (request.retryOf) retryOf = { run: request.retryOf.run, tasks: await this.tasksOf(request.retryOf) };
    let preflight;
    try {
      preflight = await host.prepare({
        text: request.text,
        file: request.file,
        env: process.env,
        allowPrivateUrls: request.allowPrivateUrls,
        task: request.task,
        retryOf,
        target: request.target,
        python: request.python,
      });
    } catch (error) {
      if (host.isUnknownTask(error)) return { kind: 'error', message: (error as Error).message };
      throw error;
    }
    if (!preflight.ok) return { kind: 'refused', diagnostics: preflight.diagnostics };
    // A run started while another was starting for the same file (a double click) is refused.
    const raced = this.activeFor(request.file);
    if (raced) return { kind: 'error', message: `${baseName(request.file)} is already running (run ${short(raced.run.id)}); cancel it first.` };

    let queued: QueuedPlan | null = null;
    if (request.queue) {
      try {
        queued = await host.queue(request.queue, preflight.plan);
      } catch (error) {
        return { kind: 'error', message: messageOf(error) };
      }
      if (queued.noWorkers) this.options.log(`no worker is connected to ${queued.description} yet: the tasks wait until one starts (apflow-yaml worker --redis URL)`);
    }
    const run = host.createRun(queued ? queued.plan : preflight.plan, { concurrency: queued ? queued.inFlight : request.concurrency });
    queued?.attach(run.tasks);
    const recorder = this.history ? host.record(this.history, run) : null;
    const entry: RunEntry = { run: run.record, counts: countTasks(run.tasks), tasks: run.tasks, live: run, fresh: true };
    this.attach(entry, run);
    this.order.unshift(entry);
    this.byId.set(entry.run.id, entry);
    this.listEmitter.fire();
    const finished = run.start().then(async () => {
      await queued?.close().catch(() => undefined);
      entry.live = null;
      entry.counts = countTasks(run.tasks);
      // The run's final state reaches every view at once, not on the next tick.
      this.dirtyRuns.add(entry);
      this.flush();
      this.retain();
      this.finishEmitter.fire(entry);
      try {
        await recorder?.written();
      } catch (error) {
        this.options.log(`could not write run ${short(entry.run.id)} to the history: ${messageOf(error)}`);
      }
      return entry;
    });
    this.startEmitter.fire(entry);
    return { kind: 'started', entry, done: finished };
  }

  cancel(entry: RunEntry): boolean {
    if (!entry.live) return false;
    entry.live.cancel();
    return true;
  }

  async delete(entry: RunEntry): Promise<void> {
    if (entry.live) throw new Error('a running run cannot be deleted; cancel it first');
    await this.history?.deleteRun(entry.run.id);
    this.remove([entry]);
  }

  async clear(): Promise<number> {
    await this.load();
    const finished = this.order.filter((e) => e.live === null);
    await this.history?.clear();
    this.remove(finished);
    return finished.length;
  }

  /**
   * Re-opens the history so that a changed retention applies (the history prunes when it opens).
   * `meanwhile` runs while the file is closed (the tests use it to put a big history in place).
   */
  async reopen(meanwhile?: (historyPath: string) => Promise<void>): Promise<void> {
    if ((!this.loaded && !meanwhile) || this.active().length > 0) return;
    await this.loading;
    const old = this.history;
    this.history = null;
    this.loading = null;
    this.loaded = false;
    await old?.close().catch(() => undefined);
    for (const e of this.order) this.byId.delete(e.run.id);
    this.order = [];
    await meanwhile?.(this.options.historyPath);
    await this.load();
  }

  /** The runtime and the pre-flight's analysis: their own bundle, evaluated when a run starts (or a tree is exported). */
  runtime(): RuntimeHost {
    this.host ??= loadBundle<typeof import('./runtime-host')>('runtime-host').runtimeHost;
    return this.host;
  }

  async dispose(): Promise<void> {
    const live = this.active();
    for (const e of live) e.live?.cancel();
    if (this.timer) clearTimeout(this.timer);
    // VS Code gives deactivate() a few seconds: the runs get two to settle, then the history is written.
    await Promise.race([Promise.all(live.map((e) => waitFinished(this, e))), delay(2000)]);
    await this.history?.close().catch(() => undefined);
    this.history = null;
  }

  private async open(): Promise<void> {
    this.historyHost ??= loadBundle<typeof import('./history-host')>('history-host').historyHost;
    const path = this.options.historyPath;
    try {
      this.history = await this.historyHost.openHistory({ path, mode: 'write', maxRuns: this.options.maxRuns() });
      for (const warning of this.history.warnings) {
        this.options.log(warning);
        void vscode.window.showWarningMessage(`apflow: ${warning}`);
      }
      const summaries = await this.history.listRuns({ limit: this.options.maxRuns() });
      for (const s of summaries) {
        if (this.byId.has(s.id)) continue;
        const { counts: c, ...run } = s;
        const counts = emptyCounts();
        counts.completed = c.completed;
        counts.failed = c.failed;
        counts.cancelled = c.cancelled;
        counts.in_progress = c.in_progress;
        counts.blocked = c.blocked;
        counts.pending = c.pending - c.blocked;
        counts.total = c.completed + c.failed + c.cancelled + c.in_progress + c.pending;
        const entry: RunEntry = { run, counts, tasks: null, live: null };
        this.order.push(entry);
        this.byId.set(run.id, entry);
      }
    } catch (error) {
      this.history = null;
      const message = `apflow: the run history is not available, runs are kept for this session only: ${messageOf(error)}`;
      this.options.log(message);
      void vscode.window.showWarningMessage(message);
    }
  }

  private attach(entry: RunEntry, run: TaskRun): void {
    const log = this.options.log;
    const runTag = short(run.record.id);
    const touch = (index: number) => this.touch(entry, index);
    run.on('run-started', (e) => {
      log(`[${runTag}] ▶ ${e.run.trigger} of ${baseName(e.run.file)} started: ${e.tasks.length} task(s)${e.run.parent_run_id ? `, retrying run ${short(e.run.parent_run_id)}` : ''}`);
    });
    run.on('task-status', (e) => touch(e.index));
    run.on('task-blocked', (e) => touch(e.index));
    run.on('task-progress', (e) => touch(e.index));
    run.on('task-attempt', (e) => {
      touch(e.index);
      log(`[${e.task.id}] attempt ${e.attempt} failed: ${e.error}; retrying in ${formatDuration(e.retryInMs)}`);
    });
    run.on('task-log', (e) => {
      const text = e.text.endsWith('\n') ? e.text.slice(0, -1) : e.text;
      for (const line of text.split('\n')) log(`[${e.task.id}] ${line}`);
    });
    run.on('run-finished', (e) => {
      const counts = countTasks(e.tasks);
      log(`[${runTag}] ■ ${baseName(e.run.file)} ${e.run.status} in ${formatDuration(runDuration(e.run))}: ${countsText(counts)}${e.run.error ? ` — ${e.run.error}` : ''}`);
      for (const t of e.tasks) {
        if (t.status === 'failed') log(`[${t.id}] failed: ${t.error ?? ''}`);
        else if (t.status === 'pending' && t.blocked_by) log(`[${t.id}] blocked by ${t.blocked_by}`);
      }
    });
  }

  private touch(entry: RunEntry, index: number): void {
    let set = this.dirtyTasks.get(entry);
    if (!set) this.dirtyTasks.set(entry, (set = new Set()));
    set.add(index);
    this.dirtyRuns.add(entry);
    this.timer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const runs = [...this.dirtyRuns];
    for (const entry of runs) if (entry.tasks) entry.counts = countTasks(entry.tasks);
    const changes = [...this.dirtyTasks].map(([entry, set]) => ({ entry, indices: [...set] }));
    this.dirtyRuns.clear();
    this.dirtyTasks.clear();
    if (changes.length > 0) this.tasksEmitter.fire(changes);
    if (runs.length > 0) this.runsEmitter.fire(runs);
  }

  /** The history keeps the newest maxRuns runs; so does the view. */
  private retain(): void {
    const max = this.options.maxRuns();
    if (this.order.length <= max) return;
    const keep = new Set(this.order.slice(0, max));
    this.remove(this.order.filter((e) => !keep.has(e) && e.live === null));
  }

  private remove(entries: RunEntry[]): void {
    if (entries.length === 0) return;
    const gone = new Set(entries);
    this.order = this.order.filter((e) => !gone.has(e));
    for (const e of entries) this.byId.delete(e.run.id);
    this.listEmitter.fire();
  }
}

export function short(id: string): string {
  return id.slice(0, 8);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function waitFinished(service: RunService, entry: RunEntry): Promise<void> {
  if (!entry.live) return Promise.resolve();
  return new Promise((resolve) => {
    const sub = service.onDidFinishRun((e) => {
      if (e === entry) {
        sub.dispose();
        resolve();
      }
    });
  });
}
