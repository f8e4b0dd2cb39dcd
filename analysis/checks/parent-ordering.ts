// `parent-ordering` (issue 11): `parent_id` does not guarantee an order. apflow 0.18 and 0.20 start a
// node's ready children before the node (depth-first), and after every completion start every ready
// task in priority order, parents included; the embedded runtime follows dependencies only. So a
// parent may run before, after or between its children. The warning fires only where the file shows
// that its author relies on an order that no dependency gives (child C, parent P, neither depending on
// the other, directly or transitively):
//  1. P aggregates results: it may run before C finishes and miss C's result;
//  2. C and P both have a priority and C's comes later, and P does work (it has an executor, or it has
//     C as its only child: a step of a chain): priority ranks only tasks that are ready. A parent with
//     no executor over several children is a container, whose place in the order means nothing;
//  3. C has no inputs and no dependencies while its executor requires inputs, and P does work: C can
//     only be waiting for P's result, which parent_id never passes;
//  4. P and C both change state outside the tree (a command, a remote command, a container): steps
//     with side effects written parent-then-child, like `mkdir` then `touch`.
// A child that is just grouped under its parent (the common case in apflow's own trees) never warns.
import { catalogueEntry } from '../catalogue';
import { finding, type Finding, type FixSpec } from '../findings';
import { Reachability } from '../graph';
import type { TaskFacts } from '../task-facts';
import { keyOf, ownerOf, refTo, type GraphContext } from './context';

/** apflow treats any executor whose id contains `aggregate` as an aggregator when it merges results. */
function aggregates(executor: string | null): boolean {
  return executor !== null && executor.includes('aggregate');
}

/** The catalogue executor of `task` requires inputs that the task does not give. */
function needsInputs(task: TaskFacts): boolean {
  const required = task.executor === null ? undefined : catalogueEntry(task.executor)?.inputSchema.required;
  return !task.hasInputs && (required?.length ?? 0) > 0;
}

/** Executors whose work is a side effect on a machine, so that their order matters by itself. */
const SIDE_EFFECTS = new Set(['command_executor', 'ssh_executor', 'docker_executor']);

type Reliance = 'aggregator' | 'priority' | 'result' | 'side-effects';

function reliance(child: TaskFacts, parent: TaskFacts, siblings: number): Reliance | null {
  if (aggregates(parent.executor)) return 'aggregator';
  const works = parent.executor !== null || siblings === 1;
  if (works && child.priorityWritten && parent.priorityWritten && child.priority > parent.priority) return 'priority';
  if (parent.executor !== null && child.deps.length === 0 && needsInputs(child)) return 'result';
  if (SIDE_EFFECTS.has(parent.executor ?? '') && SIDE_EFFECTS.has(child.executor ?? '')) return 'side-effects';
  return null;
}

const NO_ORDER = 'parent_id does not guarantee order';
const CHILDREN_FIRST = "apflow starts a task's ready children before the task itself";

function message(kind: Reliance, child: string, parent: string, tasks: readonly TaskFacts[], c: number, p: number): string {
  switch (kind) {
    case 'aggregator':
      return `'${parent}' aggregates its children's results but does not depend on '${child}': ${NO_ORDER}, so '${parent}' may run before '${child}' finishes and miss its result`;
    case 'priority':
      return `'${child}' has a later priority (${tasks[c].priority}) than its parent '${parent}' (${tasks[p].priority}) but does not depend on it: ${NO_ORDER} and priority only ranks tasks that are ready (${CHILDREN_FIRST}), so '${child}' may run first`;
    case 'result':
      return `'${child}' has no inputs and no dependencies, so it can only be waiting for the result of its parent '${parent}': ${NO_ORDER} and passes no results (${CHILDREN_FIRST}). Make '${child}' depend on '${parent}'`;
    case 'side-effects':
      return `'${child}' and its parent '${parent}' both run \`${tasks[c].executor}\`, whose effects are ordered only by dependencies, but neither depends on the other: ${NO_ORDER} (${CHILDREN_FIRST}), so '${child}' may run before '${parent}'`;
  }
}

function fixFor(kind: Reliance, tasks: readonly TaskFacts[], c: number, p: number): FixSpec {
  const [child, parent] = [refTo(tasks, c), refTo(tasks, p)];
  return kind === 'aggregator'
    ? { kind: 'add-dependency', title: `Add \`${child}\` to the dependencies of \`${parent}\``, task: p, ref: child, preferred: true }
    : { kind: 'add-dependency', title: `Add \`${parent}\` to the dependencies of \`${child}\``, task: c, ref: parent, preferred: true };
}

export function parentOrderingFindings(ctx: GraphContext): Finding[] {
  const { tasks, resolution, components } = ctx;
  const childCount = new Int32Array(tasks.length);
  for (const p of resolution.parent) if (p >= 0) childCount[p]++;
  // The cheap tests first: reachability is asked only for the children that show a reliance.
  const candidates = new Map<number, { child: number; kind: Reliance }[]>();
  tasks.forEach((task, c) => {
    const p = resolution.parent[c];
    if (p < 0 || p === c || resolution.edges[c].includes(p) || resolution.edges[p].includes(c)) return;
    const kind = reliance(task, tasks[p], childCount[p]);
    if (!kind) return;
    const list = candidates.get(p);
    if (list) list.push({ child: c, kind });
    else candidates.set(p, [{ child: c, kind }]);
  });
  if (!candidates.size) return [];
  const reach = new Reachability(resolution.edges, components);
  const unrelated: { c: number; p: number; kind: Reliance }[] = [];
  for (const [p, children] of candidates) {
    const related = reach.related(
      p,
      children.map((x) => x.child),
    );
    children.forEach(({ child: c, kind }, k) => {
      if (!related[k]) unrelated.push({ c, p, kind });
    });
  }
  return unrelated
    .sort((a, b) => a.c - b.c)
    .map(({ c, p, kind }) =>
      finding('parent-ordering', message(kind, keyOf(tasks, c), keyOf(tasks, p), tasks, c, p), { task: c, slot: 'parent' }, ownerOf(tasks, c), {
        fixes: [fixFor(kind, tasks, c, p)],
      }),
    );
}
