// Typing in a task's name should cost what typing in a value costs. A name is part of the graph
// signature because references may use it, yet most names are referenced by nothing: when the task has
// an id (so messages name it by id), nothing else the graph reads changed, no reference is written as
// the old or the new name, no other task has either name, and neither name is near enough to an
// unknown reference to be suggested for it, the whole-file findings stay exactly the same and only
// the name index needs updating. (One broken reference anywhere in a 10,000-task file used to make
// every keystroke in any name re-run the graph checks: 50 ms each in code-server, issue 9.)
import { mayBeSuggested } from './checks/references';
import type { Resolution } from './graph';
import type { GraphState, ParsedTask } from './state';
import { graphSignature, type TaskFacts } from './task-facts';

interface References {
  /** Every reference written (parent_id and dependencies). */
  all: ReadonlySet<string>;
  /** Those that resolve to no task. */
  unknown: ReadonlySet<string>;
}

/**
 * The references the resolved tasks write, built once per resolution: a resolution that an inert name
 * edit carried over (withNameEdit keeps its per-task lists) has the same references, so typing in a
 * name reads sets instead of scanning every task's references.
 */
const referencesOf = new WeakMap<Resolution['depTargets'], References>();

function references(resolution: Resolution): References {
  let refs = referencesOf.get(resolution.depTargets);
  if (refs === undefined) {
    const all = new Set<string>();
    const unknown = new Set<string>();
    resolution.tasks.forEach((facts, i) => {
      if (facts.hasParent && facts.parentRef !== null) {
        all.add(facts.parentRef);
        if (resolution.parent[i] < 0) unknown.add(facts.parentRef);
      }
      facts.deps.forEach((dep, k) => {
        if (dep.ref === null) return;
        all.add(dep.ref);
        if (resolution.depTargets[i][k] < 0) unknown.add(dep.ref);
      });
    });
    referencesOf.set(resolution.depTargets, (refs = { all, unknown }));
  }
  return refs;
}

/** Whether task `index` going from `before` to `after` is a name change the graph checks cannot see. */
export function nameEditIsInert(graph: GraphState, tasks: readonly ParsedTask[], index: number, before: TaskFacts, after: TaskFacts): boolean {
  const { byName } = graph.resolution;
  const [from, to] = [before.name, after.name];
  if (from === null || to === null || from === to || before.id === null || before.id !== after.id) return false;
  if (graphSignature({ ...after, name: from }) !== graphSignature(before)) return false;
  if (byName.get(from) !== index || byName.has(to)) return false;
  // byName holds the first task of each name; any later one with the same name is a duplicate.
  if (graph.resolution.duplicateNames.some((i) => i !== index && tasks[i].facts.name === from)) return false;
  const { all, unknown } = references(graph.resolution);
  if (all.has(from) || all.has(to)) return false;
  for (const ref of unknown) if (mayBeSuggested(ref, from) || mayBeSuggested(ref, to)) return false;
  return true;
}

/**
 * The graph with task `index` moved from its old name to its new one in the name index. A new graph:
 * the previous one may still be read through an older snapshot.
 */
export function withNameEdit(graph: GraphState, index: number, before: TaskFacts, after: TaskFacts): GraphState {
  const byName = new Map(graph.resolution.byName);
  if (before.name !== null && byName.get(before.name) === index) byName.delete(before.name);
  if (after.name !== null) byName.set(after.name, index);
  return { ...graph, resolution: { ...graph.resolution, byName } };
}
