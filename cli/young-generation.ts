// `validate` of a large tree runs in a child Node with a larger young generation. Reading a tree makes
// garbage per task item (its node trees); with V8's default 16 MiB semi-spaces much of it lived long
// enough to be moved to the old generation, which then grew to about twice what stays alive: 1.1–1.2
// GiB peak on the 52 MiB, 250,000-task tree, 0.86 GiB with 32 MiB semi-spaces, at less CPU
// (docs/benchmarks.md). The size of the young generation is fixed when the heap is set up, so it
// cannot be changed from inside the process; a small tree is not worth a second process start.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';

const SEMI_SPACE = '--max-semi-space-size=32';
/** Trees above this many bytes in all (about 75,000 tasks) are validated in the child. */
const LARGE = 16 * 2 ** 20;

function fileSize(path: string): number {
  try {
    const stat = statSync(path);
    return stat.isFile() ? stat.size : 0;
  } catch {
    return 0; // validate itself says what is wrong with it
  }
}

/** Whether these arguments validate large tree files and this process was not started for them. */
export function wantsLargerYoungGeneration(args: readonly string[]): boolean {
  if (args[0] !== 'validate' || process.execArgv.includes(SEMI_SPACE)) return false;
  let total = 0;
  for (const arg of args.slice(1)) if (!arg.startsWith('-')) total += fileSize(arg);
  return total > LARGE;
}

/** Runs this command again in a child with the larger young generation; returns its exit status. */
export function rerunWithLargerYoungGeneration(args: readonly string[]): number {
  const child = spawnSync(process.execPath, [...process.execArgv, SEMI_SPACE, process.argv[1], ...args], { stdio: 'inherit' });
  if (child.error) {
    process.stderr.write(`apflow-yaml: could not start Node again (${child.error.message})\n`);
    return 70;
  }
  if (child.signal) process.kill(process.pid, child.signal);
  return child.status ?? 70;
}
