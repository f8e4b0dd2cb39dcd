// Executors across the file (spec 1.4, 2.1, 2.4): unknown ids, ids that need an apflow server,
// declarations nobody uses, and declared modules that do not exist.
import { BUILTIN_EXECUTOR_IDS } from '../catalogue';
import { finding, type Finding, type FixSpec } from '../findings';
import { executorModulePath } from '../identity';
import { closest } from '../text';
import { TaskFlag } from '../graph';
import { flagged, keyOf, ownerOf, type GraphContext } from './context';

export function executorFindings(ctx: GraphContext): Finding[] {
  const out: Finding[] = [];
  const { tasks, header, headerSeg } = ctx;
  const declared = new Set(header.executors.map((d) => d.id));
  // Only tasks with a remote or a non-built-in executor can have a finding here; every task's
  // executor is read only when the file declares executors (to find the unused ones).
  const used = new Set<string>();
  if (declared.size) for (const t of tasks) if (t.executor !== null) used.add(t.executor);
  for (const i of flagged(ctx, TaskFlag.remoteExecutor | TaskFlag.customExecutor)) {
    const id = tasks[i].executor as string;
    if (declared.has(id)) continue;
    const at = { task: i, slot: 'executor' } as const;
    if (ctx.resolution.flags[i] & TaskFlag.remoteExecutor) {
      out.push(finding('remote-executor', `\`${id}\` needs an apflow server: task '${keyOf(tasks, i)}' validates here, but the embedded runtime cannot run it`, at, ownerOf(tasks, i)));
      continue;
    }
    const near = closest(id, [...BUILTIN_EXECUTOR_IDS, ...declared], 3, 3, { affixes: true });
    const hint = near.length ? `; did you mean '${near[0]}'?` : ': declare it under `executors:` or use a built-in executor';
    const fixes: FixSpec[] = near.map((n, j) => ({ kind: 'replace', title: `Change to \`${n}\``, at, text: n, preferred: j === 0 && near.length === 1 }));
    out.push(finding('unknown-executor', `executor '${id}' of task '${keyOf(tasks, i)}' is neither built in nor declared under \`executors:\`${hint}`, at, ownerOf(tasks, i), { fixes }));
  }
  for (const decl of header.executors) {
    if (!used.has(decl.id))
      out.push(
        finding('unused-executor', `no task uses the executor \`${decl.id}\`: remove the declaration or use it in \`schemas.method\``, { seg: headerSeg, span: decl.idSpan }, null, {
          unnecessary: true,
          fixes: [{ kind: 'delete-pair', title: 'Remove declaration', at: { seg: headerSeg, span: decl.pairSpan }, preferred: true }],
        }),
      );
    if (decl.module && decl.moduleSpan && ctx.fileDir !== null) {
      const path = executorModulePath(ctx.fileDir, decl.module);
      if (!ctx.env.fileExists(path))
        out.push(finding('executor-module-missing', `the module '${decl.module}' of executor \`${decl.id}\` does not exist: create it or fix the path (relative to this file)`, { seg: headerSeg, span: decl.moduleSpan }, null));
    }
  }
  return out;
}
