// Typing in a task's name should cost what typing in a value costs. A name is part of the graph
// signature because references may use it, yet most names are referenced by nothing: when the task has
// an id (so messages name it by id), nothing else the graph reads changed, no reference is written as
// the old or the new name, no other task has either name, and no unknown reference could now be
// suggested it, the whole-file findings stay exactly the same and only the name index needs updating.
import type { Resolution } from './graph';
import type { GraphState, ParsedTask } from './state';
import { graphSignature, type TaskFacts } from './task-facts';

/**
 * Every reference the resolved tasks write (parent_id and dependencies), built once per resolution:
 * a resolution that an inert name edit carried over (withNameEdit keeps its per-task lists) has the
 * same references, so typing in a name reads a set instead of scanning every task's references.
 */
const referencesOf = new WeakMap<Resolution['depTargets'], ReadonlySet<string>>();

function references(resolution: Resolution): ReadonlySet<string> {
  let refs = referencesOf.get(resolution.depTargets);
  if (refs === undefined) {
    const all = new Set<string>();
    for (const facts of resolution.tasks) {
      if (facts.hasParent && facts.parentRef !== null) all.add(facts.parentRef);
      for (const dep of facts.deps) if (dep.ref !== null) all.add(dep.ref);
    }
    referencesOf.set(resolution.depTargets, (refs = all));
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
  if (graph.findings.some((f) => f.code === 'unknown-reference')) return false;
  // byName holds the first task of each name; any later one with the same name is a duplicate.
  if (graph.resolution.duplicateNames.some((i) => i !== index && tasks[i].facts.name === from)) return false;
  const refs = references(graph.resolution);
  return !refs.has(from) && !refs.has(to);
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
