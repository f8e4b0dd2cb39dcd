// `priority-overuse` (guide: "Set Appropriate Priorities … consistently and sparingly"): priority 0 is
// for the critical few. When more than a quarter of the tasks (and at least four) have it, it ranks
// nothing. One warning, on the first such task, with the others as related information.
import { finding, type Finding } from '../findings';
import { keyOf, ownerOf, type GraphContext } from './context';

const URGENT = 0;
const MIN_COUNT = 4;
/** Related entries listed at most: the message gives the count. */
const MAX_RELATED = 10;

export function priorityFindings(ctx: GraphContext): Finding[] {
  const { tasks } = ctx;
  const urgent: number[] = [];
  tasks.forEach((t, i) => {
    if (t.priorityWritten && t.priority === URGENT) urgent.push(i);
  });
  if (urgent.length < MIN_COUNT || urgent.length * 4 <= tasks.length) return [];
  const [first, ...others] = urgent;
  const message = `${urgent.length} of ${tasks.length} tasks have priority 0: keep 0 for the few critical tasks and give the others 1 (high), 2 (normal, the default) or 3 (low), or priority ranks nothing`;
  return [
    finding('priority-overuse', message, { task: first, slot: 'priority' }, ownerOf(tasks, first), {
      related: others.slice(0, MAX_RELATED).map((i) => ({ at: { task: i, slot: 'priority' }, message: `'${keyOf(tasks, i)}' also has priority 0` })),
    }),
  ];
}
