// `name-as-executor`: a task without an executor whose name is a built-in executor's id. apflow takes
// the executor from `params.executor_id` or `schemas.method` only, never from the name, so the task
// fails with "Executor ID not specified"; the fix writes the name into `schemas.method`. A task-local
// check (it must follow every keystroke in the name), so it knows the built-ins, not the file's
// workspace executors.
import { BUILTIN_EXECUTOR_IDS } from '../catalogue';
import { finding, type Finding, type Seg } from '../findings';
import { taskRef } from '../identity';
import type { TaskFacts } from '../task-facts';

export function nameAsExecutorFindings(facts: TaskFacts, seg: Seg): Finding[] {
  const name = facts.name;
  if (facts.executor !== null || name === null || !facts.nameSpan || !BUILTIN_EXECUTOR_IDS.includes(name)) return [];
  return [
    finding(
      'name-as-executor',
      `task '${taskRef(facts)}' is named \`${name}\` but has no executor: apflow never takes the executor from the name. Set \`schemas.method: ${name}\``,
      { seg, span: facts.nameSpan },
      taskRef(facts),
      { fixes: [{ kind: 'set-executor', title: `Set \`schemas.method\` to \`${name}\``, task: 'self', executor: name, preferred: true }] },
    ),
  ];
}
