// Checks that need nothing but the task itself: its shape (JSON Schema), unknown and runtime keys,
// the name's length, schedules, a missing executor, and inputs against a built-in executor's schema or
// the task's own `schemas.input_schema`, and fields the target apflow line drops. They run once per
// parse of the task's item (again for every item when the target changes).
import { isMap, type Node, type Pair, type YAMLMap } from 'yaml';
import { catalogueEntry } from '../catalogue';
import { finding, type Finding, type FixSpec, type Seg } from '../findings';
import { taskRef } from '../identity';
import { builtinInputValidator, compileUserSchema, schemaProblems, taskErrors, unknownKeyAdvice } from '../schema-check';
import { keysOf, type TaskFacts } from '../task-facts';
import { keyName, spanOf, valueOf } from '../yaml-nodes';
import type { Span } from '../types';
import type { ResolvedTarget } from '../target';
import { executorParamFindings } from './executor-params';
import { scheduleProblems } from './schedule';
import { droppedFieldFindings, priorityZeroFindings } from './target-fields';
import { inputProblems } from './inputs';
import { nameAsExecutorFindings } from './name-executor';
import { quotedLabel } from './labels';

export const RUNTIME_FIELDS = new Set([
  'status', 'result', 'error', 'progress', 'created_at', 'started_at', 'updated_at', 'completed_at', 'origin_type',
  'original_task_id', 'has_references', 'task_tree_id', 'has_children', 'next_run_at', 'last_run_at', 'run_count',
  // apflow 0.20's runtime columns (durability and governance).
  'attempt_count', 'checkpoint_at', 'resume_from', 'token_usage', 'estimated_cost_usd', 'actual_cost_usd',
]);

const LONG_NAME = 100;

const isRuntimeField = (name: string): boolean => RUNTIME_FIELDS.has(name);

/** The name of a key that can repeat another (a plain key with a place), or null. */
function comparableKey(pair: Pair): string | null {
  return (pair.key as Node | null)?.range ? keyName(pair) : null;
}

/** Up to this many keys, a mapping's keys are compared pairwise (a set per mapping was most of the check's cost). */
const PAIRWISE_KEYS = 32;

/** Whether a key before `i` has the name `name`. */
function repeatsEarlier(pairs: readonly Pair[], i: number, name: string): boolean {
  for (let j = 0; j < i; j++) if (comparableKey(pairs[j]) === name) return true;
  return false;
}

/** yaml-syntax for each repeated key of `map` and its nested mappings (run on every task). */
function duplicateKeys(map: YAMLMap, seg: Seg, task: string | null, out: Finding[]): void {
  const pairs = map.items;
  const seen = pairs.length > PAIRWISE_KEYS ? new Set<string>() : null;
  for (let i = 0; i < pairs.length; i++) {
    const name = comparableKey(pairs[i]);
    if (name === null) continue;
    const repeated = seen ? seen.has(name) : repeatsEarlier(pairs, i, name);
    seen?.add(name);
    if (!repeated) continue;
    const range = (pairs[i].key as Node).range as [number, number, number];
    out.push(finding('yaml-syntax', `Map keys must be unique: \`${name}\` appears more than once in this mapping (only the last one counts)`, { seg, span: { start: range[0], end: range[1] } }, task));
  }
  for (const pair of pairs) if (isMap(pair.value)) duplicateKeys(pair.value, seg, task, out);
}

export function taskLocalFindings(facts: TaskFacts, value: Record<string, unknown>, seg: Seg, target: ResolvedTarget): Finding[] {
  const out: Finding[] = [];
  const task = taskRef(facts);
  const at = (span: Span) => ({ seg, span });
  const who = quotedLabel(facts);

  duplicateKeys(facts.node, seg, task, out);

  for (const problem of schemaProblems(taskErrors(value), facts.node, facts.firstKeySpan)) {
    if (problem.kind === 'unknown-key') {
      const fixes: FixSpec[] = (problem.suggestions ?? []).map((s, i) => ({ kind: 'replace', title: `Change to \`${s}\``, at: at(problem.span), text: s, preferred: i === 0 }));
      out.push(finding('unknown-key', `${problem.message} of task ${who}${unknownKeyAdvice(problem.suggestions)}`, at(problem.span), task, { fixes }));
    } else {
      out.push(finding('schema', `task ${who}: ${problem.message}`, at(problem.span), task));
    }
  }

  for (const { name, key, pairSpan } of keysOf(facts.node, isRuntimeField)) {
    const span = spanOf(key);
    if (!span) continue;
    out.push(
      finding('runtime-field', `\`${name}\` is written by the runtime and ignored here: a task always starts pending. Remove it from task ${who}`, at(span), task, {
        fixes: [{ kind: 'delete-pair', title: `Remove \`${name}\``, at: at(pairSpan), preferred: true }],
      }),
    );
  }

  if (facts.name !== null && facts.name.length > LONG_NAME && facts.nameSpan) {
    out.push(finding('long-name', `the name of task ${who} has ${facts.name.length} characters; apflow's database keeps 100: shorten it`, at(facts.nameSpan), task));
  }

  out.push(...droppedFieldFindings(facts, seg, target), ...priorityZeroFindings(facts, seg, target.target));

  for (const problem of scheduleProblems(facts.node)) {
    const fixes: FixSpec[] = problem.rewrite ? [{ kind: 'replace', title: `Rewrite as \`${problem.rewrite}\``, at: at(problem.span), text: problem.rewrite, preferred: true }] : [];
    out.push(finding(problem.code, `task ${who}: ${problem.message}`, at(problem.span), task, { fixes }));
  }

  if (facts.executor === null) {
    const fixes: FixSpec[] = facts.deps.length
      ? [{ kind: 'set-executor', title: 'Use `aggregate_results_executor`', task: 'self', executor: 'aggregate_results_executor', preferred: true }]
      : [];
    out.push(
      finding(
        'missing-executor',
        `task ${who} has no executor: set \`schemas.method\` (or \`params.executor_id\`) to a built-in executor or one declared under \`executors:\``,
        at(facts.nameKeySpan ?? facts.firstKeySpan),
        task,
        { fixes },
      ),
    );
    out.push(...nameAsExecutorFindings(facts, seg));
  }

  const inputsNode = valueOf(facts.node, 'inputs');
  const inputs = (value.inputs ?? {}) as unknown;
  const entry = facts.executor ? catalogueEntry(facts.executor) : undefined;
  if (entry) {
    out.push(...inputProblems(builtinInputValidator(entry), `\`${entry.id}\``, facts, inputs, inputsNode, seg));
    out.push(...executorParamFindings(entry, facts, value, seg));
  }
  const ownSchema = (value.schemas as { input_schema?: unknown } | null | undefined)?.input_schema;
  if (ownSchema && typeof ownSchema === 'object') out.push(...inputProblems(compileUserSchema(ownSchema), '`schemas.input_schema`', facts, inputs, inputsNode, seg));

  return out;
}
