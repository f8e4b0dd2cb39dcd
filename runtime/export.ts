// Export to apflow (spec 3.10): the task array `apflow run flow --tasks-file` and `tasks.create`
// accept. Every apflow field stays as written; the (ext) `timeout` goes (the top-level extensions
// are not part of the array at all), and `max_attempts` is written out because apflow v2 defaults to
// 3 where this format defaults to 1.
import type { TreeModel } from '../analysis';
import type { JsonObject } from './types';

export function apflowTaskArray(model: TreeModel): JsonObject[] {
  return model.tasks.map((def) => {
    const { timeout: _dropped, ...task } = def.value;
    return { ...task, max_attempts: typeof task.max_attempts === 'number' ? task.max_attempts : 1 };
  });
}
