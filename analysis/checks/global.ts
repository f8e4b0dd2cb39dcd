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

export function graphFindings(ctx: GraphContext): Finding[] {
  return [
    ...referenceFindings(ctx),
    ...cycleFindings(ctx),
    ...rootFindings(ctx),
    ...executorFindings(ctx),
    ...unreachableFindings(ctx),
    ...parentOrderingFindings(ctx),
    ...treeSizeFindings(ctx),
    ...timeoutFindings(ctx),
    ...priorityFindings(ctx),
    ...fallbackFindings(ctx),
  ];
}
