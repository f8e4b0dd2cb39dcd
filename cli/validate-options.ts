// The options of `apflow-yaml validate` (spec 6.1, issue 11), checked before anything is read.
import type { ApflowTarget } from '../analysis';
import { parseCommandArgs, TARGET_OPTION, targetOption } from './command-args';
import { UsageError } from './io';

export const FORMATS = ['text', 'json', 'github', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

export interface ValidateOptions {
  format: Format;
  /** Errors only, in every format; warnings still count for --max-warnings. */
  quiet: boolean;
  fix: boolean;
  maxWarnings: number;
  /** The apflow line to check against, when the command line names one (a file's `apflow_version` wins). */
  target: ApflowTarget | undefined;
  /** The `tree-too-large` limit (the core's default when absent). */
  maxTreeSize: number | undefined;
  /** `validate -`: the tree comes from standard input, named so (or unnamed). */
  stdin: { name: string | null } | null;
  paths: string[];
}

export const VALIDATE_USAGE =
  'validate [PATH… | -] [--format text|json|github|sarif] [--json] [--quiet] [--fix] [--max-warnings N] [--max-tree-size N] [--target 0.18|0.20] [--stdin-filename NAME]';

function formatOf(json: boolean | undefined, format: string | undefined): Format {
  if (format === undefined) return json ? 'json' : 'text';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format takes ${FORMATS.join(', ')}, not '${format}'`);
  if (json && format !== 'json') throw new UsageError(`--json is --format json: give one of --json and --format ${format}`);
  return format as Format;
}

function maxWarningsOf(text: string | undefined): number {
  if (text === undefined) return Infinity;
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < 0) throw new UsageError(`--max-warnings takes a whole number of at least 0, not '${text}'`);
  return n;
}

function maxTreeSizeOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < 1) throw new UsageError(`--max-tree-size takes a whole number of at least 1, not '${text}'`);
  return n;
}

export function validateOptions(argv: string[]): ValidateOptions {
  const { values, positionals } = parseCommandArgs(argv, {
    json: { type: 'boolean' },
    format: { type: 'string' },
    quiet: { type: 'boolean' },
    fix: { type: 'boolean' },
    'max-warnings': { type: 'string' },
    'max-tree-size': { type: 'string' },
    'stdin-filename': { type: 'string' },
    ...TARGET_OPTION,
  });
  const fromStdin = positionals.includes('-');
  const name = values['stdin-filename'] ?? null;
  if (fromStdin && positionals.length > 1) throw new UsageError('`-` reads one tree from standard input: give no other path with it');
  if (name !== null && !fromStdin) throw new UsageError('--stdin-filename names the tree read from standard input: give `-` as the path');
  if (fromStdin && values.fix) throw new UsageError('--fix writes the fixed file, and standard input is not a file: fix the file itself');
  return {
    format: formatOf(values.json, values.format),
    quiet: values.quiet ?? false,
    fix: values.fix ?? false,
    maxWarnings: maxWarningsOf(values['max-warnings']),
    maxTreeSize: maxTreeSizeOf(values['max-tree-size']),
    target: targetOption(values.target),
    stdin: fromStdin ? { name } : null,
    paths: fromStdin ? [] : positionals,
  };
}
