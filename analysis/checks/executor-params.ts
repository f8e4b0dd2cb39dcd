// What apflow reads from where, for a built-in executor: constructor arguments it cannot do without
// (crewai's `works`, documented under `params`), and inputs only the embedded runtime reads
// (`ignored-input`: apflow's command_executor has no `cwd` or `env`). The facts per executor are in
// catalogue.ts.
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
  // apflow builds the executor with the task's inputs and params merged as constructor arguments
  // (params win), after the dependency merge: a task with dependencies may receive the key at run time.
  if (!facts.deps.length) {
    for (const key of entry.params?.required ?? []) {
      if (params[key] != null || inputs[key] != null) continue;
      const anchor = spanOf(pairOf(facts.node, 'params')?.key as Node | undefined) ?? facts.executorSpan ?? facts.nameKeySpan ?? facts.firstKeySpan;
      out.push(finding('invalid-inputs', `task ${who} is missing \`${key}\` of \`${entry.id}\`, which apflow passes to the executor's constructor: add it under \`params\``, { seg, span: anchor }, task));
    }
  }
  const own = entry.ownInputs;
  for (const { name, key } of own ? keysOf(valueOf(facts.node, 'inputs'), (name) => own.includes(name)) : []) {
    const span = spanOf(key);
    if (!span) continue;
    out.push(finding('ignored-input', `\`${name}\` of task ${who} is read only by this runtime: apflow's \`${entry.id}\` ignores it, so on an apflow server the task runs without it`, { seg, span }, task));
  }
  return out;
}
