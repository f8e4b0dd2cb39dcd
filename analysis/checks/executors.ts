// Executors across the file (spec 1.4, 2.1, 2.4, issue 12): unknown ids, ids that need an apflow
// server, declarations nobody uses, declared code that does not exist, and ids registered twice in
// the workspace's Python files.
import { relative } from 'node:path';
import { builtinIds, catalogueEntry } from '../catalogue';
import { finding, type Anchor, type Finding, type FixSpec } from '../findings';
import type { ExecutorDeclFacts } from '../header';
import { executorModulePath } from '../identity';
import { resolvePythonRef } from '../python/resolve';
import { parsePythonRef } from '../python/reference';
import { closest } from '../text';
import { codedExecutors, keyOf, ownerOf, type GraphContext } from './context';

/** A Python file as messages name it: relative to the tree file's folder. */
function shown(ctx: GraphContext, file: string): string {
  return ctx.fileDir === null ? file : relative(ctx.fileDir, file) || file;
}

/** Why a declaration's code cannot be found, or null when it can (or nothing can be told). */
function missingCode(ctx: GraphContext, decl: ExecutorDeclFacts, fileDir: string): { message: string; anchor: Anchor } | null {
  const at = (span: ExecutorDeclFacts['idSpan'] | null) => ({ seg: ctx.headerSeg, span: span ?? decl.idSpan });
  if (decl.module !== null) {
    if (!decl.moduleSpan || ctx.env.fileExists(executorModulePath(fileDir, decl.module))) return null;
    return { message: `the module '${decl.module}' of executor \`${decl.id}\` does not exist: create it or fix the path (relative to this file)`, anchor: at(decl.moduleSpan) };
  }
  if (decl.python !== null) {
    const ref = decl.python;
    const target = resolvePythonRef(ref, fileDir, ctx.python, (path) => ctx.env.fileExists(path));
    const written = ref.file ?? ref.module;
    switch (target.kind) {
      case 'no-file':
        return ref.file !== null
          ? { message: `the Python file '${ref.file}' of executor \`${decl.id}\` does not exist: create it or fix the path (relative to this file)`, anchor: at(decl.pythonSpan) }
          : { message: `the Python module '${ref.module}' of executor \`${decl.id}\` is not found (looked for ${target.tried.map((t) => `'${shown(ctx, t)}'`).slice(0, 2).join(' and ')} and in the folders above, up to the workspace): create it or fix the module name`, anchor: at(decl.pythonSpan) };
      case 'no-name':
        return { message: `'${written}' has no class or function \`${ref.name}\` for executor \`${decl.id}\`: define it at the top level of ${shown(ctx, target.file)} or fix the name after ':'`, anchor: at(decl.pythonSpan) };
      case 'found':
        return target.definition.executable
          ? null
          : { message: `the class \`${ref.name}\` of executor \`${decl.id}\` has no \`execute\` method: add \`async def execute(self, inputs)\` or derive it from apflow's BaseTask`, anchor: at(decl.pythonSpan) };
      default:
        return null;
    }
  }
  if (ctx.python.executors.has(decl.id)) return null;
  return {
    message: `executor \`${decl.id}\` names no code: add \`module:\` (a JavaScript file) or \`python:\` (\`file.py:Class\`), or register it in a Python file of the workspace with @executor_register()`,
    anchor: at(decl.idSpan),
  };
}

export function executorFindings(ctx: GraphContext): Finding[] {
  const out: Finding[] = [];
  const { tasks, header, headerSeg, python } = ctx;
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
    const registrations = python.executors.get(id) ?? [];
    if (registrations.length > 1) {
      const where = registrations.map((r) => `${shown(ctx, r.file)}:${r.range.start.line + 1}`).join(', ');
      out.push(finding('duplicate-executor', `executor '${id}' of task '${keyOf(tasks, i)}' is registered ${registrations.length} times (${where}): apflow keeps whichever is imported first, so give each its own id`, at, ownerOf(tasks, i)));
    }
    const builtin = catalogueEntry(id);
    if (declared.has(id) || (registrations.length > 0 && !builtin)) return;
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
    const near = closest(id, [...builtins, ...codedExecutors(ctx)], 3, 3, { affixes: true });
    const hint = near.length ? `; did you mean '${near[0]}'?` : ': declare it under `executors:`, register it in Python with @executor_register(), or use a built-in executor';
    const fixes: FixSpec[] = near.map((n, j) => ({ kind: 'replace', title: `Change to \`${n}\``, at, text: n, preferred: j === 0 && near.length === 1 }));
    out.push(finding('unknown-executor', `executor '${id}' of task '${keyOf(tasks, i)}' is neither built in, declared under \`executors:\` nor registered in the workspace's Python files${hint}`, at, ownerOf(tasks, i), { fixes }));
  });
  for (const decl of header.executors) {
    if (!used.has(decl.id))
      out.push(
        finding('unused-executor', `no task uses the executor \`${decl.id}\`: remove the declaration or use it in \`schemas.method\``, { seg: headerSeg, span: decl.idSpan }, null, {
          unnecessary: true,
          fixes: [{ kind: 'delete-pair', title: 'Remove declaration', at: { seg: headerSeg, span: decl.pairSpan }, preferred: true }],
        }),
      );
    const missing = ctx.fileDir === null ? null : missingCode(ctx, decl, ctx.fileDir);
    if (missing) out.push(finding('executor-module-missing', missing.message, missing.anchor, null));
  }
  out.push(...hookFindings(ctx));
  return out;
}

/** A hook whose JS module or Python file does not exist, or whose Python file has no such function (as for executor declarations). */
function hookFindings(ctx: GraphContext): Finding[] {
  const out: Finding[] = [];
  const { header, headerSeg, fileDir } = ctx;
  if (fileDir === null) return out;
  for (const hook of header.hooks) {
    if (hook.module && hook.moduleSpan && !ctx.env.fileExists(executorModulePath(fileDir, hook.module)))
      out.push(finding('executor-module-missing', `the module '${hook.module}' of a \`${hook.list}\` hook does not exist: create it or fix the path (relative to this file)`, { seg: headerSeg, span: hook.moduleSpan }, null));
    if (hook.python === null || !hook.pythonSpan) continue;
    const at = { seg: headerSeg, span: hook.pythonSpan };
    const ref = parsePythonRef(hook.python);
    if (typeof ref === 'string') {
      out.push(finding('schema', ref, at, null));
      continue;
    }
    const target = resolvePythonRef(ref, fileDir, ctx.python, (path) => ctx.env.fileExists(path));
    // A module is looked for only where discovery looks; one found elsewhere on sys.path is not refused.
    if (target.kind === 'no-file' && ref.file !== null)
      out.push(finding('executor-module-missing', `the Python file '${ref.file}' of a \`${hook.list}\` hook does not exist: create it or fix the path (relative to this file)`, at, null));
    else if (target.kind === 'no-name')
      out.push(finding('executor-module-missing', `'${ref.file ?? ref.module}' has no function \`${ref.name}\` for a \`${hook.list}\` hook: define it at the top level of ${shown(ctx, target.file)} or fix the name after ':'`, at, null));
  }
  return out;
}
