// What apflow reads from where, for a built-in executor: constructor arguments it needs under
// `params` (crewai's `works`), and inputs only the embedded runtime reads (`ignored-input`: apflow's
// command_executor has no `cwd` or `env`). The facts per executor are in catalogue.ts.
import type { Node } from 'yaml';
import type { CatalogueEntry } from '../catalogue';
import { finding, type Finding, type Seg } from '../findings';
import { taskRef } from '../identity';
import { keysOf, type TaskFacts } from '../task-facts';
import { pairOf, spanOf, valueOf } from '../yaml-nodes';
import { quotedLabel } from './labels';

export function executorParamFindings(entry: CatalogueEntry, facts: TaskFacts, value: Record<string, unknown>, seg: Seg): Finding[] {
  const out: Finding[] = [];
  const task = taskRef(facts);
  const who = quotedLabel(facts);
  const params = value.params && typeof value.params === 'object' ? (value.params as Record<string, unknown>) : {};
  const inputs = value.inputs && typeof value.inputs === 'object' ? (value.inputs as Record<string, unknown>) : {};
  for (const key of entry.params?.required ?? []) {
    if (params[key] !== undefined && params[key] !== null) continue;
    const misplaced = key in inputs;
    const anchor = spanOf(pairOf(facts.node, 'params')?.key as Node | undefined) ?? facts.executorSpan ?? facts.nameKeySpan ?? facts.firstKeySpan;
    const advice = misplaced ? `move \`${key}\` from \`inputs\` to \`params\`` : `add \`${key}\` under \`params\``;
    out.push(finding('invalid-inputs', `task ${who} is missing \`params.${key}\` of \`${entry.id}\`: apflow passes \`params\` to the executor's constructor and reads \`${key}\` only there; ${advice}`, { seg, span: anchor }, task));
  }
  for (const { name, key } of keysOf(valueOf(facts.node, 'inputs'))) {
    const span = spanOf(key);
    if (!span || !entry.ownInputs?.includes(name)) continue;
    out.push(finding('ignored-input', `\`${name}\` of task ${who} is read only by this runtime: apflow's \`${entry.id}\` ignores it, so on an apflow server the task runs without it`, { seg, span }, task));
  }
  return out;
}
