// One test case on the embedded runtime: a tree case runs the tree with the case's mocks and inputs;
// a unit case runs one executor, for real, as the only task of a tree that declares what the tested
// tree declares. Both go through prepareRun, so a case runs exactly as `apflow-yaml run` would.
import type { TaskDef } from "../../analysis";
import type { TestCase } from "../../analysis/testing";
import { prepareRun, type RunRequest } from "../preflight";
import { TaskRun, type RunResult } from "../run";
import {
  isMapping,
  type ExecutorFn,
  type JsonObject,
  type PlanTask,
  type RunPlan,
  type RunRecord,
  type TaskRecord,
} from "../types";
import {
  checkTreeCase,
  checkUnitCase,
  type Failure,
  type Observation,
} from "./expectations";
import { CaseMocks } from "./mocks";

/** What every case of one test file shares. */
export interface CaseSetting {
  /** The tree file (absolute) and its text. */
  treeFile: string;
  treeText: string;
  /** The tree's own `executors:` and `apflow_version`, which a unit case's one-task tree declares too. */
  unitHeader: JsonObject;
  request: Pick<RunRequest, "env" | "allowPrivateUrls" | "target" | "python">;
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

export function runCase(
  testCase: TestCase,
  setting: CaseSetting,
): Promise<CaseResult> {
  return testCase.executor
    ? runUnitCase(testCase, setting)
    : runTreeCase(testCase, setting);
}

async function runTreeCase(
  testCase: TestCase,
  setting: CaseSetting,
): Promise<CaseResult> {
  const began = Date.now();
  const mocks = new CaseMocks(testCase.mocks);
  const unmocked: TaskDef[] = [];
  const substitute = (def: TaskDef): ExecutorFn | undefined => {
    const standIn = mocks.forTask(def);
    if (standIn || !testCase.strict) return standIn;
    if (!unmocked.includes(def)) unmocked.push(def);
    return notMocked;
  };
  const prepared = await prepareRun({
    ...setting.request,
    text: setting.treeText,
    file: setting.treeFile,
    substitute,
  });
  const failed = (message: string) => ({
    case: testCase,
    failures: [{ message, range: testCase.range }],
    durationMs: Date.now() - began,
    run: null,
    tasks: [],
  });
  if (!prepared.ok)
    return failed(
      `the tree cannot run: ${prepared.diagnostics.map((d) => d.message).join("; ")}`,
    );
  if (unmocked.length > 0) {
    await prepared.plan.release?.();
    const names = unmocked.map(
      (def) =>
        `'${def.key}'${def.name && def.name !== def.key ? ` (${def.name})` : ""}`,
    );
    return failed(
      `strict case: ${names.length === 1 ? "task" : "tasks"} ${names.join(", ")} ${names.length === 1 ? "has" : "have"} no mock; mock ${names.length === 1 ? "it" : "them"} or drop \`strict: true\``,
    );
  }
  const received = new Map<string, unknown>();
  const plan = casePlan(prepared.plan, testCase, received);
  const run = new TaskRun(plan);
  const started = new Map<string, number>();
  const ended = new Map<string, number>();
  let seq = 0;
  run.on("task-status", (e) => {
    if (e.to === "in_progress") started.set(e.task.id, seq++);
    else if (e.from === "in_progress") ended.set(e.task.id, seq++);
  });
  setting.onRun?.(run);
  const result = await run.start();
  const seen: Observation = {
    run: result.run,
    tasks: result.tasks,
    received,
    started,
    ended,
  };
  return {
    case: testCase,
    failures: checkTreeCase(testCase.expectations, seen),
    durationMs: Date.now() - began,
    run: result.run,
    tasks: result.tasks,
  };
}

/**
 * The prepared plan as the case runs it: its inputs merged over the tasks' own, the received inputs
 * kept for `inputs_subset`, hooks dropped with `hooks: false`, and retries without backoff waits (a
 * test checks how many attempts a task takes, not how long it waits between them).
 */
function casePlan(
  plan: RunPlan,
  testCase: TestCase,
  received: Map<string, unknown>,
): RunPlan {
  const tasks = plan.tasks.map((task): PlanTask => {
    const own = testCase.inputs[task.id];
    const execute: ExecutorFn = (inputs, context) => {
      received.set(task.id, inputs);
      return task.execute(inputs, context);
    };
    return {
      ...task,
      inputs: isMapping(own) ? { ...task.inputs, ...own } : task.inputs,
      execute,
      backoffBaseSeconds: 0,
    };
  });
  return { ...plan, tasks, hooks: testCase.hooks ? plan.hooks : undefined };
}

async function runUnitCase(
  testCase: TestCase,
  setting: CaseSetting,
): Promise<CaseResult> {
  const began = Date.now();
  const executor = testCase.executor?.value as string;
  const tree = {
    ...setting.unitHeader,
    tasks: [
      {
        id: executor,
        name: testCase.name,
        schemas: { method: executor },
        inputs: testCase.inputs,
      },
    ],
  };
  // JSON is YAML: the one-task tree is analysed and prepared like any file, in the tested tree's folder.
  const prepared = await prepareRun({
    ...setting.request,
    text: JSON.stringify(tree),
    file: setting.treeFile,
  });
  const where = testCase.executor?.range ?? testCase.range;
  const finish = (
    failures: Failure[],
    result: RunResult | null,
  ): CaseResult => ({
    case: testCase,
    failures,
    durationMs: Date.now() - began,
    run: result?.run ?? null,
    tasks: result?.tasks ?? [],
  });
  if (!prepared.ok) {
    const reasons = prepared.diagnostics.map((d) => d.message).join("; ");
    // Inputs the executor's schema rejects fail it at run time too (spec 3.4): that is an outcome to expect.
    if (prepared.diagnostics.every((d) => d.code === "invalid-inputs"))
      return finish(
        checkUnitCase(
          testCase.expectations,
          { status: "failed", result: null, error: reasons },
          where,
        ),
        null,
      );
    return finish(
      [
        {
          message: `executor '${executor}' cannot run: ${reasons}`,
          range: where,
        },
      ],
      null,
    );
  }
  const run = new TaskRun({ ...prepared.plan, hooks: undefined });
  setting.onRun?.(run);
  const result = await run.start();
  return finish(
    checkUnitCase(testCase.expectations, result.tasks[0], where),
    result,
  );
}

/** A strict case refuses to run with unmocked tasks; this only stands in while the plan is prepared. */
const notMocked: ExecutorFn = () => {
  throw new Error("not mocked (strict case)");
};
