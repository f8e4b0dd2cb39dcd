// All checks that need the whole file. They run only when something they read may have changed (an
// id, a name, a parent_id, a dependency list, an executor, a priority, whether a timeout or inputs are
// set, or the header): see graphSignature in task-facts.ts and document.ts.
import type { Finding } from '../findings';
import type { GraphContext } from './context';
import { cycleFindings } from './cycles';
import { executorFindings } from './executors';
import { fallbackFindings } from './fallbacks';
import { parentOrderingFindings } from './parent-ordering';
import { priorityFindings } from './priorities';
import { referenceFindings } from './references';
import { rootFindings } from './roots';
import { timeoutFindings } from './timeouts';
import { treeSizeFindings } from './tree-size';
import { unreachableFindings } from './unreachable';

/** Each check, and whether it reads the dependency lists (in the order the findings are listed). */
const CHECKS: readonly { run: (ctx: GraphContext) => Finding[]; readsDependencies: boolean }[] = [
  { run: referenceFindings, readsDependencies: true },
  { run: cycleFindings, readsDependencies: true },
  { run: rootFindings, readsDependencies: true },
  { run: executorFindings, readsDependencies: false },
  { run: unreachableFindings, readsDependencies: true },
  { run: parentOrderingFindings, readsDependencies: true },
  { run: treeSizeFindings, readsDependencies: false },
  { run: timeoutFindings, readsDependencies: false },
  { run: priorityFindings, readsDependencies: false },
  { run: fallbackFindings, readsDependencies: true },
];

/** The findings of each check, in the order of CHECKS. */
export type CheckFindings = readonly (readonly Finding[])[];

/**
 * Runs the checks. `unchanged`: the findings of the last run, when no task but in its dependency list
 * has changed since (nor the header, the workspace or the settings): the checks that read no
 * dependency keep theirs, as their findings point at tasks by index and those stay.
 */
export function graphFindings(ctx: GraphContext, unchanged?: CheckFindings): CheckFindings {
  return CHECKS.map((check, k) => (unchanged && !check.readsDependencies ? unchanged[k] : check.run(ctx)));
}
