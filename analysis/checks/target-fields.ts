// Task fields the target apflow line reads differently from this format. `dropped-field`: keys it
// has no column for, so apflow drops them silently when it creates the task (an ETL example's three
// attempts vanish on a 0.18 server; the list per line is in target.ts). `priority-zero-last`: below.
import { finding, type Finding, type Seg } from '../findings';
import { taskRef } from '../identity';
import { droppedFields, type ApflowTarget, type ResolvedTarget } from '../target';
import { keysOf, type TaskFacts } from '../task-facts';
import { spanOf, valueOf } from '../yaml-nodes';
import { quotedLabel } from './labels';

/**
 * A warning when the file or the host chose the line; information when 0.18 is only the default: the
 * tree may never leave the embedded runtime, which does read these fields.
 */
export function droppedFieldFindings(facts: TaskFacts, seg: Seg, { target, source }: ResolvedTarget): Finding[] {
  const dropped = droppedFields(target);
  const chosen = source !== 'default';
  if (!dropped.length) return [];
  const out: Finding[] = [];
  for (const { name, key, pairSpan } of keysOf(facts.node, (name) => dropped.includes(name))) {
    const span = spanOf(key);
    if (!span) continue;
    const found = finding(
      'dropped-field',
      `apflow ${target} has no \`${name}\` field and drops it silently from task ${quotedLabel(facts)}${chosen ? '' : ` (${target} is the default target)`}: remove it, or set \`apflow_version: "0.20"\` if the tree runs on apflow 0.20`,
      { seg, span },
      taskRef(facts),
      { fixes: [{ kind: 'delete-pair', title: `Remove \`${name}\``, at: { seg, span: pairSpan }, preferred: true }] },
    );
    out.push(chosen ? found : { ...found, severity: 'information' });
  }
  return out;
}

/**
 * `priority-zero-last` (spec 3.9): apflow groups the pending tasks under a node by `priority or 999`,
 * so its first pass starts a priority-0 task after those of priority 1–3 (018 and 020
 * task_manager.py `_execute_task_tree_recursive`, identical on both lines); here 0 runs first. Only a
 * task with a parent is grouped so. Written per task, so that a priority edit stays a value edit.
 */
export function priorityZeroFindings(facts: TaskFacts, seg: Seg, target: ApflowTarget): Finding[] {
  const node = valueOf(facts.node, 'priority');
  const span = spanOf(node);
  if (facts.priority !== 0 || !facts.hasParent || !span) return [];
  return [
    finding(
      'priority-zero-last',
      `task ${quotedLabel(facts)} has priority 0: it starts first here, but apflow ${target} starts it after the tasks of priority 1–3 under the same parent (its first pass reads 0 as 999); use priority 1 if it must start first there too`,
      { seg, span },
      taskRef(facts),
    ),
  ];
}
