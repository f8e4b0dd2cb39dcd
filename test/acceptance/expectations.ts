// What an acceptance case's NAME.expect.json requires (test/fixtures/acceptance/README.md), and the
// checks that compare the CLI's --json output with it. Each check returns the problems it found, in
// plain words, so that one failing case lists everything that is wrong with it at once.
import { isDeepStrictEqual } from 'node:util';

export interface ExpectedDiagnostic {
  code: string;
  /** 0-based line of the range's start. */
  line: number;
  severity?: 'error' | 'warning' | 'information' | 'hint';
  character?: number;
  message_contains?: string | string[];
}

export interface ValidateExpectation {
  kind: 'validate';
  diagnostics: ExpectedDiagnostic[];
  /** false: other error and warning diagnostics may appear too. */
  exact?: boolean;
  exit?: number;
}

export interface TaskExpectation {
  absent?: boolean;
  error_contains?: string;
  result_subset?: unknown;
  inputs_subset?: unknown;
  /** Any other field of the task record, compared exactly. */
  [field: string]: unknown;
}

/** The checks of a `run` case, and of a scenario step's `expect`. */
export interface RunChecks {
  refused?: boolean;
  refused_codes?: string[];
  run?: Record<string, unknown>;
  first_run?: Record<string, unknown>;
  tasks?: Record<string, TaskExpectation>;
  /** [a, b]: a finishes before b starts. */
  order?: [string, string][];
  /** [a, b]: a and b run at the same time. */
  overlap?: [string, string][];
  start_order?: string[];
  no_illegal_state?: boolean;
}

export interface RunExpectation extends RunChecks {
  kind: 'run';
  exit: number;
  args?: string[];
  max_seconds?: number;
}

export interface Step {
  /** An empty file to create first (relative to the working folder). */
  touch?: string;
  write?: { path: string; content: string };
  /** A path whose folder must hold a file whose name starts with its last part. */
  exists_prefix?: string;
  cli?: string[];
  /** A signal sent to the CLI `after_ms` after it started. */
  signal?: { name: NodeJS.Signals; after_ms: number };
  exit?: number;
  stderr_contains?: string;
  validate?: ValidateExpectation;
  expect?: RunChecks;
}

export interface ScenarioExpectation {
  kind: 'scenario';
  steps: Step[];
  max_seconds?: number;
}

export type Expectation = ValidateExpectation | RunExpectation | ScenarioExpectation;

/** The CLI's one step for a `validate` or `run` case, as a scenario would write it. */
export function stepsOf(expectation: Expectation): Step[] {
  switch (expectation.kind) {
    case 'scenario':
      return expectation.steps;
    case 'validate':
      return [{ cli: ['validate', '{file}', '--json'], exit: expectedValidateExit(expectation), validate: expectation }];
    case 'run':
      return [{ cli: ['run', '{file}', '--json', '--history', '{history}', ...(expectation.args ?? [])], exit: expectation.exit, expect: expectation }];
  }
}

/** `exit` when given; otherwise 1 exactly when an error is expected. */
function expectedValidateExit(expectation: ValidateExpectation): number {
  return expectation.exit ?? (expectation.diagnostics.some((d) => d.severity === 'error') ? 1 : 0);
}

interface OutputDiagnostic {
  code: string;
  severity: string;
  message: string;
  range: { start: { line: number; character: number } };
}

/** Errors and warnings must be exactly the listed ones; information and hints only where listed. */
const counts = (severity: string | undefined) => severity === undefined || severity === 'error' || severity === 'warning';
const label = (d: { code: string; line: number }) => `${d.code}@${d.line}`;

export function checkValidate(want: ValidateExpectation, output: { files: { diagnostics: OutputDiagnostic[] }[] }): string[] {
  const problems: string[] = [];
  const got = output.files.flatMap((f) => f.diagnostics).map((d) => ({ ...d, line: d.range.start.line }));
  const gotCounted = new Set(got.filter((d) => counts(d.severity)).map(label));
  const wantCounted = new Set(want.diagnostics.filter((d) => counts(d.severity)).map(label));
  if (want.exact !== false) for (const l of gotCounted) if (!wantCounted.has(l)) problems.push(`unexpected diagnostic ${l}`);
  for (const w of want.diagnostics) {
    const match = got.find((d) => d.code === w.code && d.line === w.line);
    if (!match) {
      problems.push(`missing diagnostic ${label(w)} (line 0-based)`);
      continue;
    }
    if (w.severity && match.severity !== w.severity) problems.push(`${label(w)} has severity ${match.severity}, want ${w.severity}`);
    if (w.character !== undefined && match.range.start.character !== w.character)
      problems.push(`${label(w)} starts at character ${match.range.start.character}, want ${w.character}`);
    for (const text of ([] as string[]).concat(w.message_contains ?? []))
      if (!match.message.includes(text)) problems.push(`${label(w)} message "${match.message}" lacks "${text}"`);
  }
  return problems;
}

/** Objects: every key of `want` matches recursively; anything else (arrays too): equal. */
export function isSubset(want: unknown, got: unknown): boolean {
  if (want === null || typeof want !== 'object' || Array.isArray(want)) return isDeepStrictEqual(want, got);
  if (got === null || typeof got !== 'object') return false;
  return Object.entries(want).every(([key, value]) => isSubset(value, (got as Record<string, unknown>)[key]));
}

export interface OutputTask {
  id: string;
  status: string;
  error?: string | null;
  started_at?: string | null;
  completed_at?: string | null;
  [field: string]: unknown;
}

export interface RunOutput {
  refused?: boolean;
  diagnostics?: { code: string }[];
  run?: Record<string, unknown>;
  runs?: Record<string, unknown>[];
  tasks?: OutputTask[];
}

const show = (value: unknown) => JSON.stringify(value);

export function checkRun(want: RunChecks, output: RunOutput): string[] {
  const problems: string[] = [];
  if (want.refused !== undefined && Boolean(output.refused) !== want.refused) problems.push(`refused is ${show(output.refused)}, want ${want.refused}`);
  for (const code of want.refused_codes ?? [])
    if (!(output.diagnostics ?? []).some((d) => d.code === code)) problems.push(`the refusal lacks a ${code} diagnostic`);
  if (want.run && !isSubset(want.run, output.run)) problems.push(`run ${show(output.run)} does not match ${show(want.run)}`);
  if (want.first_run && !isSubset(want.first_run, output.runs?.[0]))
    problems.push(`the newest run ${show(output.runs?.[0])} does not match ${show(want.first_run)}`);
  const tasks = new Map((output.tasks ?? []).map((t) => [t.id, t]));
  for (const [id, fields] of Object.entries(want.tasks ?? {})) problems.push(...checkTask(id, fields, tasks.get(id)));
  problems.push(...checkTiming(want, tasks));
  if (want.no_illegal_state) for (const t of output.tasks ?? []) problems.push(...illegalStates(t));
  return problems;
}

function checkTask(id: string, want: TaskExpectation, task: OutputTask | undefined): string[] {
  if (want.absent) return task ? [`task ${id} should not be in the run`] : [];
  if (!task) return [`task ${id} is missing from the run`];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(want)) {
    if (key === 'error_contains') {
      if (!String(task.error ?? '').includes(value as string)) problems.push(`${id}.error ${show(task.error)} lacks "${String(value)}"`);
    } else if (key === 'result_subset' || key === 'inputs_subset') {
      const field = key === 'result_subset' ? 'result' : 'inputs';
      if (!isSubset(value, task[field])) problems.push(`${id}.${field} ${show(task[field])} lacks ${show(value)}`);
    } else if (!isDeepStrictEqual(task[key], value)) {
      problems.push(`${id}.${key} is ${show(task[key])}, want ${show(value)}`);
    }
  }
  return problems;
}

function checkTiming(want: RunChecks, tasks: Map<string, OutputTask>): string[] {
  const problems: string[] = [];
  // A missing task or time gives NaN, which fails every comparison below.
  const time = (id: string, field: 'started_at' | 'completed_at') => Date.parse(String(tasks.get(id)?.[field]));
  for (const [a, b] of want.order ?? [])
    if (!(time(a, 'completed_at') <= time(b, 'started_at'))) problems.push(`${a} should finish before ${b} starts`);
  for (const [a, b] of want.overlap ?? [])
    if (!(time(a, 'started_at') < time(b, 'completed_at') && time(b, 'started_at') < time(a, 'completed_at')))
      problems.push(`${a} and ${b} should run at the same time`);
  if (want.start_order) {
    const starts = want.start_order.map((id) => time(id, 'started_at'));
    if (!starts.every((s, i) => i === 0 || starts[i - 1] <= s)) problems.push(`tasks should start in the order ${want.start_order.join(' < ')}`);
  }
  return problems;
}

/** States a task record can never be in (spec 3). */
function illegalStates(t: OutputTask): string[] {
  const problems: string[] = [];
  if (t.status === 'completed' && t.error) problems.push(`${t.id} completed with an error`);
  if ((t.status === 'failed' || t.status === 'cancelled') && !t.error) problems.push(`${t.id} is ${t.status} without an error`);
  if (t.status === 'pending' && t.started_at) problems.push(`${t.id} is pending but has started`);
  if (t.started_at && t.completed_at && Date.parse(t.started_at) > Date.parse(t.completed_at)) problems.push(`${t.id} completed before it started`);
  return problems;
}
