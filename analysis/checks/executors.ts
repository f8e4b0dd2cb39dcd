// Executors across the file (spec 1.4, 2.1, 2.4): unknown ids, ids that need an apflow server,
// declarations nobody uses, and declared modules that do not exist.
import { builtinIds, catalogueEntry } from '../catalogue';
import { finding, type Finding, type FixSpec } from '../findings';
import { executorModulePath } from '../identity';
import { closest } from '../text';
import { keyOf, ownerOf, type GraphContext } from './context';

export function executorFindings(ctx: GraphContext): Finding[] {
  const out: Finding[] = [];
  const { tasks, header, headerSeg } = ctx;
  const declared = new Set(header.executors.map((d) => d.id));
  // Which executors are built in depends on the target line, so every task's executor is read.
  const used = new Set<string>();
  const { target } = header.target;
  const builtins = builtinIds(target);
  tasks.forEach((t, i) => {
    const id = t.executor;
    if (id === null) return;
    used.add(id);
    const at = { task: i, slot: 'executor' } as const;
    const builtin = catalogueEntry(id);
    if (declared.has(id)) return;
    if (builtin && !builtin.lines.includes(target)) {
      out.push(
        finding(
          'unknown-executor',
          `\`${id}\` of task '${keyOf(tasks, i)}' is not built into apflow ${target}, which ships only ${builtins.join(', ')}: set \`apflow_version: "0.18"\` if the tree runs on apflow 0.18, or declare your own executor under \`executors:\``,
          at,
          ownerOf(tasks, i),
        ),
      );
      return;
    }
    if (builtin) {
      if (!builtin.local)
        out.push(finding('remote-executor', `\`${id}\` needs an apflow server: task '${keyOf(tasks, i)}' validates here, but the embedded runtime cannot run it`, at, ownerOf(tasks, i)));
      return;
    }
    const near = closest(id, [...builtins, ...declared], 3, 3, { affixes: true });
    const hint = near.length ? `; did you mean '${near[0]}'?` : ': declare it under `executors:` or use a built-in executor';
    const fixes: FixSpec[] = near.map((n, j) => ({ kind: 'replace', title: `Change to \`${n}\``, at, text: n, preferred: j === 0 && near.length === 1 }));
    out.push(finding('unknown-executor', `executor '${id}' of task '${keyOf(tasks, i)}' is neither built in nor declared under \`executors:\`${hint}`, at, ownerOf(tasks, i), { fixes }));
  });
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
