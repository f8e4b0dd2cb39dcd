// Hooks (issue 12; the guide's *Hooks Best Practices*), called as apflow's TaskManager calls them:
// pre-hooks `hook(task)` in order after the dependency merge and before the executor — they may change
// `task.inputs`, and the executor receives (and the history records) the changed inputs; post-hooks
// `hook(task, inputs, result)` for completed tasks, before their dependents start; tree hooks
// `hook(root)`, `hook(root, "completed")`, `hook(root, error)`. Other fields change through the hook
// repository (repository.ts), and a change by one hook is seen by the next. An exception in a hook is logged and
// recorded on the task (`hooks`), and never fails the task or the run. Each hook's time is recorded;
// one slower than SLOW_HOOK_MS gets a `slow-hook` warning in the log ("Keep Hooks Fast").
import { taskView, type HookList, type HookRun, type JsonObject, type TaskRecord, type TaskView } from '../types';
import type { HookRepository, HookRepositoryApi } from './repository';

export const SLOW_HOOK_MS = 100;

/** A hook ready to call: `view` is the task as the hook sees it; returns the inputs it left there. */
export interface LoadedHook {
  list: HookList;
  label: string;
  call(view: TaskView, args: unknown[], context: HookContext): Promise<unknown>;
  /** Waits for what the hook runs in (the Python host's start), so that its time is the hook's own. */
  prepare?(): Promise<void>;
}

/** What a hook gets besides its arguments: the log of the task it runs for, and the run's repository. */
export interface HookContext {
  log(text: string): void;
  repository: HookRepositoryApi;
}

/** What the run gives its hooks: the task's log and the repository over the run's records. */
export interface HookSink {
  log(text: string): void;
  repository: HookRepository;
}

export class RunHooks {
  constructor(private readonly hooks: readonly LoadedHook[]) {}

  has(list: HookList): boolean {
    return this.hooks.some((h) => h.list === list);
  }

  /** Pre-hooks, in order; each sees the inputs the one before left. Changes `record.inputs`. */
  pre(record: TaskRecord, sink: HookSink): Promise<void> {
    return this.each('pre', record, [], sink);
  }

  post(record: TaskRecord, sink: HookSink): Promise<void> {
    return this.each('post', record, [record.inputs, record.result], sink);
  }

  tree(list: 'on_tree_started' | 'on_tree_completed' | 'on_tree_failed', root: TaskRecord, args: unknown[], sink: HookSink): Promise<void> {
    return this.each(list, root, args, sink);
  }

  private async each(list: HookList, record: TaskRecord, args: unknown[], sink: HookSink): Promise<void> {
    const { log } = sink;
    for (const hook of this.hooks) {
      if (hook.list !== list) continue;
      // The hook gets its own copy, made after the hooks before it: what it changes reaches the record
      // through `inputs` and the repository only.
      const view = structuredClone(taskView(record));
      await hook.prepare?.();
      const started = performance.now();
      const run: HookRun = { list, hook: hook.label, ms: 0 };
      try {
        const inputs = await hook.call(view, structuredClone(args), { log, repository: sink.repository.forHook(view) });
        if (list === 'pre' && isInputs(inputs)) record.inputs = inputs;
      } catch (error) {
        run.error = error instanceof Error ? error.message : String(error);
        if (error instanceof Error && error.stack) log(error.stack);
        log(`${list} hook ${hook.label} failed (the task goes on): ${run.error}`);
      }
      run.ms = Math.round((performance.now() - started) * 10) / 10;
      if (run.ms > SLOW_HOOK_MS) log(`warning slow-hook: ${list} hook ${hook.label} took ${Math.round(run.ms)} ms; keep hooks under ${SLOW_HOOK_MS} ms`);
      (record.hooks ??= []).push(run);
    }
  }
}

function isInputs(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
