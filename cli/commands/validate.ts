// `apflow-yaml validate [PATH… | -]` (spec 6.1–6.3, issue 11): finds the tree files, analyses (and with
// --fix, fixes) each, and prints the report in the format asked for.
import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { analyzeFile, type AnalysisEnv, type Diagnostic, type Snapshot } from '../../analysis';
import { discoveredEnv, type DiscoveredEnv } from '../../analysis/python/node';
import { fsReason } from '../../runtime';
import { applyPreferredFixes } from '../apply-fixes';
import { readRegularFile } from '../command-args';
import { githubReport } from '../formats/github';
import { jsonReport } from '../formats/json';
import { countsOf, fileReport, plural, type FileReport } from '../formats/report';
import { sarifReport } from '../formats/sarif';
import { textReport, wantsColour } from '../formats/text';
import { EXIT_USAGE, UsageError, type CliIo, type Command } from '../io';
import { readStdin } from '../read-stdin';
import { NotRewritten, rewriteFile } from '../rewrite-file';
import { validateOptions, type Format, type ValidateOptions } from '../validate-options';

export { diagnosticJson } from '../formats/json';

const TREE_FILE = /\.apflow\.(ya?ml|json)$/i;

/**
 * `*.apflow.{yaml,yml,json}` below `dir`, skipping node_modules and dot-directories, sorted. A tree file
 * name that is not a regular file (a FIFO, a device, a dangling link) goes to `skipped` with the reason.
 */
export function findTreeFiles(dir: string, skipped: Skipped[] = [], pattern: RegExp = TREE_FILE): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTreeFiles(path, skipped, pattern));
    else if (!pattern.test(entry.name)) continue;
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

/** The files the paths name: a folder is searched for names matching `pattern` (tree files by default). */
export function expand(paths: string[], io: CliIo, pattern: RegExp = TREE_FILE): { files: string[]; unreadable: Skipped[]; skipped: Skipped[] } {
  const files: string[] = [];
  const unreadable: Skipped[] = [];
  const skipped: Skipped[] = [];
  for (const given of paths.length ? paths : ['.']) {
    const path = resolve(io.cwd, given);
    try {
      if (statSync(path).isDirectory()) files.push(...findTreeFiles(path, skipped, pattern));
      else files.push(path);
    } catch (error) {
      unreadable.push({ path, problem: fsReason(error) });
    }
  }
  return { files, unreadable, skipped };
}

const FORMATTERS: Record<Format, (files: readonly FileReport[], io: CliIo) => string> = {
  text: (files, io) => textReport(files, wantsColour(io.stdout, io.env)),
  json: (files) => jsonReport(files),
  github: (files) => githubReport(files),
  sarif: (files, io) => sarifReport(files, io.cwd),
};

/** `unknown-executor, self-dependency (2)`: what --fix fixed, by code. */
function fixedCodes(fixed: readonly Diagnostic[]): string {
  const counts = new Map<string, number>();
  for (const d of fixed) counts.set(d.code, (counts.get(d.code) ?? 0) + 1);
  return [...counts].map(([code, n]) => (n === 1 ? code : `${code} (${n})`)).join(', ');
}

/**
 * What the analysis reads from this machine for these tree files: the file system, the Python
 * executors registered in their projects (static discovery, never importing them), and the options.
 */
async function analysisEnv(treeFiles: readonly string[], options: ValidateOptions, io: CliIo): Promise<DiscoveredEnv> {
  const { env, prepare } = await discoveredEnv(treeFiles.map((file) => resolve(io.cwd, file)), io.cwd);
  return { env: { ...env, ...(options.target ? { target: options.target } : {}), ...(options.maxTreeSize === undefined ? {} : { maxTreeSize: options.maxTreeSize }) }, prepare };
}

/** The one analysis behind every report of this command (a file's text, fixed or not, or standard input). */
function analyse(text: string, fileName: string, env: AnalysisEnv): Snapshot {
  return analyzeFile(text, fileName, env);
}

/** The file after --fix: written back when anything was fixed, else reported as it is; false when it could not be written. */
function fixFile(file: string, text: string, io: CliIo, reports: FileReport[], env: AnalysisEnv): boolean {
  const path = displayPath(io.cwd, file);
  const outcome = applyPreferredFixes(text, (next) => analyse(next, file, env));
  if (outcome.fixed.length === 0) {
    reports.push(fileReport(path, outcome.snapshot));
    return true;
  }
  try {
    rewriteFile(file, text, outcome.text);
  } catch (error) {
    const reason = error instanceof NotRewritten ? error.message : fsReason(error, true);
    io.stderr.write(`apflow-yaml validate: did not fix ${path}: ${reason}\n`);
    reports.push(fileReport(path, analyse(text, file, env)));
    return false;
  }
  io.stderr.write(`apflow-yaml validate: fixed ${plural(outcome.fixed.length, 'problem')} in ${path}: ${fixedCodes(outcome.fixed)}\n`);
  reports.push(fileReport(path, outcome.snapshot));
  return true;
}

/** `validate -`: the tree on standard input, analysed as the file it is named for (its folder resolves executor modules). */
async function stdinReport(name: string | null, io: CliIo, options: ValidateOptions): Promise<FileReport> {
  const text = await readStdin(io.stdin);
  const file = name === null ? '<stdin>' : resolve(io.cwd, name);
  const { env, prepare } = await analysisEnv(name === null ? [] : [file], options, io);
  await prepare(text);
  return fileReport(name === null ? file : displayPath(io.cwd, file), analyse(text, file, env));
}

/** The tree files named or found, analysed (and fixed); `failed` when any could not be read or written. */
async function fileReports(options: ValidateOptions, io: CliIo): Promise<{ reports: FileReport[]; failed: boolean }> {
  const { files, unreadable, skipped } = expand(options.paths, io);
  const { env, prepare } = await analysisEnv(files, options, io);
  const reports: FileReport[] = [];
  let written = true;
  for (const file of files) {
    const read = readRegularFile(file);
    if ('problem' in read) {
      unreadable.push({ path: file, problem: read.problem });
      continue;
    }
    await prepare(read.text);
    if (options.fix) written = fixFile(file, read.text, io, reports, env) && written;
    else reports.push(fileReport(displayPath(io.cwd, file), analyse(read.text, file, env)));
  }
  for (const { path, problem } of skipped) io.stderr.write(`apflow-yaml validate: skipped ${displayPath(io.cwd, path)}: ${problem}\n`);
  for (const { path, problem } of unreadable) io.stderr.write(`apflow-yaml validate: cannot read ${displayPath(io.cwd, path)}: ${problem}\n`);
  // A CI job pointed at the wrong folder must not pass for having checked nothing.
  if (reports.length === 0 && unreadable.length === 0) {
    throw new UsageError(`no task tree files (*.apflow.yaml, *.apflow.yml, *.apflow.json) in ${(options.paths.length ? options.paths : ['.']).join(', ')}`);
  }
  return { reports, failed: unreadable.length > 0 || !written };
}

export const validateCommand: Command = async (argv, io) => {
  const options = validateOptions(argv);
  const { reports, failed } = options.stdin ? { reports: [await stdinReport(options.stdin.name, io, options)], failed: false } : await fileReports(options, io);
  const counts = countsOf(reports);
  const shown = options.quiet ? reports.map((r) => ({ ...r, diagnostics: r.diagnostics.filter((d) => d.severity === 'error') })) : reports;
  io.stdout.write(FORMATTERS[options.format](shown, io));
  const tooManyWarnings = counts.warning > options.maxWarnings;
  if (tooManyWarnings) io.stderr.write(`apflow-yaml validate: ${plural(counts.warning, 'warning')}, more than the ${options.maxWarnings} --max-warnings allows\n`);
  if (failed) return EXIT_USAGE;
  return counts.error > 0 || tooManyWarnings ? 1 : 0;
};
