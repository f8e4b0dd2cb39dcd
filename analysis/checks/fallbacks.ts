// `fallback-blocked` (guide: "Use Optional Dependencies for Fallbacks"): F is a fallback of P when F
// depends on P optionally (it runs whether P succeeds or not). A task T that requires P and also waits
// for F defeats the pattern: when P fails, T is blocked, so F's work is wasted. The fix makes T's
// dependency on P optional, as the guide's final task has it.
import { finding, type Finding } from '../findings';
import { keyOf, ownerOf, type GraphContext } from './context';

export function fallbackFindings(ctx: GraphContext): Finding[] {
  const { tasks, resolution } = ctx;
  const { depTargets } = resolution;
  // Only a task with an optional dependency can be a fallback: most files have none, and then
  // nothing below runs.
  const fallbackCandidate = tasks.map((task) => task.deps.some((dep) => !dep.required));
  if (!fallbackCandidate.includes(true)) return [];
  const out: Finding[] = [];
  tasks.forEach((task, t) => {
    if (!resolution.edges[t].some((f) => fallbackCandidate[f])) return;
    // Which of T's required dependencies (target → entry) could have a fallback that T also waits for.
    const required = new Map<number, number>();
    task.deps.forEach((dep, k) => {
      const target = depTargets[t][k];
      if (dep.required && target >= 0 && target !== t && !required.has(target)) required.set(target, k);
    });
    if (!required.size) return;
    const reported = new Set<number>();
    for (const f of resolution.edges[t]) {
      if (!fallbackCandidate[f]) continue;
      tasks[f].deps.forEach((dep, j) => {
        const p = depTargets[f][j];
        const k = required.get(p);
        if (dep.required || k === undefined || p === f || reported.has(p)) return;
        reported.add(p);
        const [who, primary, fallback] = [keyOf(tasks, t), keyOf(tasks, p), keyOf(tasks, f)];
        out.push(
          finding(
            'fallback-blocked',
            `'${who}' requires '${primary}' but also waits for its fallback '${fallback}' (which depends on '${primary}' optionally): when '${primary}' fails, '${who}' is blocked and the fallback's work is wasted. Make the dependency on '${primary}' optional`,
            { task: t, slot: { dep: k } },
            ownerOf(tasks, t),
            { fixes: [{ kind: 'optional-dependency', title: `Make the dependency on \`${primary}\` optional`, task: t, dep: k, preferred: true }] },
          ),
        );
      });
    }
  });
  return out;
}
