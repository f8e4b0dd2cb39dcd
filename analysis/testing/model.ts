// The model of a tree-test file (`*.apflow.test.yaml`, docs/tree-tests.md): its cases, mocks and
// expectations as plain data, each with the LSP range it was written at, so that a failed expectation,
// a diagnostic or a definition points at the line the user wrote.
import { isMap, isSeq, type Node } from 'yaml';
import { lineStarts, positionIn } from '../text';
import type { Diagnostic, Range, Span } from '../types';
import { MAX_ALIAS_COUNT, nodeAtPath, pairsOf, parseYaml, scalarText, spanOf, valueOf } from '../yaml-nodes';
import { testFileSchemaDiagnostics } from './schema';

/** Test files are the tree's name with `.test` before the YAML extension. */
export const TEST_FILE_PATTERN = /\.apflow\.test\.ya?ml$/;

export function isTestFile(path: string): boolean {
  return TEST_FILE_PATTERN.test(path);
}

export interface Located<T> {
  value: T;
  range: Range;
}

/** What a mock key names: `fetch` is a task id, `executor:rest_executor` every task using that executor. */
export interface MockSpec {
  kind: 'task' | 'executor';
  id: string;
  range: Range;
  /** `result` was given (it may be null). */
  hasResult: boolean;
  result: unknown;
  fail: string | null;
  delayMs: number;
}

export type ExpectationKind = 'status' | 'error_contains' | 'result_subset' | 'inputs_subset' | 'blocked_by' | 'attempts' | 'order' | 'overlap';

/** One thing a case expects; `task` is null for the run's status, order and overlap pairs and unit cases. */
export interface Expectation {
  kind: ExpectationKind;
  task: string | null;
  /** For `order` and `overlap`, the pair `[a, b]`. */
  value: unknown;
  range: Range;
}

/** A task or executor id the file refers to, where it is written (for checks, completion, definition). */
export interface TestRef {
  kind: 'task' | 'executor';
  id: string;
  range: Range;
}

export interface TestCase {
  index: number;
  name: string;
  /** The case's `name` value: where the Testing view puts the case. */
  range: Range;
  /** A unit case's executor; null for a case that runs the tree. */
  executor: Located<string> | null;
  mocks: MockSpec[];
  /** Tree case: by task id; unit case: the executor's inputs. */
  inputs: Record<string, unknown>;
  strict: boolean;
  hooks: boolean;
  expectations: Expectation[];
}

export interface TestFile {
  tree: Located<string> | null;
  parallel: boolean;
  cases: TestCase[];
  refs: TestRef[];
  /** Syntax and schema problems: a file with errors is not run. */
  diagnostics: Diagnostic[];
}

const EXECUTOR_PREFIX = 'executor:';
const TASK_KINDS: readonly ExpectationKind[] = ['status', 'error_contains', 'result_subset', 'inputs_subset', 'blocked_by', 'attempts'];

export function parseTestFile(text: string): TestFile {
  const starts = lineStarts(text);
  const rangeOf = (span: Span | null): Range => {
    const s = span ?? { start: 0, end: 0 };
    return {
      start: positionIn(starts, s.start),
      end: positionIn(starts, s.end),
    };
  };
  const empty: TestFile = {
    tree: null,
    parallel: true,
    cases: [],
    refs: [],
    diagnostics: [],
  };
  const doc = parseYaml(text);
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    empty.diagnostics.push(problem('yaml-syntax', e.message.split('\n')[0], rangeOf({ start: e.pos[0], end: e.pos[1] })));
    return empty;
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    empty.diagnostics.push(problem('yaml-syntax', error instanceof Error ? error.message : String(error), rangeOf(null)));
    return empty;
  }
  const root = doc.contents as Node | null;
  const firstLine = {
    start: 0,
    end: Math.max(0, (starts[1] ?? text.length + 1) - 1),
  };
  const diagnostics = testFileSchemaDiagnostics(value, root, firstLine).map((d) => problem(d.code, d.message, rangeOf(d.span)));
  if (!root || !isMap(root)) return { ...empty, diagnostics };

  const file = value as { tree?: unknown; parallel?: unknown; cases?: unknown };
  const treeNode = valueOf(root, 'tree');
  const refs: TestRef[] = [];
  const at = (node: Node | null) => rangeOf(spanOf(node));
  const cases: TestCase[] = [];
  const caseNodes = valueOf(root, 'cases');
  if (isSeq(caseNodes) && Array.isArray(file.cases)) {
    caseNodes.items.forEach((node, index) => {
      const raw = (file.cases as unknown[])[index];
      if (isMap(node) && isRecord(raw)) cases.push(readCase(node as Node, raw, index, at, refs));
    });
  }
  return {
    tree: typeof file.tree === 'string' ? { value: file.tree, range: at(treeNode) } : null,
    parallel: file.parallel !== false,
    cases,
    refs,
    diagnostics,
  };
}

function readCase(node: Node, raw: Record<string, unknown>, index: number, at: (node: Node | null) => Range, refs: TestRef[]): TestCase {
  const executorNode = valueOf(node, 'executor');
  const executor = typeof raw.executor === 'string' ? { value: raw.executor, range: at(executorNode) } : null;
  if (executor) refs.push({ kind: 'executor', ...executor, id: executor.value });

  const mocks: MockSpec[] = [];
  for (const pair of pairsOf(valueOf(node, 'mocks'))) {
    const key = scalarText(pair.key);
    const spec = isRecord(raw.mocks) && key !== null ? raw.mocks[key] : undefined;
    if (key === null || !isRecord(spec)) continue;
    const byExecutor = key.startsWith(EXECUTOR_PREFIX);
    const ref: TestRef = {
      kind: byExecutor ? 'executor' : 'task',
      id: byExecutor ? key.slice(EXECUTOR_PREFIX.length).trim() : key,
      range: at(pair.key as Node),
    };
    refs.push(ref);
    mocks.push({
      kind: ref.kind,
      id: ref.id,
      range: ref.range,
      hasResult: 'result' in spec,
      result: spec.result ?? null,
      fail: typeof spec.fail === 'string' ? spec.fail : null,
      delayMs: typeof spec.delay_ms === 'number' ? spec.delay_ms : 0,
    });
  }

  const inputs = isRecord(raw.inputs) ? raw.inputs : {};
  if (!executor) {
    for (const pair of pairsOf(valueOf(node, 'inputs'))) {
      const key = scalarText(pair.key);
      if (key !== null) refs.push({ kind: 'task', id: key, range: at(pair.key as Node) });
    }
  }

  const expectNode = valueOf(node, 'expect');
  const expect = isRecord(raw.expect) ? raw.expect : {};
  const expectations: Expectation[] = [];
  const own = (kind: ExpectationKind) => {
    if (kind in expect)
      expectations.push({
        kind,
        task: null,
        value: expect[kind],
        range: at(valueOf(expectNode, kind)),
      });
  };
  if (executor) (['result_subset', 'error_contains'] as const).forEach(own);
  else {
    own('status');
    for (const pair of pairsOf(valueOf(expectNode, 'tasks'))) {
      const task = scalarText(pair.key);
      const wanted = isRecord(expect.tasks) && task !== null ? expect.tasks[task] : undefined;
      if (task === null || !isRecord(wanted)) continue;
      refs.push({ kind: 'task', id: task, range: at(pair.key as Node) });
      // In the order written, so that failures read in the order of the file.
      for (const item of pairsOf(pair.value)) {
        const kind = scalarText(item.key) as ExpectationKind;
        if (!TASK_KINDS.includes(kind) || !(kind in wanted)) continue;
        const valueNode = item.value as Node;
        expectations.push({
          kind,
          task,
          value: wanted[kind],
          range: at(valueNode),
        });
        if (kind === 'blocked_by' && typeof wanted[kind] === 'string') refs.push({ kind: 'task', id: wanted[kind], range: at(valueNode) });
      }
    }
    for (const kind of ['order', 'overlap'] as const) {
      const list = expect[kind];
      if (!Array.isArray(list)) continue;
      list.forEach((pair, i) => {
        if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((id) => typeof id === 'string')) return;
        const pairNode = nodeAtPath(expectNode as Node, [kind, String(i)]).node;
        expectations.push({
          kind,
          task: null,
          value: pair,
          range: at(pairNode),
        });
        pair.forEach((id, j) =>
          refs.push({
            kind: 'task',
            id,
            range: at(nodeAtPath(pairNode as Node, [String(j)]).node),
          }),
        );
      });
    }
  }
  return {
    index,
    name: typeof raw.name === 'string' ? raw.name : `case ${index + 1}`,
    range: at(valueOf(node, 'name') ?? node),
    executor,
    mocks,
    inputs,
    strict: raw.strict === true,
    hooks: raw.hooks !== false,
    expectations,
  };
}

function problem(code: Diagnostic['code'], message: string, range: Range): Diagnostic {
  return { code, severity: 'error', message, range, task: null };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
