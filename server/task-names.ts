// The id and name of each task of an analysed version, for matching run records (analysis/identity)
// and naming tasks in lenses. Read from the parse's facts, once per version: the model's `tasks`
// would build every task's plain value first (60–110 ms at 10,000 tasks, on every edit).
import type { TaskNames } from '../analysis/identity';
import type { Current } from './documents';

export function taskNames(doc: Current): readonly TaskNames[] {
  return doc.memo('taskNames', () => doc.analysis.state.tasks.map((t) => t.facts));
}
