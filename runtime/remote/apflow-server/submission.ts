// Before a run on an apflow server: the same analysis as every run, then what the server cannot run as
// written is refused (nothing is submitted), and the task array for `tasks.create` is built — apflow's
// export with fresh UUID ids (apflow refuses ids it already holds, and does not check UUIDs against its
// database), parents and dependencies rewritten to them. A retry submits only the tasks that run again:
// each carried dependency's result is merged into its dependents' inputs here, as apflow would merge it.
import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import { analyzeFile, lineStarts, positionIn, type Diagnostic, type TaskDef, type TreeModel } from '../../../analysis';
import { hostTarget } from '../../../analysis/node-env';
import { discoveredEnv } from '../../../analysis/python/node';
import type { EarlierTask } from '../../carry-over';
import { apflowExport } from '../../export';
import { mergeInputs } from '../../merge';
import { planRun } from '../../preflight';
import type { ExecutorFn, JsonObject, PlanTask, RunPlan, RunRecord } from '../../types';

export interface ServerRunRequest {
  text: string;
  /** Absolute path of the tree file. */
  file: string;
  target?: string | null;
  /** Run this task (id or name) and its dependencies only: the server executes it, which runs its dependencies too. */
  task?: string;
  retryOf?: { run: RunRecord; tasks: readonly (EarlierTask & { name: string })[] };
}

export interface Submission {
  /** The array `tasks.create` receives. */
  tasks: JsonObject[];
  /** The server's id of each plan task, by plan index; null for a task carried over from the retried run. */
  serverIds: (string | null)[];
  /** The task `tasks.execute` starts: the root, or the task a run-task run is for. */
  executeId: string;
}

export type ServerPreflight = { ok: true; plan: RunPlan; submission: Submission; warnings: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

/** Never called: a server run's tasks execute on the server. */
const ON_SERVER: ExecutorFn = () => {
  throw new Error('this task runs on the apflow server');
};

/**
 * The workspace's `@executor_register()` classes count as known executors (found statically, never
 * imported): the user's server registers the same code.
 */
export async function prepareServerRun(request: ServerRunRequest): Promise<ServerPreflight> {
  const target = hostTarget(request.target);
  const { env, prepare } = await discoveredEnv([request.file], dirname(request.file));
  await prepare(request.text);
  const { diagnostics, model } = analyzeFile(request.text, request.file, target ? { ...env, target } : env);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) return { ok: false, diagnostics: errors };
  const lines = lineStarts(request.text);
  const refusals = unsupported(model, lines);
  if (refusals.length > 0) return { ok: false, diagnostics: refusals };

  const executors = new Map<string, ExecutorFn>(model.tasks.map((def) => [def.executor as string, ON_SERVER]));
  // Throws UnknownTaskError, as a local run's pre-flight does, when the task asked for is not in the file.
  const plan = planRun({ model, text: request.text, file: request.file, executors, validatorFor: () => null, task: request.task, retryOf: request.retryOf });
  const submission = submit(model, plan, request.retryOf !== undefined);
  if (typeof submission === 'string') return { ok: false, diagnostics: [refusal(submission, null, null, lines)] };
  return { ok: true, plan, submission, warnings: diagnostics.filter((d) => d.severity === 'warning') };
}

/** What an apflow 0.18 server cannot run as the file says, one refusal per task and reason. */
function unsupported(model: TreeModel, lines: number[]): Diagnostic[] {
  const found: Diagnostic[] = [];
  if (model.target !== '0.18') {
    found.push(refusal(`the file is for apflow ${model.target}, whose server cannot execute a task: runs on a server use apflow 0.18's API (set \`apflow_version: "0.18"\` or --target 0.18 if the server is 0.18)`, null, null, lines));
  }
  if (model.hooks.length > 0) {
    found.push(refusal('the file declares `hooks:`, which an apflow server never calls (it runs only the hooks registered in its own process): remove them to run on the server, or run the tree here', null, null, lines));
  }
  for (const def of model.tasks) {
    const declared = model.executors.find((d) => d.id === def.executor);
    if (declared && declared.module !== null) {
      found.push(refusal(`task '${def.key}' uses the workspace JavaScript executor '${def.executor}', which an apflow server cannot run (it runs Python executors only): register a Python executor with that id on the server, or run the tree here`, def, def.executorSpan, lines));
    }
    if (def.value.timeout !== undefined) {
      found.push(refusal(`task '${def.key}' sets \`timeout\`, which apflow ignores (it has no such field): remove it to run on the server, or run the tree here where it is enforced`, def, null, lines));
    }
  }
  return found;
}

function refusal(message: string, def: TaskDef | null, span: TaskDef['span'] | null, lines: number[]): Diagnostic {
  const at = span ?? def?.nameKeySpan ?? def?.span ?? null;
  const range = at ? { start: positionIn(lines, at.start), end: positionIn(lines, at.end) } : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return { code: 'server-unsupported', severity: 'error', message, range, task: def?.key ?? null };
}

/**
 * The array to create: every task of the file (a run-task run executes its task, which apflow runs with
 * its dependencies), or on a retry the tasks that run again. Returns a refusal when a retry's tasks would
 * not form one tree (apflow's server takes exactly one root).
 */
function submit(model: TreeModel, plan: RunPlan, retry: boolean): Submission | string {
  const exported = apflowExport(model).tasks;
  const planIndex = new Map(plan.tasks.map((t, i) => [t.position, i]));
  const submitted = retry ? plan.tasks.filter((t) => t.carried === null).map((t) => t.position) : model.tasks.map((def) => def.index);
  const serverId = new Map(submitted.map((position) => [position, randomUUID()]));
  const nearestSubmitted = (def: TaskDef): number | null => {
    for (let p = def.parent; p !== null; p = model.tasks[p].parent) if (serverId.has(p)) return p;
    return null;
  };
  const roots = submitted.filter((position) => nearestSubmitted(model.tasks[position]) === null);
  if (roots.length !== 1) {
    const names = roots.map((p) => `'${model.tasks[p].key}'`).join(', ');
    return `the retry would submit ${roots.length} separate trees (${names}), since the tasks above them completed and are carried over; an apflow server takes one tree with one root: run the tree again with --server instead`;
  }
  const tasks = submitted.map((position) => {
    const def = model.tasks[position];
    const task: JsonObject = { ...exported[position], id: serverId.get(position) as string, name: def.name ?? def.key };
    const parent = nearestSubmitted(def);
    if (parent === null) delete task.parent_id;
    else task.parent_id = serverId.get(parent);
    task.dependencies = def.dependencies.filter((d) => serverId.has(d.target as number)).map((d) => ({ id: serverId.get(d.target as number), required: d.required }));
    const i = planIndex.get(position);
    const carriedSources = i === undefined ? [] : carriedDependencies(plan, plan.tasks[i]);
    if (carriedSources.length > 0) task.inputs = mergeInputs(plan.tasks[i as number].inputs, carriedSources, def.executor as string).inputs;
    return task;
  });
  const targetIndex = plan.targetTask === null ? -1 : plan.tasks.findIndex((t) => t.id === plan.targetTask);
  const targetPosition = targetIndex >= 0 && plan.tasks[targetIndex].carried === null ? plan.tasks[targetIndex].position : roots[0];
  return {
    tasks,
    serverIds: plan.tasks.map((t) => serverId.get(t.position) ?? null),
    executeId: serverId.get(targetPosition) as string,
  };
}

function carriedDependencies(plan: RunPlan, task: PlanTask): { id: string; result: unknown }[] {
  return task.dependencies.flatMap((d) => {
    const dep = plan.tasks[d.index];
    return dep.carried ? [{ id: dep.id, result: dep.carried.result }] : [];
  });
}
