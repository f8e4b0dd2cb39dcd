// `invalid-inputs`: a task's inputs against an executor's input schema (spec 2.1).
import type { ValidateFunction } from 'ajv';
import type { Node } from 'yaml';
import { finding, type Anchor, type Finding, type Seg } from '../findings';
import { taskRef } from '../identity';
import { schemaProblems } from '../schema-check';
import type { TaskFacts } from '../task-facts';
import { pairOf, spanOf } from '../yaml-nodes';
import { quotedLabel } from './labels';

/**
 * `schema` is the compiled input schema, or the reason it could not be compiled (reported where the
 * schema is written, not here). `source` names it in messages.
 */
export function inputProblems(
  schema: ValidateFunction | string,
  source: string,
  facts: TaskFacts,
  inputs: unknown,
  inputsNode: Node | null,
  seg: Seg,
): Finding[] {
  if (typeof schema === 'string') return [];
  if (schema(inputs ?? {})) return [];
  const task = taskRef(facts);
  const inputsKey = spanOf(pairOf(facts.node, 'inputs')?.key as Node | undefined);
  const keyAnchor: Anchor = { seg, span: inputsKey ?? facts.executorSpan ?? facts.nameKeySpan ?? facts.firstKeySpan };
  const root = inputsNode ?? facts.node;
  const problems = schemaProblems(schema.errors, root, keyAnchor.span, ['inputs']);
  // A task with dependencies receives their results merged into its inputs (spec 3.4, apflow's own
  // schema-based execution): what it lacks may arrive then, so only a task without any is told.
  const fedByDependencies = facts.deps.some((d) => d.ref !== null);
  const missing = fedByDependencies ? [] : problems.filter((p) => p.missing && p.span === keyAnchor.span).map((p) => p.missing as string);
  const properties = (schema.schema as { properties?: Record<string, { type?: unknown; default?: unknown }> }).properties ?? {};
  const out: Finding[] = [];
  for (const problem of problems) {
    if (problem.missing && problem.span === keyAnchor.span) continue;
    out.push(finding('invalid-inputs', `task ${quotedLabel(facts)}: ${problem.message} (input schema of ${source})`, { seg, span: problem.span }, task));
  }
  if (missing.length) {
    const list = missing.map((m) => `\`${m}\``).join(', ');
    out.push(
      finding('invalid-inputs', `task ${quotedLabel(facts)} is missing required input${missing.length > 1 ? 's' : ''} ${list} of ${source}: add ${missing.length > 1 ? 'them' : 'it'} under \`inputs\``, keyAnchor, task, {
        fixes: [{ kind: 'add-inputs', title: 'Add missing inputs', task: 'self', entries: missing.map((key) => ({ key, value: placeholder(properties[key]) })), preferred: true }],
      }),
    );
  }
  return out;
}

/** A value of the right type for the user to fill in; valid in YAML and JSON alike. */
function placeholder(property: { type?: unknown; default?: unknown } | undefined): string {
  if (property?.default !== undefined) return JSON.stringify(property.default);
  const type = Array.isArray(property?.type) ? property?.type[0] : property?.type;
  switch (type) {
    case 'array':
      return '[]';
    case 'object':
      return '{}';
    case 'number':
    case 'integer':
      return '0';
    case 'boolean':
      return 'false';
    default:
      return '""';
  }
}
