// Executors across the file (spec 1.4, 2.1, 2.4): unknown ids, ids that need an apflow server,
// declarations nobody uses, and declared modules that do not exist.
import { BUILTIN_EXECUTOR_IDS, catalogueEntry } from '../catalogue';
import { finding, type Finding, type FixSpec } from '../findings';
import { executorModulePath } from '../identity';
import { parsePythonTarget } from '../python-target';
import { closest } from '../text';
import { keyOf, ownerOf, type GraphContext } from './context';

export function executorFindings(ctx: GraphContext): Finding[] {
  const out: Finding[] = [];
  const { tasks, header, headerSeg } = ctx;
  const declared = new Set(header.executors.map((d) => d.id));
  const used = new Set<string>();
  tasks.forEach((t, i) => {
    const id = t.executor;
    if (id === null) return;
    used.add(id);
    const at = { task: i, slot: 'executor' } as const;
    const builtin = catalogueEntry(id);
    if (declared.has(id)) return;
    if (builtin) {
      if (!builtin.local)
        out.push(finding('remote-executor', `\`${id}\` needs an apflow server: task '${keyOf(tasks, i)}' validates here, but the embedded runtime cannot run it`, at, ownerOf(tasks, i)));
      return;
    }
    const near = closest(id, [...BUILTIN_EXECUTOR_IDS, ...declared], 3, 3);
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
  out.push(...hookFindings(ctx));
  return out;
}

/** A hook whose JS module or Python file does not exist (spec: as for executor declarations). */
function hookFindings(ctx: GraphContext): Finding[] {
  const out: Finding[] = [];
  const { header, headerSeg, fileDir } = ctx;
  if (fileDir === null) return out;
  for (const hook of header.hooks) {
    if (hook.module && hook.moduleSpan && !ctx.env.fileExists(executorModulePath(fileDir, hook.module)))
      out.push(finding('executor-module-missing', `the module '${hook.module}' of a \`${hook.list}\` hook does not exist: create it or fix the path (relative to this file)`, { seg: headerSeg, span: hook.moduleSpan }, null));
    if (hook.python === null || !hook.pythonSpan) continue;
    const target = parsePythonTarget(hook.python);
    if (target instanceof Error) out.push(finding('schema', target.message, { seg: headerSeg, span: hook.pythonSpan }, null));
    else if (target.file && !ctx.env.fileExists(executorModulePath(fileDir, target.file)))
      out.push(finding('executor-module-missing', `the Python file '${target.file}' of a \`${hook.list}\` hook does not exist: create it or fix the path (relative to this file)`, { seg: headerSeg, span: hook.pythonSpan }, null));
  }
  return out;
}
