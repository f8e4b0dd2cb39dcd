// Typing in a task's name should cost what typing in a value costs. A name is part of the graph
// signature because references may use it, yet most names are referenced by nothing: when the task has
// an id (so messages name it by id), nothing else the graph reads changed, no reference is written as
// the old or the new name, no other task has either name, and no unknown reference could now be
// suggested it, the whole-file findings stay exactly the same and only the name index needs updating.
import type { GraphState, ParsedTask } from './state';
import { graphSignature, type TaskFacts } from './task-facts';

function referencedAnywhere(tasks: readonly ParsedTask[], names: readonly string[]): boolean {
  for (const { facts } of tasks) {
    if (facts.hasParent && facts.parentRef !== null && names.includes(facts.parentRef)) return true;
    for (const dep of facts.deps) if (dep.ref !== null && names.includes(dep.ref)) return true;
  }
  return false;
}

/** Whether task `index` going from `before` to `after` is a name change the graph checks cannot see. */
export function nameEditIsInert(graph: GraphState, tasks: readonly ParsedTask[], index: number, before: TaskFacts, after: TaskFacts): boolean {
  const { byName } = graph.resolution;
  const [from, to] = [before.name, after.name];
  if (from === null || to === null || from === to || before.id === null || before.id !== after.id) return false;
  if (graphSignature({ ...after, name: from }) !== graphSignature(before)) return false;
  if (byName.get(from) !== index || byName.has(to)) return false;
  if (graph.findings.some((f) => f.code === 'unknown-reference')) return false;
  if (tasks.some((t, i) => i !== index && t.facts.name === from)) return false;
  return !referencedAnywhere(tasks, [from, to]);
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
