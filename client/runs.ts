// The runs the editor knows: the history (loaded on first need) plus the runs of this session, live.
// Every view — lenses, the Runs tree, progress, status bar, run diagnostics — reads this model and is
// told about changes through its events, which are coalesced (a 1,000-task run produces thousands of
// runtime events; the views hear about them a few times per second, item by item).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Diagnostic } from '../analysis';
import type { History, LiveRun, RunRecord, TaskRecord } from '../runtime';
import { baseName, countsText, countTasks, emptyCounts, formatDuration, plural, runDuration, type Counts } from './format';
import type { HistoryHost } from './history-host';
import type { PythonProbeHost } from './python-probe-host';
import type { RunThreadHost } from './run-thread-host';
import type { QueueTarget, RunRequest, RuntimeHost, ServerEndpoint } from './runtime-host';

/**
 * Requires a bundle built beside dist/client.js (esbuild.mjs: client/runtime-host.ts, client/history-host.ts)
 * by a path the bundler cannot follow, so that none of it enters client.js.
 */
export function loadBundle<T>(name: 'runtime-host' | 'run-thread-host' | 'history-host' | 'python-probe'): T {
  return require(join(__dirname, `${name}.js`)) as T;
}

export interface RunEntry {
  /** For a live run, the runtime's own record (updated in place); else the record from the history. */
  readonly run: RunRecord;
  counts: Counts;
  /** In file order; null until loaded from the history. Live runs have them from the start. */
  tasks: TaskRecord[] | null;
  live: LiveRun | null;
  /** Started in this session: its item in the Runs view opens expanded. */
  fresh?: boolean;
}

/**
 * A run asked for and not started yet: the runtime bundle loads, the tree is parsed and checked (a
 * 5,000-task tree takes seconds). Every surface shows it at once, so that a click is never silent.
 */
export interface Preparation {
  readonly file: string;
  /** Run this task (and its dependencies) only. */
  readonly task?: string;
  readonly retry: boolean;
  readonly askedAt: number;
  cancelled: boolean;
  /** Set when the preparation ends: the run it started, or null (refused, failed or cancelled). */
  outcome?: RunEntry | null;
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
  /**
   * Which Python runs Python executors and hooks (client/python.ts); a promise, since asking the Python
   * extension may take a while and the run is "preparing" meanwhile.
   */
  python?: RunRequest['python'] | Promise<RunRequest['python']>;
  /** Run on this apflow server instead of here (issue 15); the token comes from the secret storage. */
  server?: ServerEndpoint;
  /** `apflow.run.redis`: run the tasks on queue workers (issue 15). */
  queue?: QueueTarget;
}

type RetryOf = RunRequest['retryOf'];

export type StartResult =
  | { kind: 'started'; entry: RunEntry; done: Promise<RunEntry> }
  | { kind: 'refused'; diagnostics: Diagnostic[] }
  | { kind: 'error'; message: string; auth?: boolean }
  /** Cancelled while it was being prepared. */
  | { kind: 'cancelled' };

export type LogLevel = 'info' | 'warn' | 'error';

export interface RunServiceOptions {
  /** The history database file. */
  historyPath: string;
  maxRuns: () => number;
  /** A line for the `apflow` output channel, at its level (a failed task is an error, a retried attempt a warning). */
  log: (line: string, level?: LogLevel) => void;
  /** How often coalesced changes reach the views. */
  flushMs?: number;
}

export class RunService implements vscode.Disposable {
  private host: RuntimeHost | null = null;
  private threadHost: RunThreadHost | null = null;
  private historyHost: HistoryHost | null = null;
  private probeHost: PythonProbeHost | null = null;
  private history: History | null = null;
  private loading: Promise<void> | null = null;
  private loaded = false;
  private order: RunEntry[] = [];
  private readonly preparations = new Set<Preparation>();
  /** Run numbers per file (1 = its oldest kept run); rebuilt when the list changes. */
  private numbers: WeakMap<RunEntry, number> | null = null;
  private readonly byId = new Map<string, RunEntry>();
  /** What a run holds until it ends (its queue on Redis, issue 15). */
  private readonly releases = new WeakMap<LiveRun, () => Promise<void>>();
  private readonly dirtyTasks = new Map<RunEntry, Set<number>>();
  private readonly dirtyRuns = new Set<RunEntry>();
  private timer: NodeJS.Timeout | null = null;
  private readonly flushMs: number;

  private readonly listEmitter = new vscode.EventEmitter<void>();
  private readonly runsEmitter = new vscode.EventEmitter<RunEntry[]>();
  private readonly tasksEmitter = new vscode.EventEmitter<TaskChange[]>();
  private readonly startEmitter = new vscode.EventEmitter<RunEntry>();
  private readonly finishEmitter = new vscode.EventEmitter<RunEntry>();
  private readonly prepareEmitter = new vscode.EventEmitter<Preparation>();
  /** Runs were added, removed or (first) loaded. */
  readonly onDidChangeList = this.listEmitter.event;
  /** Runs changed status or counts (coalesced). */
  readonly onDidChangeRuns = this.runsEmitter.event;
  /** Tasks of runs changed (coalesced), by index in their run. */
  readonly onDidChangeTasks = this.tasksEmitter.event;
  readonly onDidStartRun = this.startEmitter.event;
  readonly onDidFinishRun = this.finishEmitter.event;
  /** A preparation began, or ended (its `outcome` is then set; a started run's onDidStartRun comes first). */
  readonly onDidChangePreparation = this.prepareEmitter.event;

  constructor(private readonly options: RunServiceOptions) {
    this.flushMs = options.flushMs ?? 100;
    this.listEmitter.event(() => (this.numbers = null));
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  /** Whether the runtime has been loaded in this session (tests check that activation does not). */
  get runtimeLoaded(): boolean {
    return this.host !== null || this.threadHost !== null;
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

  /** The newest run of the whole tree (or a retry of one): a single-task run is not the tree's "last run". */
  newestTreeRunFor(file: string): RunEntry | undefined {
    return this.order.find((e) => e.run.file === file && e.run.trigger !== 'run-task');
  }

  preparing(): readonly Preparation[] {
    return [...this.preparations];
  }

  preparingFor(file: string): Preparation | undefined {
    for (const p of this.preparations) if (p.file === file) return p;
    return undefined;
  }

  /** `#12`: the run's place among the kept runs of its file, oldest first. */
  numberOf(entry: RunEntry): number {
    if (!this.numbers) {
      this.numbers = new WeakMap();
      const perFile = new Map<string, number>();
      for (let i = this.order.length - 1; i >= 0; i--) {
        const e = this.order[i];
        const n = (perFile.get(e.run.file) ?? 0) + 1;
        perFile.set(e.run.file, n);
        this.numbers.set(e, n);
      }
    }
    return this.numbers.get(entry) ?? 0;
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

  /** What apflow in the workspace's Python offers (issue 12); loads the probe's own small bundle, not the runtime's. */
  probePython(choice: NonNullable<RunRequest['python']>, treeDir: string): ReturnType<PythonProbeHost['probePython']> {
    this.probeHost ??= loadBundle<typeof import('./python-probe-host')>('python-probe').pythonProbeHost;
    return this.probeHost.probePython(choice, treeDir);
  }

  /** Spec 3.1 then a run; refusals come back as diagnostics, never as exceptions. */
  async start(request: StartRequest): Promise<StartResult> {
    const running = this.activeFor(request.file) ?? this.preparingFor(request.file);
    if (running) return { kind: 'error', message: alreadyRunning(request.file, running) };
    const preparation: Preparation = { file: request.file, task: request.task, retry: request.retryOf !== undefined, askedAt: Date.now(), cancelled: false };
    this.preparations.add(preparation);
    this.prepareEmitter.fire(preparation);
    try {
      // The views hear of the preparation before the runtime loads and the tree is parsed, which block
      // this thread for seconds on a big tree: the extension host sends its updates to the window on
      // timers of its own, which must run first.
      await delay(PREPARING_SHOWN_MS);
      return await this.prepareAndStart(request, preparation);
    } finally {
      this.endPreparation(preparation, null);
    }
  }

  /** Ends a preparation (once): with the run it started, or null. */
  private endPreparation(preparation: Preparation, outcome: RunEntry | null): void {
    if (!this.preparations.delete(preparation)) return;
    preparation.outcome = outcome;
    this.prepareEmitter.fire(preparation);
  }

  private async prepareAndStart(request: StartRequest, preparation: Preparation): Promise<StartResult> {
    await this.load();
    let retryOf: RetryOf;
    if (request.retryOf) retryOf = { run: request.retryOf.run, tasks: await this.tasksOf(request.retryOf) };
    const run = await (request.server ? this.serverRun(this.runtime(), request, request.server, retryOf) : this.localRun(request, retryOf));
    if ('kind' in run) return run;
    // Nothing has started yet (start() below submits or schedules), so there is nothing to stop.
    if (preparation.cancelled) {
      await this.release(run);
      return { kind: 'cancelled' };
    }

    const recorder = this.history ? this.threads().record(this.history, run) : null;
    const entry: RunEntry = { run: run.record, counts: countTasks(run.tasks), tasks: run.tasks, live: run, fresh: true };
    this.attach(entry, run);
    // Gone from the preparations before the run joins the list, so that no view shows both.
    this.preparations.delete(preparation);
    this.order.unshift(entry);
    this.byId.set(entry.run.id, entry);
    this.listEmitter.fire();
    const finished = run.start().then(async () => {
      await this.release(run);
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
        this.options.log(`could not write run ${short(entry.run.id)} to the history: ${messageOf(error)}`, 'error');
      }
      return entry;
    });
    this.startEmitter.fire(entry);
    preparation.outcome = entry;
    this.prepareEmitter.fire(preparation);
    return { kind: 'started', entry, done: finished };
  }

  /** Lets go of what `run` held (once); a failure to do so is only logged: the run's outcome stands. */
  private async release(run: LiveRun): Promise<void> {
    const release = this.releases.get(run);
    this.releases.delete(run);
    await release?.().catch((error: unknown) => this.options.log(`could not let go of the run's worker thread or queue: ${messageOf(error)}`));
  }

  /** Prepared and run in a worker thread (run-thread-host.ts): a big tree's pre-flight and run never block this thread. */
  private async localRun(request: StartRequest, retryOf: RetryOf): Promise<LiveRun | Exclude<StartResult, { kind: 'started' }>> {
    const run = { text: request.text, file: request.file, env: process.env, allowPrivateUrls: request.allowPrivateUrls, task: request.task, retryOf, target: request.target, python: await request.python };
    const launch = await this.threads().launch({ run, concurrency: request.concurrency, queue: request.queue }, (line) => this.options.log(line));
    if (launch.kind !== 'ready') return launch;
    this.releases.set(launch.run, () => launch.run.discard());
    return launch.run;
  }

  private async serverRun(host: RuntimeHost, request: StartRequest, endpoint: ServerEndpoint, retryOf: RetryOf): Promise<LiveRun | Exclude<StartResult, { kind: 'started' }>> {
    let launch;
    try {
      launch = await host.launchOnServer({ text: request.text, file: request.file, task: request.task, retryOf, target: request.target }, endpoint);
    } catch (error) {
      if (host.isUnknownTask(error)) return { kind: 'error', message: (error as Error).message };
      throw error;
    }
    return launch.kind === 'ready' ? launch.run : launch;
  }

  cancel(entry: RunEntry | Preparation): boolean {
    if (!('run' in entry)) {
      if (entry.outcome !== undefined || entry.cancelled) return false;
      entry.cancelled = true;
      return true;
    }
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

  /** Local runs: a small bundle that prepares and runs them in a worker thread, loaded when the first one starts. */
  private threads(): RunThreadHost {
    this.threadHost ??= loadBundle<typeof import('./run-thread-host')>('run-thread-host').runThreadHost;
    return this.threadHost;
  }

  /** The runtime and the pre-flight's analysis: their own bundle, evaluated when a tree runs on a server, is exported or tested. */
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
        this.options.log(warning, 'warn');
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
      this.options.log(message, 'warn');
      void vscode.window.showWarningMessage(message);
    }
  }

  private attach(entry: RunEntry, run: LiveRun): void {
    const log = this.options.log;
    const runTag = short(run.record.id);
    const touch = (index: number) => this.touch(entry, index);
    run.on('run-started', (e) => {
      log(`[${runTag}] ▶ ${e.run.trigger} of ${baseName(e.run.file)} started: ${plural(e.tasks.length, 'task')}${e.run.parent_run_id ? `, retrying run ${short(e.run.parent_run_id)}` : ''}`);
    });
    run.on('task-status', (e) => touch(e.index));
    run.on('task-blocked', (e) => touch(e.index));
    run.on('task-progress', (e) => touch(e.index));
    run.on('task-attempt', (e) => {
      touch(e.index);
      log(`[${e.task.id}] attempt ${e.attempt} failed: ${e.error}; retrying in ${formatDuration(e.retryInMs)}`, 'warn');
    });
    run.on('task-log', (e) => {
      const text = e.text.endsWith('\n') ? e.text.slice(0, -1) : e.text;
      for (const line of text.split('\n')) log(`[${e.task.id}] ${line}`);
    });
    run.on('run-finished', (e) => {
      const counts = countTasks(e.tasks);
      const level = e.run.status === 'completed' ? 'info' : e.run.status === 'failed' ? 'error' : 'warn';
      log(`[${runTag}] ■ ${baseName(e.run.file)} ${e.run.status} in ${formatDuration(runDuration(e.run))}: ${countsText(counts)}${e.run.error ? ` — ${e.run.error}` : ''}`, level);
      for (const t of e.tasks) {
        if (t.status === 'failed') log(`[${t.id}] failed: ${t.error ?? ''}`, 'error');
        else if (t.status === 'pending' && t.blocked_by) log(`[${t.id}] blocked by ${t.blocked_by}`, 'warn');
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

function alreadyRunning(file: string, running: RunEntry | Preparation): string {
  const which = 'run' in running ? `run ${short(running.run.id)}` : 'it is being prepared';
  return `${baseName(file)} is already running (${which}); cancel it first.`;
}

export function short(id: string): string {
  return id.slice(0, 8);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Long enough for the extension host's own 0 ms timers (status bar, IPC writes) to run. */
const PREPARING_SHOWN_MS = 30;

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
