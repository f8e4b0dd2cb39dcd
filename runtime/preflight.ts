// Before a run (spec 3.1): the same analysis as the language server, then every executor must be
// runnable here. A refusal lists diagnostics shaped like validate's, so every host can show them.
import { dirname } from 'node:path';
import { catalogueEntry, compileUserSchema, lineStarts, positionIn, type Diagnostic, type PythonExecutorFacts, type TaskDef, type TreeModel } from '../analysis';
import { hostTarget, nodeEnvFor } from '../analysis/node-env';
import { carryOver, type EarlierTask } from './carry-over';
import { builtinExecutors } from './executors/builtins';
import type { ExecutorHost } from './executors/host';
import { loadWorkspaceExecutor } from './executors/workspace';
import { RunHooks } from './hooks/hooks';
import { loadHooks } from './hooks/load';
import { analyzeForRun } from './python/discovery';
import { PythonExecutors, type PythonRequest } from './python/executors';
import { buildPlan } from './plan';
import { selectTask } from './select';
import type { ExecutorFn, JsonObject, RunPlan, RunRecord } from './types';

export interface RunRequest {
  /** The tree's text as the run should see it (the file on disk, or the editor's buffer). */
  text: string;
  /** Absolute path of the tree file: relative modules, commands and the disk report start from its folder. */
  file: string;
  env: NodeJS.ProcessEnv;
  allowPrivateUrls: boolean;
  /** Run this task (id or name) and its dependencies only. */
  task?: string;
  /**
   * The apflow line to check against when the file has no `apflow_version` (CLI `--target`, setting
   * `apflow.target`), as written: a version that names no line is ignored, as the server ignores it.
   */
  target?: string | null;
  /** Retry this earlier run (spec 3.6). */
  retryOf?: { run: RunRecord; tasks: readonly (EarlierTask & { name: string })[] };
  /** Which Python runs Python executors and hooks (default: a venv beside the tree, else python3). */
  python?: PythonRequest;
  /**
   * Tree tests' mocks: a task this answers for runs the function returned instead of its executor,
   * which is then neither loaded nor required to be runnable here.
   */
  substitute?: (def: TaskDef) => ExecutorFn | undefined;
}

export type Preflight = { ok: true; plan: RunPlan; warnings: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

/** The task asked for with `--task` (or the task a retried run-task run was limited to) is not in the file. */
export class UnknownTaskError extends Error {}

export async function prepareRun(request: RunRequest): Promise<Preflight> {
  const { diagnostics, model, registered } = await analyzeForRun(request.text, request.file, nodeEnvFor(hostTarget(request.target)), request.python?.discoverIn);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) return { ok: false, diagnostics: errors };
  const missingEnv = missingVariables(model, request.env);
  if (missingEnv) return { ok: false, diagnostics: [missingEnv] };

  const host: ExecutorHost = { treeDir: dirname(request.file), env: request.env, allowPrivateUrls: request.allowPrivateUrls };
  const python = new PythonExecutors(request.file, request.env, request.python);
  const resolved = await resolveExecutors(model, { host, python, registered, substitute: request.substitute }, lineStarts(request.text));
  const hooks = resolved.ok ? await prepareHooks(model, host.treeDir, python) : null;
  if (!resolved.ok || Array.isArray(hooks)) {
    await python.close();
    return { ok: false, diagnostics: resolved.ok ? (hooks as Diagnostic[]) : resolved.diagnostics };
  }

  let plan = planRun({ model, text: request.text, file: request.file, executors: resolved.executors, substitute: request.substitute, validatorFor: (def) => inputValidator(def, model), task: request.task, retryOf: request.retryOf });
  plan = { ...plan, release: () => python.close(), hooks: hooks ?? undefined };
  return { ok: true, plan, warnings: diagnostics.filter((d) => d.severity === 'warning') };
}

/** What a plan is built from besides the request's text and file. */
export interface PlanRequest extends Pick<RunRequest, 'text' | 'file' | 'task' | 'retryOf' | 'substitute'> {
  model: TreeModel;
  executors: ReadonlyMap<string, ExecutorFn>;
  validatorFor: (def: TaskDef) => ((inputs: JsonObject) => string | null) | null;
}

/**
 * The plan of a run, a run-task run (the task asked for, or the one the retried run was limited to) or
 * a retry (spec 3.6). Throws UnknownTaskError when that task is not in the file.
 */
export function planRun(request: PlanRequest): RunPlan {
  const { model } = request;
  const earlier = request.retryOf;
  const earlierIds = new Map(earlier?.tasks.map((t) => [t.name, t.id]));
  let plan = buildPlan({
    model,
    text: request.text,
    file: request.file,
    executors: request.executors,
    substitute: request.substitute,
    validatorFor: request.validatorFor,
    // A retry keeps the generated ids of tasks without one, so that they can be carried over.
    generatedId: (def) => (def.name === null ? undefined : earlierIds.get(def.name)),
  });
  const target = earlier ? earlier.run.target_task : (request.task ?? null);
  if (target !== null) {
    const index = earlier ? plan.tasks.findIndex((t) => t.id === target) : (model.resolve(target)?.index ?? -1);
    if (index < 0) {
      throw new UnknownTaskError(
        earlier ? `the task '${target}' that run ${earlier.run.id} was limited to is no longer in ${request.file}` : `there is no task '${target}' in ${request.file}`,
      );
    }
    plan = { ...selectTask(plan, index), trigger: 'run-task' };
  }
  if (earlier) plan = { ...plan, trigger: 'retry', parentRunId: earlier.run.id, tasks: carryOver(plan.tasks, earlier.tasks) };
  return plan;
}

type Resolution = { ok: true; executors: Map<string, ExecutorFn> } | { ok: false; diagnostics: Diagnostic[] };

/** Where a tree's executors come from besides its declarations: built in, the workspace's Python, apflow. */
interface ExecutorSources {
  host: ExecutorHost;
  python: PythonExecutors;
  registered: ReadonlyMap<string, readonly PythonExecutorFacts[]>;
  /** Tree tests' mocks (RunRequest.substitute): a task they answer for needs no executor here. */
  substitute: RunRequest['substitute'];
}

async function resolveExecutors(model: TreeModel, { host, python, registered, substitute }: ExecutorSources, lines: number[]): Promise<Resolution> {
  const builtins = builtinExecutors(host);
  const executors = new Map<string, ExecutorFn>();
  const problems: Diagnostic[] = [];
  const failedLoads = new Map<string, string>();
  for (const def of model.tasks) {
    const refuse = (message: string, code: Diagnostic['code']) =>
      problems.push({ code, severity: 'error', message, range: rangeOf(lines, def), task: def.key });
    const id = def.executor;
    if (id === null) {
      refuse(`task '${def.key}' cannot run: it has no executor (set \`schemas.method\`)`, 'missing-executor');
      continue;
    }
    if (executors.has(id) || substitute?.(def)) continue;
    const decl = model.executors.find((d) => d.id === id);
    if (decl) {
      if (failedLoads.has(id)) {
        refuse(`task '${def.key}' cannot run: executor '${id}' ${failedLoads.get(id)}`, 'executor-module-missing');
        continue;
      }
      // A declaration without code describes an executor registered in the workspace's Python.
      const declared = decl.module === null ? (python.declared(decl) ?? registeredIn(registered, id, python)) : null;
      if (declared) {
        executors.set(id, declared);
        continue;
      }
      try {
        if (decl.module === null) throw new Error('declares neither a module nor `python:`');
        executors.set(id, await loadWorkspaceExecutor(host.treeDir, { id, module: decl.module, exportName: decl.exportName }));
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        failedLoads.set(id, reason);
        refuse(`task '${def.key}' cannot run: executor '${id}' ${reason}`, 'executor-module-missing');
      }
      continue;
    }
    const builtin = builtins.get(id);
    if (builtin) {
      executors.set(id, builtin);
      continue;
    }
    const fromWorkspace = registeredIn(registered, id, python);
    if (fromWorkspace) {
      executors.set(id, fromWorkspace);
      continue;
    }
    // apflow installed in the workspace's Python runs its own executors (and registered ones) locally.
    const fromApflow = await python.fromApflow(id);
    if (fromApflow) executors.set(id, fromApflow);
    else if (catalogueEntry(id)) {
      refuse(
        `task '${def.key}' uses \`${id}\`, which needs an apflow server or apflow in the workspace's Python (${await python.apflowStatus()}): install apflow there (or set apflow.python.interpreter / --python to a Python that has it), or export the tree with \`apflow-yaml export\` and run it with apflow`,
        'remote-executor',
      );
    } else {
      // Reached only when the file silenced the diagnostic: silencing hides it, it never makes the tree runnable.
      refuse(`task '${def.key}' cannot run: there is no executor '${id}' (neither built in nor declared under \`executors:\`)`, 'unknown-executor');
    }
  }
  return problems.length > 0 ? { ok: false, diagnostics: problems } : { ok: true, executors };
}

/** The executor `id` registered in the workspace's Python, or null. Registered twice is a warning (duplicate-executor): as in apflow, the first file imported wins. */
function registeredIn(registered: ExecutorSources['registered'], id: string, python: PythonExecutors): ExecutorFn | null {
  const found = registered.get(id)?.[0];
  return found ? python.registered(found) : null;
}

/** The file's hooks, loaded; a refusal naming what is wrong with one; null when there are none. */
async function prepareHooks(model: TreeModel, treeDir: string, python: PythonExecutors): Promise<RunHooks | Diagnostic[] | null> {
  if (model.hooks.length === 0) return null;
  try {
    return new RunHooks(await loadHooks(model.hooks, treeDir, () => python.session));
  } catch (error) {
    const message = `the tree cannot run: ${error instanceof Error ? error.message : String(error)}`;
    return [{ code: 'executor-module-missing', severity: 'error', message, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, task: null }];
  }
}

/** Guide, *Validate Production Configuration*: every variable of `env.required`, set and not empty. */
function missingVariables(model: TreeModel, env: NodeJS.ProcessEnv): Diagnostic | null {
  const missing = model.requiredEnv.filter((name) => !env[name]);
  if (missing.length === 0) return null;
  const names = missing.map((name) => `\`${name}\``).join(', ');
  const noun = missing.length === 1 ? 'variable' : 'variables';
  return {
    code: 'missing-env',
    severity: 'error',
    message: `the run needs the environment ${noun} ${names} (listed under \`env.required\`): set ${missing.length === 1 ? 'it' : 'them'} and run again`,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    task: null,
  };
}

function rangeOf(lines: number[], def: TaskDef): Diagnostic['range'] {
  const span = def.executorSpan ?? def.nameKeySpan ?? def.span;
  return { start: positionIn(lines, span.start), end: positionIn(lines, span.end) };
}

/**
 * The schemas the merged inputs must satisfy at run time (spec 3.4): the built-in executor's, the
 * file's declaration's and the task's own `schemas.input_schema` — all that apply.
 */
function inputValidator(def: TaskDef, model: TreeModel): ((inputs: JsonObject) => string | null) | null {
  const executor = def.executor as string;
  const declared = model.executors.find((d) => d.id === executor);
  const schemas: { schema: unknown; source: string }[] = [];
  if (declared?.inputSchema) schemas.push({ schema: declared.inputSchema, source: `\`${executor}\`` });
  else {
    const entry = catalogueEntry(executor);
    if (entry) schemas.push({ schema: entry.inputSchema, source: `\`${executor}\`` });
  }
  const own = (def.value.schemas as { input_schema?: unknown } | undefined)?.input_schema;
  if (own !== undefined) schemas.push({ schema: own, source: 'schemas.input_schema' });
  const compiled = schemas.flatMap(({ schema, source }) => {
    const validate = compileUserSchema(schema);
    return typeof validate === 'string' ? [] : [{ validate, source }];
  });
  if (compiled.length === 0) return null;
  return (inputs) => {
    for (const { validate, source } of compiled) {
      if (validate(inputs)) continue;
      const problems = (validate.errors ?? []).map((e) => `inputs${e.instancePath.replaceAll('/', '.')} ${e.message ?? 'is invalid'}`);
      return `task '${def.key}': the merged inputs do not satisfy the input schema of ${source}: ${problems.join('; ')}`;
    }
    return null;
  };
}
