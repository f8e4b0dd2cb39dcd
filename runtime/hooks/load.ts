// Turns the file's `hooks:` declarations into callable hooks for a run: a JS module's export runs in
// this thread (it must change the task it is given, so it cannot run in a worker that copies it), a
// `python:` reference runs in the run's Python host.
import { statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { executorModulePath, parsePythonTarget, targetLabel, type HookDecl } from '../../analysis';
import { resolveExport } from '../executors/worker-main';
import type { PythonSession } from '../python/session';
import type { LoadedHook } from './hooks';

/** Loads every hook; throws an Error naming the hook and what is wrong with it. */
export async function loadHooks(decls: readonly HookDecl[], treeDir: string, python: () => PythonSession): Promise<LoadedHook[]> {
  const hooks: LoadedHook[] = [];
  for (const decl of decls) {
    if (decl.python !== null) {
      const target = parsePythonTarget(decl.python);
      if (target instanceof Error) throw new Error(`the ${decl.list} hook: ${target.message}`);
      hooks.push({
        list: decl.list,
        label: targetLabel(target),
        call: async (view, args, context) => (await python().hook(target, view, args, context)).inputs,
        prepare: () => python().ready(),
      });
      continue;
    }
    if (decl.module === null) throw new Error(`a ${decl.list} hook declares neither a module nor \`python:\``);
    const path = executorModulePath(treeDir, decl.module);
    let version: number;
    try {
      version = statSync(path).mtimeMs;
    } catch {
      throw new Error(`the module ${decl.module} of a ${decl.list} hook does not exist (looked for ${path})`);
    }
    const fn = (await resolveExport(`${pathToFileURL(path).href}?v=${version}`, decl.module, decl.exportName)) as unknown as (...args: unknown[]) => unknown;
    hooks.push({
      list: decl.list,
      label: `${decl.module}#${decl.exportName}`,
      call: async (view, args, context) => {
        await fn(view, ...args, context);
        return view.inputs;
      },
    });
  }
  return hooks;
}
