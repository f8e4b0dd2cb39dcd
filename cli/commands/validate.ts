// `apflow-yaml validate [PATH…] [--json] [--max-warnings N]` (spec 6.1–6.3).
import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeFile, formatDiagnosticLine, type Diagnostic } from '../../analysis';
import { nodeEnv } from '../../analysis/node-env';
import { fsReason } from '../../runtime';
import { readRegularFile } from '../command-args';
import { EXIT_USAGE, UsageError, type CliIo, type Command } from '../io';

const TREE_FILE = /\.apflow\.(ya?ml|json)$/i;

/**
 * `*.apflow.{yaml,yml,json}` below `dir`, skipping node_modules and dot-directories, sorted. A tree file
 * name that is not a regular file (a FIFO, a device, a dangling link) goes to `skipped` with the reason.
 */
export function findTreeFiles(dir: string, skipped: Skipped[] = []): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTreeFiles(path, skipped));
    else if (!TREE_FILE.test(entry.name)) continue;
    else if (entry.isFile()) found.push(path);
    else if (entry.isSymbolicLink() && isRegularFile(path)) found.push(path);
    else skipped.push({ path, problem: entry.isSymbolicLink() ? 'it is a link to nothing readable' : 'it is not a regular file' });
  }
  return found;
}

export interface Skipped {
  path: string;
  problem: string;
}

function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** A path as the user should read it: relative to where they ran the command when inside it. */
export function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** The diagnostic as `validate --json` and run refusals print it (spec 6.3). */
export function diagnosticJson(d: Diagnostic) {
  return { code: d.code, severity: d.severity, message: d.message, range: d.range, task: d.task };
}

interface FileResult {
  path: string;
  diagnostics: Diagnostic[];
}

function expand(paths: string[], io: CliIo): { files: string[]; unreadable: Skipped[]; skipped: Skipped[] } {
  const files: string[] = [];
  const unreadable: Skipped[] = [];
  const skipped: Skipped[] = [];
  for (const given of paths.length ? paths : ['.']) {
    const path = resolve(io.cwd, given);
    try {
      if (statSync(path).isDirectory()) files.push(...findTreeFiles(path, skipped));
      else files.push(path);
    } catch (error) {
      unreadable.push({ path, problem: fsReason(error) });
    }
  }
  return { files, unreadable, skipped };
}

export const validateCommand: Command = async (argv, io) => {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' }, 'max-warnings': { type: 'string' } } });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const maxWarnings = values['max-warnings'] === undefined ? Infinity : Number(values['max-warnings']);
  if (!Number.isInteger(maxWarnings) && maxWarnings !== Infinity) throw new UsageError('--max-warnings takes a whole number');
  if (maxWarnings < 0) throw new UsageError('--max-warnings takes a whole number');

  const { files, unreadable, skipped } = expand(positionals, io);
  const results: FileResult[] = [];
  for (const file of files) {
    const read = readRegularFile(file);
    if ('problem' in read) unreadable.push({ path: file, problem: read.problem });
    else results.push({ path: displayPath(io.cwd, file), diagnostics: analyzeFile(read.text, file, nodeEnv).diagnostics });
  }
  for (const { path, problem } of skipped) io.stderr.write(`apflow-yaml validate: skipped ${displayPath(io.cwd, path)}: ${problem}\n`);
  for (const { path, problem } of unreadable) io.stderr.write(`apflow-yaml validate: cannot read ${displayPath(io.cwd, path)}: ${problem}\n`);
  // A CI job pointed at the wrong folder must not pass for having checked nothing.
  if (results.length === 0 && unreadable.length === 0) {
    throw new UsageError(`no task tree files (*.apflow.yaml, *.apflow.yml, *.apflow.json) in ${(positionals.length ? positionals : ['.']).join(', ')}`);
  }

  const all = results.flatMap((r) => r.diagnostics);
  const errors = all.filter((d) => d.severity === 'error').length;
  const warnings = all.filter((d) => d.severity === 'warning').length;
  if (values.json) {
    const files = results.map((r) => ({ path: r.path, diagnostics: r.diagnostics.map(diagnosticJson) }));
    io.stdout.write(`${JSON.stringify({ files, errors, warnings }, null, 2)}\n`);
  } else {
    for (const r of results) for (const d of r.diagnostics) io.stdout.write(`${formatDiagnosticLine(r.path, d)}\n`);
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    io.stdout.write(`${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(results.length, 'file')}\n`);
  }
  if (unreadable.length) return EXIT_USAGE;
  return errors > 0 || warnings > maxWarnings ? 1 : 0;
};
