// `apflow-yaml validate [PATH…] [--json] [--max-warnings N]` (spec 6.1–6.3).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeFile, formatDiagnosticLine, type Diagnostic } from '../../analysis';
import { discoveredEnv } from '../../analysis/python/node';
import { EXIT_USAGE, UsageError, type CliIo, type Command } from '../io';

const TREE_FILE = /\.apflow\.(ya?ml|json)$/i;

/** `*.apflow.{yaml,yml,json}` below `dir`, skipping node_modules and dot-directories, sorted. */
export function findTreeFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTreeFiles(path));
    else if (entry.isFile() && TREE_FILE.test(entry.name)) found.push(path);
  }
  return found;
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

function expand(paths: string[], io: CliIo): { files: string[]; unreadable: string[] } {
  const files: string[] = [];
  const unreadable: string[] = [];
  for (const given of paths.length ? paths : ['.']) {
    const path = resolve(io.cwd, given);
    try {
      if (statSync(path).isDirectory()) files.push(...findTreeFiles(path));
      else files.push(path);
    } catch {
      unreadable.push(given);
    }
  }
  return { files, unreadable };
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

  const { files, unreadable } = expand(positionals, io);
  const results: FileResult[] = [];
  const env = await discoveredEnv(files.map((f) => resolve(io.cwd, f)), io.cwd);
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      unreadable.push(displayPath(io.cwd, file));
      continue;
    }
    results.push({ path: displayPath(io.cwd, file), diagnostics: analyzeFile(text, file, env).diagnostics });
  }
  for (const path of unreadable) io.stderr.write(`apflow-yaml validate: cannot read ${path}\n`);

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
