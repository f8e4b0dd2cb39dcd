// Hover (spec 2.3): an executor id (description, inputs, where it runs, which apflow lines ship it), a
// reference or a task (its name, executor, the file's target line, dependencies and, when the editor
// ran the tree, its last status), a key (what it means; `dependencies` also gives the merge rule of
// spec 3.4; `apflow_version` the file's target).
import type { DocumentState } from '../state';
import { describeTarget } from '../target';
import type { Range } from '../types';
import { executorInfo, executorMarkdown, inputsFor, whereItRuns } from './executors';
import { graphIndex } from './graph-index';
import { locate, type Target } from './locate';
import { rangeOf } from './positions';
import { keySchema, PRIORITY_LABELS, scopeOf, withinTask } from './scope';
import { taskLabel, taskRef } from './tasks';

export interface HoverResult {
  markdown: string;
  range: Range;
}

/** The outcome of a task in the newest run the editor knows of (supplied by the client). */
export interface RunStatus {
  status: string;
  durationMs?: number;
}

/** Looks up a task's last run by its id (or name, for a task without id). */
export type RunStatusLookup = (taskKey: string) => RunStatus | undefined;

const MERGE_RULE =
  'At run time the results of completed dependencies are merged into this task’s inputs, in the order listed ' +
  '(failed or cancelled optional dependencies contribute nothing). A result that is a mapping with a `result` key ' +
  'contributes that value. A value that is not a mapping — or any value, when this task uses ' +
  '`aggregate_results_executor` — is stored under the dependency’s id (`inputs[<dependency id>]`). Otherwise its keys ' +
  'are copied into the inputs, overwriting the task’s own inputs and earlier dependencies’ keys of the same name: ' +
  'the later dependency wins. This is apflow’s rule, kept for compatibility.';

const NOT_SCHEDULED = 'The embedded runtime does not schedule: this field is validated and exported only.';
const SCHEDULING_KEYS = new Set(['schedule_type', 'schedule_expression', 'schedule_enabled', 'schedule_start_at', 'schedule_end_at', 'max_runs']);
const MAX_LISTED = 10;

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function list(items: string[]): string {
  return items.length > MAX_LISTED ? `${items.slice(0, MAX_LISTED).join(', ')} and ${items.length - MAX_LISTED} more` : items.join(', ');
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** What a hover says about a task. */
function taskMarkdown(state: DocumentState, j: number, lastRun?: RunStatusLookup): string {
  const { facts } = state.tasks[j];
  const { resolution } = state.graph;
  const lines = [`**${taskLabel(state, j)}**${facts.id !== null && facts.name !== null ? ` (${code(facts.id)})` : ''}`];
  if (facts.executor !== null) {
    const info = executorInfo(state, facts.executor);
    const where = info ? (info.local ? whereItRuns(info) : `**${whereItRuns(info)}**`) : 'unknown';
    lines.push(`Executor: ${code(facts.executor)} — ${where}`);
  } else lines.push('Executor: none');
  lines.push(`Target: ${describeTarget(state.header.facts.target)}`);
  lines.push(`Priority: ${facts.priority}${PRIORITY_LABELS[facts.priority] ? ` (${PRIORITY_LABELS[facts.priority]})` : ''}`);
  const deps = facts.deps.flatMap((d, k) => {
    if (d.ref === null) return [];
    const resolved = (resolution.depTargets[j]?.[k] ?? -1) >= 0;
    return [`${code(d.ref)}${d.required ? '' : ' (optional)'}${resolved ? '' : ' (unknown)'}`];
  });
  lines.push(deps.length ? `Depends on: ${list(deps)}` : 'Depends on: nothing');
  const dependents = graphIndex(state).incoming[j].map((e) => code(taskRef(state, e.task) ?? taskLabel(state, e.task)));
  if (dependents.length) lines.push(`Needed by: ${list([...new Set(dependents)])}`);
  if (facts.hasParent && facts.parentRef !== null) lines.push(`Parent: ${code(facts.parentRef)}`);
  const key = taskRef(state, j);
  const run = key === null ? undefined : lastRun?.(key);
  if (run) lines.push(`Last run: ${run.status}${run.durationMs !== undefined ? ` · ${formatDuration(run.durationMs)}` : ''}`);
  return lines.join('  \n');
}

function keyMarkdown(state: DocumentState, target: Extract<Target, { kind: 'key' }>): string | null {
  const shape = state.header.facts.shape === 'invalid' ? 'mapping' : state.header.facts.shape;
  const key = target.path[target.path.length - 1];
  const parent = target.path.slice(0, -1);
  const scope = scopeOf(parent, shape);
  if (scope.kind === 'inputs' && target.task !== null) {
    const task = state.tasks[target.task];
    const own = (task.value.schemas as { input_schema?: unknown } | null | undefined)?.input_schema;
    const input = inputsFor(state, task.facts.executor, own).find((i) => i.key === key);
    if (!input) return `${code(key)}: an input that no input schema of ${task.facts.executor ? code(task.facts.executor) : 'this task'} describes.`;
    const facts = [input.type, input.required ? 'required' : 'optional', 'default' in input ? `default ${code(JSON.stringify(input.default))}` : ''].filter(Boolean).join(' · ');
    return `**${key}** — ${facts}${input.description ? `\n\n${input.description}` : ''}`;
  }
  const schema = keySchema(scope, key);
  if (!schema?.description) return null;
  const parts = [`**${key}**`, schema.description];
  const inTask = withinTask(parent, shape);
  if (scope.kind === 'task' && key === 'dependencies') parts.push(MERGE_RULE);
  if (scope.kind === 'root' && key === 'apflow_version') parts.push(`This file: ${describeTarget(state.header.facts.target)}.`);
  if (inTask && inTask.length === 0 && SCHEDULING_KEYS.has(key) && !/embedded runtime/.test(schema.description)) parts.push(NOT_SCHEDULED);
  return parts.join('\n\n');
}

function markdownFor(state: DocumentState, target: Target, lastRun?: RunStatusLookup): string | null {
  switch (target.kind) {
    case 'executor':
    case 'declaration':
    case 'python': {
      const info = executorInfo(state, target.id);
      // An unknown executor or reference has its diagnostic right there, which VS Code shows in the same
      // hover: saying it again would only repeat it.
      if (!info) return null;
      return executorMarkdown(info, inputsFor(state, info.id, null));
    }
    case 'module':
      return `Module of the workspace executor ${code(target.id)}: ${code(target.module)}, relative to this file. The language server never loads it; the runtime does when the tree runs.`;
    case 'reference':
      return target.target === null ? null : taskMarkdown(state, target.target, lastRun);
    case 'task':
      return taskMarkdown(state, target.task, lastRun);
    case 'key':
      return keyMarkdown(state, target);
  }
}

export function hover(state: DocumentState, offset: number, lastRun?: RunStatusLookup): HoverResult | null {
  const target = locate(state, offset);
  if (!target) return null;
  const markdown = markdownFor(state, target, lastRun);
  return markdown ? { markdown, range: rangeOf(state, target.span) } : null;
}
