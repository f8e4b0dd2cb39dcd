// One test file: read and check it against its tree (a file with problems runs no case), run its
// cases — at the same time unless it says `parallel: false` — and work out the tree's coverage.
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { analyzeFile, type Range, type TaskDef } from '../../analysis';
import { hostTarget, nodeEnvFor } from '../../analysis/node-env';
import { parseTestFile, referenceDiagnostics, treeIds, type TestCase } from '../../analysis/testing';
import { fsReason } from '../fs-errors';
import { prepareRun, type Preflight } from '../preflight';
import { CaseMocks } from './mocks';
import { isMapping, type ExecutorFn, type JsonObject } from '../types';
import { coverageOf, type Coverage } from './coverage';
import { runCase, type CaseResult, type CaseSetting } from './run-case';

/** Cases of one file running at once: mocked runs mostly wait on timers, so more than the cores. */
export const DEFAULT_CASE_CONCURRENCY = 8;

export interface TestFileOptions {
  request: CaseSetting['request'];
  onRun?: CaseSetting['onRun'];
  /** Run only the cases at these indexes (the Testing view runs one case); coverage is then null. */
  only?: readonly number[];
  concurrency?: number;
}

/** Why a file's cases did not run: where, in the test file or in its tree. */
export interface FileProblem {
  file: string;
  range: Range;
  message: string;
}

export interface TestFileReport {
  testFile: string;
  treeFile: string | null;
  /** Every case the file declares, run or not (a file with problems runs none). */
  declared: readonly TestCase[];
  problems: FileProblem[];
  cases: CaseResult[];
  /** Null when the file did not run, or ran only some of its cases. */
  coverage: Coverage | null;
}

export async function runTestFile(testFile: string, text: string, options: TestFileOptions): Promise<TestFileReport> {
  const parsed = parseTestFile(text);
  const report: TestFileReport = {
    testFile,
    treeFile: null,
    declared: parsed.cases,
    problems: [],
    cases: [],
    coverage: null,
  };
  const fail = (message: string, range: Range, file = testFile) => {
    report.problems.push({ file, range, message });
    return report;
  };
  for (const d of parsed.diagnostics) fail(d.message, d.range);
  if (!parsed.tree || report.problems.length > 0) return report;

  const treeFile = resolve(dirname(testFile), parsed.tree.value);
  report.treeFile = treeFile;
  let treeText: string;
  try {
    treeText = await readFile(treeFile, 'utf8');
  } catch (error) {
    return fail(`cannot read the tree file ${parsed.tree.value}: ${fsReason(error)}`, parsed.tree.range);
  }
  const tree = analyzeFile(treeText, treeFile, nodeEnvFor(hostTarget(options.request.target)));
  const errors = tree.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    const first = errors[0];
    fail(
      `${parsed.tree.value} has ${errors.length} error${errors.length === 1 ? '' : 's'} (fix ${errors.length === 1 ? 'it' : 'them'} first): line ${first.range.start.line + 1}: ${first.message}`,
      parsed.tree.range,
    );
    for (const e of errors) fail(e.message, e.range, treeFile);
    return report;
  }
  for (const d of referenceDiagnostics(parsed, treeIds(tree.model), basename(treeFile))) fail(d.message, d.range);
  if (report.problems.length > 0) return report;

  const chosen = options.only ? parsed.cases.filter((c) => options.only?.includes(c.index)) : parsed.cases;
  const prepared = await prepareTree(chosen, treeFile, treeText, options.request);
  if (!prepared.ok) {
    fail(`${parsed.tree.value} cannot run: ${prepared.diagnostics.map((d) => d.message).join('; ')}`, parsed.tree.range);
    return report;
  }
  const setting: CaseSetting = {
    plan: prepared.plan,
    treeFile,
    unitHeader: chosen.some((c) => c.executor) ? unitHeader(treeText) : {},
    request: options.request,
    onRun: options.onRun,
  };
  const limit = parsed.parallel ? (options.concurrency ?? DEFAULT_CASE_CONCURRENCY) : 1;
  try {
    report.cases = await inPool(chosen, limit, (c) => runCase(c, setting).catch((error: unknown) => crashed(c, error)));
  } finally {
    await prepared.plan.release?.();
  }
  if (!options.only) report.coverage = coverageOf(tree.model, treeText, report.cases);
  return report;
}

/**
 * The tree prepared once for all its cases (analysing and loading executors per case would cost more
 * than the mocked runs themselves): a task that every tree case mocks (or that a strict case would
 * refuse to leave unmocked) needs no runnable executor; the others load theirs, as a run would.
 */
function prepareTree(cases: readonly TestCase[], file: string, text: string, request: TestFileOptions['request']): Promise<Preflight> {
  const lenient = cases.filter((c) => c.executor === null && !c.strict).map((c) => new CaseMocks(c.mocks));
  const substitute = (def: TaskDef) => (lenient.every((mocks) => mocks.forTask(def)) ? mockedEverywhere : undefined);
  return prepareRun({ ...request, text, file, substitute });
}

/** Stands in for a task every case mocks: each case's plan calls its own mock instead. */
const mockedEverywhere: ExecutorFn = () => {
  throw new Error('internal error: a task that every case mocks ran its placeholder');
};

/** A case the runtime could not run at all is a failed case, with the reason, never a crash of the suite. */
function crashed(testCase: TestCase, error: unknown): CaseResult {
  const message = `the case could not run: ${error instanceof Error ? error.message : String(error)}`;
  return {
    case: testCase,
    failures: [{ message, range: testCase.range }],
    durationMs: 0,
    run: null,
    tasks: [],
  };
}

/** What a unit case's one-task tree keeps of the tested tree: its executors and its apflow line. */
function unitHeader(treeText: string): JsonObject {
  const value: unknown = parse(treeText, { maxAliasCount: 100 });
  if (!isMapping(value)) return { version: 1 };
  const header: JsonObject = { version: 1 };
  if (value.apflow_version !== undefined) header.apflow_version = value.apflow_version;
  if (value.executors !== undefined) header.executors = value.executors;
  return header;
}

/** Runs `work` on every case, at most `limit` at once; results in case order. */
async function inPool(cases: readonly TestCase[], limit: number, work: (c: TestCase) => Promise<CaseResult>): Promise<CaseResult[]> {
  const results = new Array<CaseResult>(cases.length);
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const i = next++;
      results[i] = await work(cases[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, cases.length) }, worker));
  return results;
}
