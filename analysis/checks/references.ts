// Identity and reference checks: duplicate ids and names, references that resolve to nothing,
// self-dependencies and repeated dependencies (spec 1.3, 2.1).
import { finding, type Finding, type FixSpec } from '../findings';
import { TaskFlag, type Resolution } from '../graph';
import { closest } from '../text';
import { flagged, keyOf, ownerOf, type GraphContext } from './context';

/** Above this many (unknown references × candidates), suggestions are skipped to stay fast. */
const SUGGESTION_BUDGET = 2_000_000;
/** How far (in edits) a suggestion for an unknown reference may be from it, and how many are offered. */
const SUGGESTION_DISTANCE = 3;
const SUGGESTIONS = 3;

/** Whether `candidate` is near enough to the unknown reference `ref` to be suggested for it. */
export function mayBeSuggested(ref: string, candidate: string): boolean {
  return closest(ref, [candidate], SUGGESTION_DISTANCE, 1).length > 0;
}

function duplicates(ctx: GraphContext, out: Finding[]): void {
  const { tasks, resolution } = ctx;
  for (const i of resolution.duplicateIds) {
    const id = tasks[i].id as string;
    const first = resolution.byId.get(id) as number;
    out.push(
      finding('duplicate-id', `another task already has the id '${id}': ids must be unique within the file, so rename one of them`, { task: i, slot: 'id' }, id, {
        related: [{ at: { task: first, slot: 'id' }, message: `first task with the id '${id}'` }],
      }),
    );
  }
  for (const i of resolution.duplicateNames) {
    const name = tasks[i].name as string;
    const first = resolution.byName.get(name) as number;
    out.push(
      finding('duplicate-name', `another task already has the name '${name}': names must be unique within the file (references may use them), so rename one of them`, { task: i, slot: 'name' }, ownerOf(tasks, i), {
        related: [{ at: { task: first, slot: 'name' }, message: `first task named '${name}'` }],
      }),
    );
  }
}

/**
 * What a reference may name, per index by name: a resolution keeps its indexes while no id or name
 * changes, and a name edit replaces only the index by name (name-edit.ts), so that is the key.
 */
const referable = new WeakMap<Resolution['byName'], { byId: Resolution['byId']; names: readonly string[] }>();

/** Every id, then every name that is not also an id: built once while the ids and names stay. */
function referableNames({ byId, byName }: Pick<Resolution, 'byId' | 'byName'>): readonly string[] {
  const known = referable.get(byName);
  if (known?.byId === byId) return known.names;
  const names = [...byId.keys()];
  for (const name of byName.keys()) if (!byId.has(name)) names.push(name);
  referable.set(byName, { byId, names });
  return names;
}

function unknownReferences(ctx: GraphContext, out: Finding[]): void {
  const { tasks, resolution } = ctx;
  const unknown: { task: number; dep: number | null; ref: string }[] = [];
  for (const i of flagged(ctx, TaskFlag.unresolvedRef)) {
    const t = tasks[i];
    if (t.hasParent && t.parentRef !== null && resolution.parent[i] < 0) unknown.push({ task: i, dep: null, ref: t.parentRef });
    t.deps.forEach((d, k) => {
      if (d.ref !== null && resolution.depTargets[i][k] < 0) unknown.push({ task: i, dep: k, ref: d.ref });
    });
  }
  if (!unknown.length) return;
  const names = referableNames(resolution);
  const suggest = unknown.length * names.length <= SUGGESTION_BUDGET;
  for (const u of unknown) {
    // A task is never its own dependency or parent: its own id and name are no suggestion.
    const own = new Set([tasks[u.task].id, tasks[u.task].name].filter((k): k is string => k !== null));
    const near = suggest ? closest(u.ref, names, SUGGESTION_DISTANCE, SUGGESTIONS, { exclude: own }) : [];
    const at = u.dep === null ? ({ task: u.task, slot: 'parent' } as const) : { task: u.task, slot: { dep: u.dep } };
    const what = u.dep === null ? 'parent_id' : 'dependency';
    const hint = near.length ? `; did you mean '${near[0]}'?` : ': use the id or name of a task in this file';
    const fixes: FixSpec[] = near.map((n, j) => ({ kind: 'replace', title: `Change to \`${n}\``, at, text: n, preferred: j === 0 && near.length === 1 }));
    out.push(finding('unknown-reference', `${what} '${u.ref}' of task '${keyOf(tasks, u.task)}' is neither the id nor the name of a task in this file${hint}`, at, ownerOf(tasks, u.task), { fixes }));
  }
}

function dependencyShape(ctx: GraphContext, out: Finding[]): void {
  const { tasks, resolution } = ctx;
  // seen[target] === i + 1: task i already listed target (one array for all tasks, not a Set each).
  const seen = new Int32Array(tasks.length);
  for (const i of flagged(ctx, TaskFlag.selfDependency | TaskFlag.repeatedDependency)) {
    resolution.depTargets[i].forEach((target, k) => {
      if (target < 0) return;
      if (target === i) {
        out.push(
          finding('self-dependency', `task '${keyOf(tasks, i)}' depends on itself, so it could never start: remove this dependency`, { task: i, slot: { dep: k } }, ownerOf(tasks, i), {
            fixes: [{ kind: 'remove-dependency', title: 'Remove dependency', task: i, dep: k, preferred: true }],
          }),
        );
        return;
      }
      if (seen[target] === i + 1) {
        out.push(
          finding('duplicate-dependency', `task '${keyOf(tasks, i)}' lists '${keyOf(tasks, target)}' twice in its dependencies (apflow keeps one): remove the duplicate`, { task: i, slot: { depEntry: k } }, ownerOf(tasks, i), {
            fixes: [{ kind: 'remove-dependency', title: 'Remove duplicate', task: i, dep: k, preferred: true }],
          }),
        );
      }
      seen[target] = i + 1;
    });
  }
}

export function referenceFindings(ctx: GraphContext): Finding[] {
  const out: Finding[] = [];
  duplicates(ctx, out);
  unknownReferences(ctx, out);
  dependencyShape(ctx, out);
  return out;
}
