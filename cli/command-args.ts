// Argument handling shared by the commands: node's parseArgs, with its complaints turned into usage
// errors (exit status 2), and reading the tree file a command was given.
import { readFileSync, statSync, type Stats } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { fsReason } from '../runtime';
import { targetOf, type ApflowTarget } from '../analysis';
import { UsageError } from './io';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandArgs<T extends Options>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export function positiveInteger(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} takes a whole number of at least 1, not '${text}'`);
  return n;
}

/** `--target 0.18|0.20` (validate, run, export): the apflow line of files without `apflow_version`. */
export const TARGET_OPTION = { target: { type: 'string' } } as const;

export function targetOption(text: string | undefined): ApflowTarget | undefined {
  if (text === undefined) return undefined;
  const target = targetOf(text);
  if (!target) throw new UsageError(`--target takes an apflow version, 0.18 or 0.20 (any later 0.x counts as 0.20), not '${text}'`);
  return target;
}

/** Reads the one tree file a command was given, as a usage error (exit 2) when it cannot. */
export function readTreeFile(cwd: string, given: string): { file: string; text: string } {
  const file = resolve(cwd, given);
  const read = readRegularFile(file);
  if ('problem' in read) throw new UsageError(`cannot read ${given}: ${read.problem}`);
  return { file, text: read.text };
}

/**
 * A file's text, or why it cannot be had. Anything but a regular file is refused before it is opened:
 * reading a FIFO or a device would block forever, or never end.
 */
export function readRegularFile(path: string): { text: string } | { problem: string } {
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return { problem: `it is ${kindOf(stat)}, not a regular file` };
    return { text: readFileSync(path, 'utf8') };
  } catch (error) {
    return { problem: fsReason(error) };
  }
}

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'a special file';
}
