// The analysis model of a file → the runtime's RunPlan (spec 3.1 step 3): generated ids for tasks
// without one, apflow's defaults, resolved references, and the definition hash retry compares.
import { createHash, randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import type { TaskDef, TreeModel } from '../analysis';
import { executorHashes, executorHashOf } from './queue/executor-hash';
import { isMapping, type BackoffStrategy, type ExecutorFn, type JsonObject, type PlanTask, type RunPlan } from './types';

export interface PlanInput {
  model: TreeModel;
  text: string;
  file: string;
  /** The executor function of each task's executor id. */
  executors: ReadonlyMap<string, ExecutorFn>;
  /** A task's stand-in for its executor (tree tests' mocks), when it has one. */
  substitute?: (def: TaskDef) => ExecutorFn | undefined;
  /** Validators of the merged inputs, by executor id (and the task's own `schemas.input_schema`). */
  validatorFor: (def: TaskDef) => ((inputs: JsonObject) => string | null) | null;
  /** An id for a task the file gives none (retry reuses the earlier run's); else a new UUID v4. */
  generatedId?: (def: TaskDef) => string | undefined;
}

export function buildPlan(input: PlanInput): RunPlan {
  const { model } = input;
  const ids = model.tasks.map((def) => def.id ?? input.generatedId?.(def) ?? randomUUID());
  const hasChildren = new Uint8Array(model.tasks.length);
  for (const def of model.tasks) if (def.parent !== null) hasChildren[def.parent] = 1;
  const root = model.tasks.find((def) => def.parent === null);
  const rootId = root ? ids[root.index] : ids[0];
  const declared = executorHashes(model.executors, dirname(input.file));
  const tasks = model.tasks.map((def): PlanTask => {
    const v = def.value;
    const executor = def.executor as string;
    const execute = input.substitute?.(def) ?? input.executors.get(executor);
    if (!execute) throw new Error(`no executor function for '${executor}' (task '${def.key}')`);
    return {
      position: def.index,
      id: ids[def.index],
      name: def.name ?? def.key,
      parentId: def.parent === null ? null : ids[def.parent],
      userId: typeof v.user_id === 'string' ? v.user_id : null,
      priority: def.priority,
      inputs: isMapping(v.inputs) ? v.inputs : {},
      schemas: isMapping(v.schemas) ? v.schemas : null,
      params: isMapping(v.params) ? v.params : null,
      dependencies: def.dependencies.map((d) => ({ index: d.target as number, required: d.required })),
      executor,
      execute,
      validateInputs: input.validatorFor(def),
      timeoutSeconds: typeof v.timeout === 'number' ? v.timeout : null,
      maxAttempts: typeof v.max_attempts === 'number' ? v.max_attempts : 1,
      backoffStrategy: (typeof v.backoff_strategy === 'string' ? v.backoff_strategy : 'exponential') as BackoffStrategy,
      backoffBaseSeconds: typeof v.backoff_base_seconds === 'number' ? v.backoff_base_seconds : 1,
      defHash: definitionHash(v),
      executorHash: executorHashOf(declared, executor),
      rootId,
      hasChildren: hasChildren[def.index] === 1,
      carried: null,
    };
  });
  return {
    file: input.file,
    treeHash: createHash('sha256').update(input.text).digest('hex'),
    description: model.description,
    trigger: 'run',
    parentRunId: null,
    targetTask: null,
    tasks,
  };
}

/** Every authored field of the task, key order ignored: what decides whether a task is "unchanged". */
export function definitionHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 32);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isMapping(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
