// What of a thrown error's stack belongs in a task's log: the frames of the user's code. Frames of the
// runtime itself (built-in executors, the Python host's bridge, the scheduler) and of Node's internals
// say nothing about the task and read as if the extension had crashed (issue 13: `at ChildProcess…
// dist/client.js`), so they are left out; a stack with nothing else left is not logged at all, since
// its message is already the task's error. Another language's traceback is kept as it is.

import { sep } from 'node:path';

/** The runtime's own folder: `runtime/` from source, the bundle's `dist/` once built. */
export const RUNTIME_DIR = __dirname;

export function userStack(stack: string, ownDir: string = RUNTIME_DIR): string | null {
  const own = ownDir.endsWith(sep) ? ownDir : ownDir + sep;
  const lines = stack.split('\n');
  const frames = lines.filter((line) => /^\s+at /.test(line));
  // Not a JavaScript stack (a Python traceback): the user's, whole.
  if (frames.length === 0) return stack.trim() === '' ? null : stack;
  const kept = frames.filter((line) => !line.includes(own) && !/\(node:|at node:|\(<anonymous>\)/.test(line));
  if (kept.length === 0) return null;
  const message = lines.filter((line) => !/^\s+at /.test(line));
  return [...message, ...kept].join('\n');
}
