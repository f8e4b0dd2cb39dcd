// Builds run plans from compact task lists, so that scheduler tests read like the trees they describe.
import type { BackoffStrategy, ExecutorFn, JsonObject, PlanTask, RunPlan, TaskRecord, TaskStatus } from '../../../runtime/types';

export interface FixtureTask {
  id: string;
  deps?: (string | { id: string; required: boolean })[];
  priority?: number;
  run?: ExecutorFn;
  executor?: string;
  inputs?: JsonObject;
  timeout?: number;
  maxAttempts?: number;
  backoff?: [BackoffStrategy, number];
  defHash?: string;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The default executor: completes after a tick with `{ out_<id>: <id> }`. */
export const okExecutor: ExecutorFn = async (_inputs, context) => ({ [`out_${context.task.id}`]: context.task.id });

export function planOf(tasks: FixtureTask[], overrides: Partial<RunPlan> = {}): RunPlan {
  const index = new Map(tasks.map((t, i) => [t.id, i]));
  const at = (id: string) => {
    const i = index.get(id);
    if (i === undefined) throw new Error(`fixture: unknown task ${id}`);
    return i;
  };
  const planTasks: PlanTask[] = tasks.map((t, position) => ({
    position,
    id: t.id,
    name: t.id.toUpperCase(),
    parentId: position === 0 ? null : tasks[0].id,
    userId: null,
    priority: t.priority ?? 2,
    inputs: t.inputs ?? {},
    schemas: { method: t.executor ?? 'fixture' },
    params: null,
    dependencies: (t.deps ?? []).map((d) => (typeof d === 'string' ? { index: at(d), required: true } : { index: at(d.id), required: d.required })),
    executor: t.executor ?? 'fixture',
    execute: t.run ?? okExecutor,
    validateInputs: null,
    timeoutSeconds: t.timeout ?? null,
    maxAttempts: t.maxAttempts ?? 1,
    backoffStrategy: t.backoff?.[0] ?? 'exponential',
    backoffBaseSeconds: t.backoff?.[1] ?? 1,
    defHash: t.defHash ?? `hash-${t.id}`,
    executorHash: `builtin:${t.executor ?? 'fixture'}`,
    rootId: tasks[0].id,
    hasChildren: position === 0 && tasks.length > 1,
    carried: null,
  }));
  return { file: '/tmp/fixture.apflow.yaml', treeHash: 'tree', description: null, trigger: 'run', parentRunId: null, targetTask: null, tasks: planTasks, ...overrides };
}

export function byId(tasks: readonly TaskRecord[]): Record<string, TaskRecord> {
  return Object.fromEntries(tasks.map((t) => [t.id, t]));
}

export function statuses(tasks: readonly TaskRecord[]): Record<string, TaskStatus> {
  return Object.fromEntries(tasks.map((t) => [t.id, t.status]));
}
