// All checks that need the whole file. They run only when the graph may have changed (an id, a name,
// a parent_id, a dependency list, an executor or the header): see document.ts.
import type { Finding } from '../findings';
import type { GraphContext } from './context';
import { cycleFindings } from './cycles';
import { executorFindings } from './executors';
import { parentOrderingFindings } from './parent-ordering';
import { referenceFindings } from './references';
import { rootFindings } from './roots';
import { unreachableFindings } from './unreachable';

export function graphFindings(ctx: GraphContext): Finding[] {
  return [
    ...referenceFindings(ctx),
    ...cycleFindings(ctx),
    ...rootFindings(ctx),
    ...executorFindings(ctx),
    ...unreachableFindings(ctx),
    ...parentOrderingFindings(ctx),
  ];
}
