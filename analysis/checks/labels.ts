// How messages name a task: by id, else by name (spec 2.1).
import { taskRef } from '../identity';
import type { TaskFacts } from '../task-facts';

export function quotedLabel(facts: TaskFacts): string {
  const label = taskRef(facts);
  return label === null ? 'this task' : `'${label}'`;
}
