// Where a Python executor or hook lives (issue 12), one rule for the editor and the runtime:
// `python: executors/data/fetch.py:FetchUserData` (a file relative to the tree's folder) or
// `python: my_project.executors.data:FetchUserData` (a module imported with the workspace folder on
// sys.path); `registry` (runtime only) is an id of apflow's executor registry.
export interface PythonTarget {
  file?: string;
  module?: string;
  name?: string;
  registry?: string;
}

/** The target a `python:` value names, or an Error saying what is wrong with it. */
export function parsePythonTarget(text: string): PythonTarget | Error {
  const colon = text.lastIndexOf(':');
  // `C:\…` is a drive, not the separator: the separator is the last colon followed by a name.
  const where = colon > 0 ? text.slice(0, colon).trim() : '';
  const name = colon > 0 ? text.slice(colon + 1).trim() : '';
  if (!where || !/^[A-Za-z_][\w.]*$/.test(name)) {
    return new Error(`\`python: ${text}\` must name a file or module and a class or function: \`path/to/file.py:ClassName\` or \`package.module:function\``);
  }
  const isFile = where.endsWith('.py') || where.includes('/') || where.includes('\\');
  return isFile ? { file: where, name } : { module: where, name };
}

/** How a target is named in messages: as it was written. */
export function targetLabel(target: PythonTarget): string {
  if (target.registry !== undefined) return `apflow executor '${target.registry}'`;
  return `${target.file ?? target.module}:${target.name}`;
}
