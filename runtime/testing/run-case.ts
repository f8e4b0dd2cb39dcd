// One test case on the embedded runtime. A tree case runs the file's one prepared plan (prepared once
// per test file: see run-file.ts) with the case's mocks and inputs; a unit case runs one executor, for
// real, as the only task of a tree that declares what the tested tree declares. Both go through
// prepareRun, so a case runs as `apflow-yaml run` would.
import type { TestCase } from '../../analysis/testing';
import { prepareRun, type RunRequest } from '../preflight';
import { TaskRun, type RunResult } from '../run';
import { isMapping, type ExecutorFn, type JsonObject, type PlanTask, type RunPlan, type RunRecord, type TaskRecord } from '../types';
import { checkTreeCase, checkUnitCase, type Failure, type Observation } from './expectations';
import { CaseMocks } from './mocks';

/** What every case of one test file shares. */
export interface CaseSetting {
  /** The tree, prepared once: real executors for the tasks some case runs for real. */
  plan: RunPlan;
  /** The tree file (absolute): a unit case's one-task tree is prepared in its folder. */
  treeFile: string;
  /** The tree's own `executors:` and `apflow_version`, which a unit case's one-task tree declares too. */
  unitHeader: JsonObject;
  request: Pick<RunRequest, 'env' | 'allowPrivateUrls' | 'target' | 'python'>;
  /** Sees each case's run before it starts (the CLI's --history records it). */
  onRun?: (run: TaskRun) => void;
}

export interface CaseResult {
  case: TestCase;
  failures: Failure[];
  durationMs: number;
  /** The run, when the case got as far as running. */
  run: RunRecord | null;
  tasks: readonly TaskRecord[];
}

export function runCase(testCase: TestCase, setting: CaseSetting): Promise<CaseResult> {
  return testCase.executor ? runUnitCase(testCase, setting) : runTreeCase(testCase, setting);
}

async function runTreeCase(testCase: TestCase, setting: CaseSetting): Promise<CaseResult> {
  const finish = finisher(testCase);
  const mocks = new CaseMocks(testCase.mocks);
  if (testCase.strict) {
    const unmocked = setting.plan.tasks.filter((task) => !mocks.forTask(task));
    if (unmocked.length > 0) return finish([{ message: strictMessage(unmocked), range: testCase.range }], null);
  }
  const received = new Map<string, unknown>();
  const run = new TaskRun(casePlan(setting.plan, testCase, mocks, received));
  const started = new Map<string, number>();
  const ended = new Map<string, number>();
  let seq = 0;
  run.on('task-status', (e) => {
    if (e.to === 'in_progress') started.set(e.task.id, seq++);
    else if (e.from === 'in_progress') ended.set(e.task.id, seq++);
  });
  setting.onRun?.(run);
  const result = await run.start();
  const seen: Observation = { run: result.run, tasks: result.tasks, received, started, ended };
  return finish(checkTreeCase(testCase.expectations, seen), result);
}

/** Builds a case's result, timed from when the case began. */
function finisher(testCase: TestCase): (failures: Failure[], result: RunResult | null) => CaseResult {
  const began = Date.now();
  return (failures, result) => ({ case: testCase, failures, durationMs: Date.now() - began, run: result?.run ?? null, tasks: result?.tasks ?? [] });
}

function strictMessage(unmocked: readonly PlanTask[]): string {
  const one = unmocked.length === 1;
  const names = unmocked.map((task) => `'${task.id}'${task.name !== task.id ? ` (${task.name})` : ''}`).join(', ');
  return `strict case: ${one ? 'task' : 'tasks'} ${names} ${one ? 'has' : 'have'} no mock; mock ${one ? 'it' : 'them'} or drop \`strict: true\``;
}

/**
 * The file's plan as this case runs it: mocked tasks call their stand-ins, the case's inputs are merged
 * over the tasks' own, the inputs each executor receives are kept for `inputs_subset`, hooks are
 * dropped with `hooks: false`, and retries do not wait (a test checks how many attempts a task takes,
 * not how long it waits between them). The plan's resources (the Python host) outlive the case.
 */
function casePlan(plan: RunPlan, testCase: TestCase, mocks: CaseMocks, received: Map<string, unknown>): RunPlan {
  const tasks = plan.tasks.map((task): PlanTask => {
    const own = testCase.inputs[task.id];
    const real = mocks.forTask(task) ?? task.execute;
    const execute: ExecutorFn = (inputs, context) => {
      received.set(task.id, inputs);
      return real(inputs, context);
    };
    return { ...task, inputs: isMapping(own) ? { ...task.inputs, ...own } : task.inputs, execute, backoffBaseSeconds: 0 };
  });
  return { ...plan, tasks, hooks: testCase.hooks ? plan.hooks : undefined, release: undefined };
}

async function runUnitCase(testCase: TestCase, setting: CaseSetting): Promise<CaseResult> {
  const began = Date.now();
  const executor = testCase.executor?.value as string;
  const where = testCase.executor?.range ?? testCase.range;
  const finish = (failures: Failure[], result: RunResult | null): CaseResult => ({
    case: testCase,
    failures,
    durationMs: Date.now() - began,
    run: result?.run ?? null,
    tasks: result?.tasks ?? [],
  });
  const tree = { ...setting.unitHeader, tasks: [{ id: executor, name: testCase.name, schemas: { method: executor }, inputs: testCase.inputs }] };
  // JSON is YAML: the one-task tree is analysed and prepared like any file, in the tested tree's folder.
  const prepared = await prepareRun({ ...setting.request, text: JSON.stringify(tree), file: setting.treeFile });
  if (!prepared.ok) {
    const reasons = prepared.diagnostics.map((d) => d.message).join('; ');
    // Inputs the executor's schema rejects fail it at run time too (spec 3.4): that is an outcome to expect.
    if (prepared.diagnostics.every((d) => d.code === 'invalid-inputs')) {
      return finish(checkUnitCase(testCase.expectations, { status: 'failed', result: null, error: reasons }, where), null);
    }
    return finish([{ message: `executor '${executor}' cannot run: ${reasons}`, range: where }], null);
  }
  const run = new TaskRun({ ...prepared.plan, hooks: undefined });
  setting.onRun?.(run);
  const result = await run.start();
  return finish(checkUnitCase(testCase.expectations, result.tasks[0], where), result);
}
