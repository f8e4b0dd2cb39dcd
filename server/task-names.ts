// The id and name of each task of an analysed version, for matching run records (analysis/identity)
// and naming tasks in lenses: the snapshot's cheap list, not the model's full task values.
import type { TaskNames } from '../analysis';
import type { Current } from './documents';

export function taskNames(doc: Current): readonly TaskNames[] {
  return doc.snapshot.taskNames;
}
