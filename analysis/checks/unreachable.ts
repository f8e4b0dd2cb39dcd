// `unreachable` (spec 2.1): tasks that can never run because a required dependency, directly or
// through a chain of required dependencies, can never complete. One breadth-first search from every
// cause over reversed required edges: linear in tasks + dependencies, and it yields the shortest chain.
import { finding, type Finding } from '../findings';
import { TaskFlag } from '../graph';
import { codedExecutors, keyOf, ownerOf, type GraphContext } from './context';

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

/** The first required dependency entry of task `i` that satisfies `test` (its index), or -1. */
function requiredDep(ctx: GraphContext, i: number, test: (target: number, ref: string | null) => boolean): number {
  const deps = ctx.tasks[i].deps;
  const targets = ctx.resolution.depTargets[i];
  for (let k = 0; k < deps.length; k++) if (deps[k].required && test(targets[k], deps[k].ref)) return k;
  return -1;
}

/** Why task `i` can never run by itself, or null. Flags first: most tasks have none of these. */
function causeOf(ctx: GraphContext, i: number, coded: Set<string>): Cause | null {
  const { tasks, resolution, components } = ctx;
  const flags = resolution.flags[i];
  if (components.size[components.of[i]] > 1) return { kind: 'cycle' };
  if (!(flags & (TaskFlag.selfDependency | TaskFlag.noExecutor | TaskFlag.customExecutor | TaskFlag.unresolvedRequired))) return null;
  const t = tasks[i];
  if (flags & TaskFlag.selfDependency) return { kind: 'self' };
  if (t.executor === null) return { kind: 'missing' };
  if (flags & TaskFlag.customExecutor && !coded.has(t.executor)) return { kind: 'unknown', executor: t.executor };
  const unresolved = requiredDep(ctx, i, (target, ref) => target < 0 && ref !== null);
  if (unresolved >= 0) return { kind: 'reference', ref: t.deps[unresolved].ref as string };
  return null;
}

export function unreachableFindings(ctx: GraphContext): Finding[] {
  const { tasks, resolution } = ctx;
  const n = tasks.length;
  const coded = codedExecutors(ctx);
  const causes = new Map<number, Cause>();
  const dist = new Int32Array(n).fill(-1);
  const queue: number[] = [];
  for (let i = 0; i < n; i++) {
    const cause = causeOf(ctx, i, coded);
    if (!cause) continue;
    causes.set(i, cause);
    dist[i] = 0;
    queue.push(i);
  }
  if (!queue.length) return [];
  for (let head = 0; head < queue.length; head++) {
    const u = queue[head];
    for (const t of resolution.requiredBy[u]) {
      if (dist[t] !== -1) continue;
      dist[t] = dist[u] + 1;
      queue.push(t);
    }
  }

  // In queue order (non-decreasing distance) each task's next step and root cause are already known.
  // Tasks that carry a diagnostic of their own for the same reason get no `unreachable`.
  const next = new Int32Array(n).fill(-1);
  const origin = new Int32Array(n).fill(-1);
  const out: Finding[] = [];
  for (const t of queue) {
    if (dist[t] === 0) {
      origin[t] = t;
      continue;
    }
    const targets = resolution.depTargets[t];
    next[t] = targets[requiredDep(ctx, t, (target) => target >= 0 && target !== t && dist[target] === dist[t] - 1)];
    origin[t] = origin[next[t]];
    if (resolution.flags[t] & TaskFlag.unresolvedRef) continue;
    const steps = dist[t];
    const cause = describeCause(causes.get(origin[t]) as Cause);
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
