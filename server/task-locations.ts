// apflow/taskLocations: where each task of an open document is, from the server's current analysis,
// so that the extension positions run diagnostics, "Reveal Task in File" and its task pickers without
// parsing the file a second time.
import type { TaskDef } from '../analysis';
import type { TaskLocation, TaskLocations } from '../protocol';
import type { Current } from './documents';

export function taskLocations(doc: Current): TaskLocations {
  return doc.memo('taskLocations', () => ({ version: doc.document.version, tasks: doc.snapshot.model.tasks.map((task) => locate(doc, task)) }));
}

function locate(doc: Current, task: TaskDef): TaskLocation {
  const at = (offset: number) => doc.document.positionAt(offset);
  const nameKey = task.nameKeySpan ?? task.idSpan ?? { start: task.span.start, end: task.span.start };
  return {
    index: task.index,
    id: task.id,
    name: task.name,
    key: task.key,
    executor: task.executor,
    range: { start: at(task.span.start), end: at(task.span.end) },
    nameKeyRange: { start: at(nameKey.start), end: at(nameKey.end) },
  };
}
