// `unreachable` (spec 2.1): tasks that can never run because a required dependency, directly or
// through a chain of required dependencies, can never complete. One breadth-first search from every
// cause over reversed required edges: linear in tasks + dependencies, and it yields the shortest chain.
import { catalogueEntry } from '../catalogue';
import { finding, type Finding } from '../findings';
import { keyOf, ownerOf, type GraphContext } from './context';

type Cause = { kind: 'cycle' } | { kind: 'self' } | { kind: 'missing' } | { kind: 'unknown'; executor: string } | { kind: 'reference'; ref: string };

function describeCause(cause: Cause): string {
  switch (cause.kind) {
    case 'cycle':
      return 'which is in a dependency cycle';
    case 'self':
      return 'which depends on itself';
    case 'missing':
      return 'which has no executor';
    case 'unknown':
      return `whose executor '${cause.executor}' is unknown`;
    case 'reference':
      return `which requires '${cause.ref}', which does not exist`;
  }
}

export function unreachableFindings(ctx: GraphContext): Finding[] {
  const { tasks, resolution, components } = ctx;
  const n = tasks.length;
  const declared = new Set(ctx.header.executors.map((d) => d.id));
  const causes: (Cause | null)[] = new Array(n).fill(null);
  /** Tasks that carry a diagnostic of their own for the same reason get no `unreachable`. */
  const ownProblem = new Uint8Array(n);
  tasks.forEach((t, i) => {
    const targets = resolution.depTargets[i];
    const unresolvedRequired = t.deps.findIndex((d, k) => d.required && d.ref !== null && targets[k] < 0);
    let cause: Cause | null = null;
    if (components.size[components.of[i]] > 1) cause = { kind: 'cycle' };
    else if (targets.includes(i)) cause = { kind: 'self' };
    else if (t.executor === null) cause = { kind: 'missing' };
    else if (!catalogueEntry(t.executor) && !declared.has(t.executor)) cause = { kind: 'unknown', executor: t.executor };
    else if (unresolvedRequired >= 0) cause = { kind: 'reference', ref: t.deps[unresolvedRequired].ref as string };
    causes[i] = cause;
    const unresolvedAny = targets.some((target, k) => target < 0 && t.deps[k].ref !== null) || (t.hasParent && t.parentRef !== null && resolution.parent[i] < 0);
    if (cause || unresolvedAny) ownProblem[i] = 1;
  });

  const dependents: number[][] = Array.from({ length: n }, () => []);
  tasks.forEach((t, i) => {
    resolution.depTargets[i].forEach((target, k) => {
      if (target >= 0 && target !== i && t.deps[k].required) dependents[target].push(i);
    });
  });

  const dist = new Int32Array(n).fill(-1);
  const queue: number[] = [];
  causes.forEach((c, i) => {
    if (c) {
      dist[i] = 0;
      queue.push(i);
    }
  });
  if (!queue.length) return [];
  for (let head = 0; head < queue.length; head++) {
    const u = queue[head];
    for (const t of dependents[u]) {
      if (dist[t] !== -1) continue;
      dist[t] = dist[u] + 1;
      queue.push(t);
    }
  }

  // In queue order (non-decreasing distance) each task's next step and root cause are already known.
  const next = new Int32Array(n).fill(-1);
  const origin = new Int32Array(n).fill(-1);
  const out: Finding[] = [];
  for (const t of queue) {
    if (dist[t] === 0) {
      origin[t] = t;
      continue;
    }
    const targets = resolution.depTargets[t];
    const k = tasks[t].deps.findIndex((d, j) => d.required && targets[j] >= 0 && targets[j] !== t && dist[targets[j]] === dist[t] - 1);
    next[t] = targets[k];
    origin[t] = origin[next[t]];
    if (ownProblem[t]) continue;
    const steps = dist[t];
    const cause = describeCause(causes[origin[t]] as Cause);
    let chain: string;
    if (steps <= 3) {
      const names: string[] = [];
      for (let v = next[t]; v >= 0 && names.length < steps; v = next[v]) names.push(`requires ${keyOf(tasks, v)}`);
      chain = `${names.join(' → ')}, ${cause}`;
    } else {
      chain = `requires ${keyOf(tasks, next[t])} → … → ${keyOf(tasks, origin[t])}, ${cause} (${steps} steps)`;
    }
    out.push(finding('unreachable', `never runs: ${chain}`, { task: t, slot: 'nameKey' }, ownerOf(tasks, t)));
  }
  return out;
}
