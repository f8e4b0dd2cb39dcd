// `apflow-yaml test [PATH…] [--format text|json|junit|tap] [--history[=PATH]] [--python PATH] [--target 0.18|0.20]`
// (issue 14): runs the cases of `*.apflow.test.yaml` files on the embedded runtime, with their mocks.
// Exit 0 when every case passed, 1 when any failed or a test file has problems, 2 usage or unreadable.
import { constants } from 'node:os';
import { isTestFile, TEST_FILE_PATTERN } from '../../analysis/testing';
import { endAllGroups, HistoryError, privateUrlsAllowed, RunRecorder, runTestFile, WorkerHistory, type History, type TestFileReport } from '../../runtime';
import { parseCommandArgs, readRegularFile, TARGET_OPTION, targetOption } from '../command-args';
import { DEFAULT_HISTORY, historyPath } from '../history-option';
import { UsageError, type CliIo, type Command } from '../io';
import { pythonOption } from '../run-session';
import { jsonTestReport, junitTestReport, tapTestReport } from '../formats/tests/machine';
import { summarize, type TestSummary } from '../formats/tests/results';
import { textTestReport } from '../formats/tests/text';
import { displayPath, expand } from './validate';

const FORMATS: Record<string, (summary: TestSummary) => string> = {
  text: textTestReport,
  json: jsonTestReport,
  junit: junitTestReport,
  tap: tapTestReport,
};

export const TEST_USAGE = 'test [PATH…] [--format text|json|junit|tap] [--history[=PATH]] [--python PATH] [--target 0.18|0.20]';

export const testCommand: Command = async (argv, io) => {
  // A bare `--history` records into the default history; `--history=PATH` names another file.
  const args = argv.map((arg) => (arg === '--history' ? `--history=${DEFAULT_HISTORY}` : arg));
  const { values, positionals } = parseCommandArgs(args, {
    format: { type: 'string' },
    json: { type: 'boolean' },
    history: { type: 'string' },
    python: { type: 'string' },
    ...TARGET_OPTION,
  });
  const format = values.json ? 'json' : (values.format ?? 'text');
  const formatter = FORMATS[format];
  if (!formatter) throw new UsageError(`--format takes text, json, junit or tap, not '${format}'`);
  const target = targetOption(values.target);
  const files = testFiles(positionals, io);

  const began = Date.now();
  const history = values.history === undefined ? null : await openHistory(historyPath(io, values.history));
  // Registered Python executors are looked for in the project of each test file (its tree's, as a rule).
  const requestFor = (file: string) => ({
    env: io.env,
    allowPrivateUrls: privateUrlsAllowed(io.env),
    target,
    python: pythonOption(io, values.python, file),
  });
  const reports: TestFileReport[] = [];
  const stopHandling = endCommandsOnSignals();
  try {
    for (const { file, text } of files)
      reports.push(
        await runTestFile(file, text, {
          request: requestFor(file),
          onRun: history ? (run) => new RunRecorder(history as History, run) : undefined,
        }),
      );
  } finally {
    stopHandling();
    await history?.close();
  }
  const summary = summarize(reports, io.cwd, Date.now() - began);
  io.stdout.write(formatter(summary));
  return summary.failed > 0 || summary.broken > 0 ? 1 : 0;
};

/**
 * Ctrl+C, SIGTERM or SIGHUP while cases run: the commands their real tasks started (in process groups
 * of their own, which the signal does not reach) are ended, then the process, with 128 + the signal.
 */
function endCommandsOnSignals(): () => void {
  const handlers = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((signal) => {
    const handler = () => void endAllGroups().finally(() => process.exit(128 + constants.signals[signal]));
    process.once(signal, handler);
    return [signal, handler] as const;
  });
  return () => handlers.forEach(([signal, handler]) => process.removeListener(signal, handler));
}

async function openHistory(path: string): Promise<History> {
  try {
    return await WorkerHistory.open({ path, mode: 'write' });
  } catch (error) {
    if (error instanceof HistoryError) throw new UsageError(error.message);
    throw error;
  }
}

/** The test files the paths name (a folder is searched for `*.apflow.test.yaml`), read; unreadable ones are a usage error. */
function testFiles(paths: string[], io: CliIo): { file: string; text: string }[] {
  const { files, unreadable, skipped } = expand(paths, io, TEST_FILE_PATTERN);
  for (const { path, problem } of skipped) io.stderr.write(`apflow-yaml test: skipped ${displayPath(io.cwd, path)}: ${problem}\n`);
  const read = files.map((file) => ({ file, read: readRegularFile(file) }));
  const problems = [...unreadable, ...read.flatMap(({ file, read: r }) => ('problem' in r ? [{ path: file, problem: r.problem }] : []))];
  if (problems.length > 0) throw new UsageError(problems.map(({ path, problem }) => `cannot read ${displayPath(io.cwd, path)}: ${problem}`).join('; '));
  // A folder walk finds only test files: any other file was named on the command line.
  const named = files.filter((file) => !isTestFile(file));
  if (named.length > 0)
    throw new UsageError(
      `${named.map((f) => displayPath(io.cwd, f)).join(', ')} ${named.length === 1 ? 'is not a test file' : 'are not test files'} (*.apflow.test.yaml)`,
    );
  if (files.length === 0) throw new UsageError(`no test files (*.apflow.test.yaml, *.apflow.test.yml) in ${(paths.length ? paths : ['.']).join(', ')}`);
  return read.flatMap(({ file, read: r }) => ('text' in r ? [{ file, text: r.text }] : []));
}
