// Argument handling shared by the commands: node's parseArgs, with its complaints turned into usage
// errors (exit status 2), and reading the tree file a command was given.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
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
  try {
    return { file, text: readFileSync(file, 'utf8') };
  } catch (error) {
    throw new UsageError(`cannot read ${given}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}
